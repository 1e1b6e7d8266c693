/**
 * A refund sync plan (core/refunds planRefundSync) -> the RESTlet operations that write it. Pure.
 *
 * Exact amounts: a transformed line keeps the source's rate, so every line is sent with an explicit rate. A line
 * whose amount does not divide evenly by its quantity is split in two lines of the same SKU (q - r units at
 * floor(a / q) and r units at one minor unit more), so quantity × rate is exact on every line and the record total
 * equals the refunded money to the cent; nothing is rounded.
 * Tax: canonical amounts are gross (tax included); they are posted as such and the tax inside is named in the
 * line's description. (Posting net + tax codes needs the account's tax setup, which the plan does not know.)
 * Restock: lines whose goods do not come back go to the configured non-restock location (a non-nettable holding
 * location) when one is set; restocked lines keep the source line's location.
 */
import type { ApplyLineInput, ItemLineInput, Operation } from '../../../core/contracts/restlet';
import { formatMoney, money, parseMoney } from '../../../core/money';
import type { CanonicalRefundLine, PostingLine, PlannedRecord, RefundSyncPlan } from '../../../core/refunds';

export interface OpsContext {
  currency: string;
  /**
   * The refund's own item lines, one per storefront line. Posted line by line (not grouped by SKU) so that each
   * matches its own line on the source cash sale or invoice, which NetSuite refunds up to that line's quantity.
   */
  refundLines: readonly CanonicalRefundLine[];
  /** Written on every record: `${platform}:${refundId}` (custbody_lb_platform_ref). */
  platformRef: string;
  memo: string;
  customerId: string | null;
  nonRestockLocationId: string | null;
  adjustmentItem: string;
}

export const PLATFORM_REF_FIELD = 'custbody_lb_platform_ref';

const fmt = (amount: number, currency: string) => formatMoney(money(amount, currency));

function description(line: PostingLine, currency: string): string | null {
  const parts: string[] = [];
  if (line.memo) parts.push(line.memo);
  if (line.tax !== 0) parts.push(`includes tax ${fmt(line.tax, currency)}`);
  if (line.kind === 'item' && !line.restock) parts.push('not restocked');
  return parts.length ? parts.join('; ').slice(0, 999) : null;
}

/** Item lines of a posting, each quantity × rate exact. */
export function itemLinesOf(lines: readonly PostingLine[], ctx: Pick<OpsContext, 'currency' | 'nonRestockLocationId' | 'adjustmentItem'>): ItemLineInput[] {
  const out: ItemLineInput[] = [];
  for (const line of lines) {
    const values: Record<string, string> = {};
    const text = description(line, ctx.currency);
    if (text) values.description = text;
    if (line.kind === 'item' && !line.restock && ctx.nonRestockLocationId) values.location = ctx.nonRestockLocationId;
    const withValues = (l: ItemLineInput): ItemLineInput => (Object.keys(values).length ? { ...l, values: { ...values } } : l);
    if (line.quantity <= 0) {
      // Money refunded on a line without units (a price adjustment): an adjustment line naming the SKU.
      out.push({ sku: ctx.adjustmentItem, quantity: 1, rate: fmt(line.amount, ctx.currency), values: { description: `Refund on ${line.item} without quantity${text ? `; ${text}` : ''}`.slice(0, 999) } });
      continue;
    }
    const q = line.quantity;
    const base = Math.floor(line.amount / q);
    const rest = line.amount - base * q;
    if (rest === 0) {
      out.push(withValues({ sku: line.item, quantity: q, rate: fmt(base, ctx.currency) }));
    } else {
      out.push(withValues({ sku: line.item, quantity: q - rest, rate: fmt(base, ctx.currency) }));
      out.push(withValues({ sku: line.item, quantity: rest, rate: fmt(base + 1, ctx.currency) }));
    }
  }
  return out;
}

/** The sum the item lines make (minor units): the check that splitting kept every cent. */
export function linesTotal(lines: readonly ItemLineInput[], currency: string): number {
  return lines.reduce((acc, l) => acc + parseMoney(l.rate ?? '0', currency).amount * l.quantity, 0);
}

/**
 * The posting's lines with its SKU-grouped item lines replaced by the refund's own lines: the same money (a group's
 * amount is the sum of its lines), but each line stays the size of the storefront line it refunds.
 */
export function postedLines(plan: RefundSyncPlan, refundLines: readonly CanonicalRefundLine[]): PostingLine[] {
  const items: PostingLine[] = refundLines.map((l) => ({ kind: 'item', item: l.sku, quantity: l.quantity, amount: l.amount, tax: l.tax, restock: l.restock, memo: null }));
  const grouped = plan.posting.lines.filter((l) => l.kind === 'item').reduce((a, l) => a + l.amount, 0);
  if (items.reduce((a, l) => a + l.amount, 0) !== grouped) throw new Error('refund lines do not add up to the posting item lines');
  return [...items, ...plan.posting.lines.filter((l) => l.kind !== 'item')];
}

/** The operation that writes one planned record. `creditMemoId` is the credit memo written before it, if any. */
export function operationFor(record: PlannedRecord, plan: RefundSyncPlan, ctx: OpsContext, creditMemoId: string | null): Operation {
  const values = { memo: ctx.memo.slice(0, 999), [PLATFORM_REF_FIELD]: ctx.platformRef };
  const amount = fmt(record.amount, ctx.currency);
  if (record.carriesLines && record.transformFrom) {
    return {
      opId: record.kind,
      kind: 'transform',
      fromType: record.transformFrom.type,
      from: { id: record.transformFrom.id },
      toType: record.kind,
      externalId: record.externalId,
      values,
      items: itemLinesOf(postedLines(plan, ctx.refundLines), ctx),
    };
  }
  if (record.transformFrom) {
    // Customer refund against a customer deposit: exactly the refunded amount, not the whole deposit.
    const apply: ApplyLineInput[] = [{ sublist: 'deposit', docId: record.transformFrom.id, amount }];
    return { opId: record.kind, kind: 'transform', fromType: record.transformFrom.type, from: { id: record.transformFrom.id }, toType: record.kind, externalId: record.externalId, values, apply };
  }
  if (!creditMemoId || !ctx.customerId) throw new Error('a customer refund of a credit memo needs the credit memo and the customer');
  return {
    opId: record.kind,
    kind: 'create',
    recordType: record.kind,
    externalId: record.externalId,
    values: { ...values, customer: ctx.customerId },
    apply: [{ sublist: 'apply', docId: creditMemoId, amount }],
  };
}
