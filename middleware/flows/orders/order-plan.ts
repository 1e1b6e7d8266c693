/**
 * What an imported order becomes in NetSuite, decided before anything is written. Pure.
 *
 * - The rule for its payment status (`importRuleOf`): skipped (cancelled, voided), a sales order left unbilled
 *   (payment pending or only authorized), or a sales order fulfilled and billed.
 * - Its lines (`planOrderLines`): each order line at its price before discounts (tax excluded unless the shop's
 *   prices include tax), then discounts, shipping, shipping discounts, tax, duties and tips each on their own line
 *   with the channel's configured items, and the location every line ships from. The lines' sum must equal the
 *   platform's order total to the minor unit, or the plan is refused with both figures and the difference.
 */
import type { ItemLineInput } from '../../../core/contracts/restlet';
import { formatMoney, money } from '../../../core/money';
import { orderExternalId } from '../../../core/refunds';
import type { CanonicalOrder, CanonicalTaxLine } from '../../../core/orders';
import { exactLines, linesTotal } from '../../ports/lines';
import { ORDER_IMPORT_SETTING_PATH, type ChannelOrderSettings } from '../../ports/order-import-settings';

export type ImportRule =
  /** Nothing is written: the sync record ends skipped with this code and reason. */
  | { kind: 'skip'; code: string; reason: string }
  /** A sales order only: no fulfillment, no cash sale or invoice until a later event says the order is paid. */
  | { kind: 'unbilled'; reason: string }
  /** Sales order, fulfillment, then cash sale or invoice. */
  | { kind: 'billed'; reason: string };

/** Payment states that mean "not paid yet", per platform, as the connectors expose them (`financialStatus`). */
const UNBILLED: Record<string, readonly string[]> = {
  shopify: ['pending', 'authorized'],
  magento: ['pending', 'pending_payment', 'payment_review', 'holded'],
  ebay: ['PENDING', 'FAILED'],
  amazon: [],
};

/** Payment states that mean the order will not be paid, per platform. */
const VOID: Record<string, readonly string[]> = {
  shopify: ['voided', 'expired'],
  magento: ['canceled'],
  ebay: [],
  amazon: [],
};

/** The import rule for an order's cancellation and payment state (the table in the flow's README). */
export function importRuleOf(order: CanonicalOrder): ImportRule {
  const status = order.financialStatus ?? null;
  const label = `${order.platform} order ${order.orderNumber}`;
  if (order.cancelledAt) {
    return { kind: 'skip', code: 'order_cancelled', reason: `${label} was cancelled on ${order.cancelledAt}${order.cancelReason ? ` (${order.cancelReason})` : ''}: nothing is imported into NetSuite.` };
  }
  if (status !== null && VOID[order.platform]?.includes(status)) {
    return { kind: 'skip', code: 'order_voided', reason: `${label} is ${status} (its payment will not be collected): nothing is imported into NetSuite.` };
  }
  if (status !== null && UNBILLED[order.platform]?.includes(status)) {
    return { kind: 'unbilled', reason: `${label} is ${status}: the sales order is written but not fulfilled or billed until the order is paid.` };
  }
  return { kind: 'billed', reason: status === null ? `${label} states no payment status (its platform reports orders once charged): billed.` : `${label} is ${status}: billed.` };
}

export interface OrderLinesPlan {
  externalId: string;
  currency: string;
  /** The NetSuite location the order ships from (body field; also set on every item line). */
  locationId: string;
  items: ItemLineInput[];
  /** What the lines add up to, minor units: equals the platform's order total. */
  total: number;
}

export interface PlanRefusal {
  code: string;
  message: string;
}

type PlanResult = { ok: true; value: OrderLinesPlan } | { ok: false; error: PlanRefusal };

const refuse = (code: string, message: string): PlanResult => ({ ok: false, error: { code, message } });

const taxLabel = (lines: readonly CanonicalTaxLine[]): string | null => {
  const named = lines.map((t) => [t.title, t.rate].filter(Boolean).join(' ')).filter(Boolean);
  return named.length ? [...new Set(named)].join(', ') : null;
};

/**
 * The NetSuite location of the order: the mapped platform location of its lines (or of the order), else the
 * channel's default location; null when neither is known (NetSuite's own preference is not assumed).
 */
export function locationOf(order: CanonicalOrder, settings: ChannelOrderSettings): string | null {
  const platformLocations = [...order.lines.map((l) => l.locationId ?? null), order.locationId ?? null].filter((l): l is string => l !== null);
  for (const p of platformLocations) {
    const mapped = settings.orderImport.locations[p];
    if (mapped) return mapped;
  }
  return settings.orderImport.locationId;
}

/** The sales order's lines, or why the order cannot be imported as it stands. */
export function planOrderLines(order: CanonicalOrder, settings: ChannelOrderSettings): PlanResult {
  const currency = order.currency;
  const fmt = (amount: number) => `${formatMoney(money(amount, currency))} ${currency}`;
  const location = locationOf(order, settings);
  if (!location) {
    const platformLocation = order.lines.find((l) => l.locationId)?.locationId ?? order.locationId ?? null;
    return refuse(
      'order_location_unknown',
      `${order.platform} order ${order.orderNumber} has no NetSuite location to ship from: ` +
        (platformLocation ? `its location ${platformLocation} is not mapped in ${ORDER_IMPORT_SETTING_PATH}.locations and ` : '') +
        `the channel has no default location. Set ${ORDER_IMPORT_SETTING_PATH}.defaultLocationId (a NetSuite location internal id), then retry. Nothing was written.`,
    );
  }
  const imp = settings.orderImport;
  const needed: string[] = [];
  const item = (setting: 'discountItem' | 'taxItem' | 'dutiesItem' | 'tipItem', what: string): string => {
    const value = imp[setting];
    if (!value) needed.push(`${ORDER_IMPORT_SETTING_PATH}.${setting} (${what})`);
    return value ?? '';
  };
  const included = order.taxesIncluded;
  const items: ItemLineInput[] = [];
  const at = { location };
  for (const [i, l] of order.lines.entries()) {
    const discount = l.discount ?? 0;
    const price = l.amount + discount - (included ? 0 : l.tax);
    if (l.quantity <= 0) {
      if (price === 0 && discount === 0) continue;
      return refuse('order_line_without_quantity', `${order.platform} order ${order.orderNumber}: line ${i + 1} (${l.sku || 'no SKU'}) charges ${fmt(price)} on no units; it cannot be a sales order line. Nothing was written.`);
    }
    if (!l.sku) return refuse('order_line_without_sku', `${order.platform} order ${order.orderNumber}: line ${i + 1} (id ${l.lineId}) has no SKU, so no NetSuite item matches it. Give the product a SKU on ${order.platform}, then retry. Nothing was written.`);
    const values: Record<string, string> = { ...at };
    if (included && l.tax !== 0) values.description = `includes tax ${fmt(l.tax)}`;
    items.push(...exactLines(l.sku, l.quantity, price, currency, values));
    if (discount > 0) items.push(...exactLines(item('discountItem', 'a Discount item'), 1, -discount, currency, { description: `Discount on ${l.sku}` }));
  }
  const totals = order.totals;
  const shippingDiscount = totals?.shippingDiscounts ?? 0;
  const shippingPrice = totals ? totals.shipping + shippingDiscount : order.shipping.amount - (included ? 0 : order.shipping.tax);
  const shippingTitle = order.shippingLines?.map((s) => s.title).filter(Boolean).join(', ') || 'Shipping';
  if (shippingPrice !== 0) items.push(...exactLines(settings.shippingItem, 1, shippingPrice, currency, { description: shippingTitle.slice(0, 999) }));
  if (shippingDiscount > 0) items.push(...exactLines(item('discountItem', 'a Discount item'), 1, -shippingDiscount, currency, { description: 'Shipping discount' }));
  const orderDiscount = totals?.orderDiscount ?? 0;
  if (orderDiscount > 0) {
    const labels = (order.discountApplications ?? []).map((d) => d.label).filter(Boolean);
    items.push(...exactLines(item('discountItem', 'a Discount item'), 1, -orderDiscount, currency, { description: `Order discount${labels.length ? `: ${labels.join(', ')}` : ''}`.slice(0, 999) }));
  }
  if (!included) {
    const tax = totals?.tax ?? order.lines.reduce((a, l) => a + l.tax, 0) + order.shipping.tax;
    const label = taxLabel([...order.lines.flatMap((l) => l.taxLines ?? []), ...(order.shippingLines ?? []).flatMap((s) => s.taxLines)]);
    if (tax !== 0) items.push(...exactLines(item('taxItem', 'an Other Charge item for tax'), 1, tax, currency, { description: `Tax${label ? `: ${label}` : ''}`.slice(0, 999) }));
  }
  const duties = totals?.duties ?? order.lines.reduce((a, l) => a + (l.duties ?? 0), 0);
  if (duties !== 0) items.push(...exactLines(item('dutiesItem', 'an Other Charge item for duties; the tax item when unset'), 1, duties, currency, { description: 'Duties' }));
  const tip = totals?.tip ?? 0;
  if (tip !== 0) items.push(...exactLines(item('tipItem', 'an Other Charge item for tips'), 1, tip, currency, { description: 'Tip' }));
  if (needed.length > 0) {
    return refuse(
      'order_import_item_missing',
      `${order.platform} order ${order.orderNumber} needs NetSuite items the channel does not name: set ${[...new Set(needed)].join(' and ')}, then retry. Nothing was written.`,
    );
  }
  const total = linesTotal(items, currency);
  if (total !== order.total) {
    return refuse(
      'order_total_mismatch',
      `${order.platform} order ${order.orderNumber}: its lines, discounts, shipping, tax and duties make ${fmt(total)} in NetSuite, but the platform's order total is ${fmt(order.total)} ` +
        `(difference ${fmt(total - order.total)}). Nothing was written; check the order on ${order.platform}, then retry.`,
    );
  }
  return { ok: true, value: { externalId: orderExternalId(order.platform, order.account, order.orderId), currency, locationId: location, items, total } };
}
