/**
 * record.transform (reference 5.2): only the listed pairs; the result is unsaved, carries `createdfrom` (for
 * item-line transforms) and copies the source lines with their remaining quantities.
 */
import { availableOf, listLine, openDocs } from './apply';
import { linesOf, str, type Ctx } from './context';
import { consumed, effectiveQuantity, isFulfillableLine, PROGRESS, progressKind } from './lines';
import { toBoolean } from './quirks';
import { NsError, type LineData, type RecordData } from './types';

/** 5.2, verbatim (targets the engine does not know fail as unknown record types). */
export const TRANSFORM_PAIRS: Readonly<Record<string, string[]>> = {
  salesorder: ['itemfulfillment', 'invoice', 'cashsale', 'returnauthorization', 'customsalestransaction',
    'fulfillmentrequest', 'storepickupfulfillment', 'revenuecommitment', 'revenuecontract'],
  estimate: ['salesorder', 'invoice', 'cashsale'],
  customer: ['salesorder', 'invoice', 'cashsale', 'estimate', 'opportunity', 'customerpayment', 'vendor'],
  invoice: ['customerpayment', 'creditmemo', 'returnauthorization', 'customsalestransaction'],
  cashsale: ['cashrefund', 'returnauthorization', 'customsalestransaction'],
  returnauthorization: ['itemreceipt', 'creditmemo', 'cashrefund', 'revenuecommitmentreversal', 'customsalestransaction'],
  cashrefund: ['creditmemo'],
  customerdeposit: ['customerrefund', 'depositapplication'],
  customerpayment: ['customerrefund'],
  customerpaymentauthorization: ['customerdeposit', 'customerpayment'],
  purchaseorder: ['itemreceipt', 'vendorbill', 'vendorreturnauthorization'],
  transferorder: ['itemfulfillment', 'itemreceipt'],
  intercompanytransferorder: ['itemfulfillment', 'itemreceipt'],
  vendorbill: ['vendorcredit', 'vendorpayment', 'vendorreturnauthorization'],
};

export function isTransformAllowed(fromType: string, toType: string): boolean {
  return TRANSFORM_PAIRS[fromType]?.includes(toType) ?? false;
}

const COPIED_BODY = ['entity', 'currency', 'location', 'subsidiary', 'department', 'class', 'otherrefnum', 'exchangerate'];

const invalidRef = (toType: string, id: string) =>
  new NsError('INVALID_INITIALIZE_REF', `You can not initialize ${toType}: invalid reference ${id}.`);

/**
 * Builds the transformed record onto `target` (a fresh record of the target type from the engine).
 * The caller has checked the pair against TRANSFORM_PAIRS.
 */
export function buildTransform(ctx: Ctx, source: RecordData, target: RecordData): RecordData {
  const id = source.id as string;
  const f = target.fields;
  if (source.type === 'customer') {
    const customerField = target.type === 'customerpayment' ? 'customer' : 'entity';
    f[customerField] = id;
    f.currency = source.fields.currency ?? f.currency ?? null;
    if (target.type === 'customerpayment') target.sublists.apply = invoiceList(ctx, id, str(f.currency), null, null);
    return target;
  }
  if (linesOf(source, 'item').length > 0 && source.type !== 'customerdeposit') {
    return itemTransform(ctx, source, target);
  }
  const customer = str(source.fields.customer) ?? str(source.fields.entity) ?? '';
  f.customer = customer;
  f.currency = source.fields.currency ?? f.currency ?? null;
  const available = availableOf(ctx, source, null);
  if (available <= 0n) throw invalidRef(target.type, id);
  if (target.type === 'customerrefund') {
    const credits = openDocs(ctx, customer, str(f.currency), ['creditmemo', 'customerpayment']);
    const deposits = openDocs(ctx, customer, str(f.currency), ['customerdeposit']);
    target.sublists.apply = credits.map((d) => listLine(ctx, d, d.id === id, d.id === id ? available : null));
    target.sublists.deposit = deposits.map((d) => listLine(ctx, d, d.id === id, d.id === id ? available : null));
  } else if (target.type === 'depositapplication') {
    f.deposit = id;
    f.salesorder = source.fields.salesorder ?? null;
    target.sublists.apply = invoiceList(ctx, customer, str(f.currency), str(source.fields.salesorder), available);
  }
  return target;
}

/** Open invoices of a customer; with `fromOrder`, those billed from that order are applied up to `budget`. */
function invoiceList(ctx: Ctx, customer: string, currency: string | null, fromOrder: string | null, budget: bigint | null): LineData[] {
  let left = budget ?? 0n;
  return openDocs(ctx, customer, currency, ['invoice']).map((inv) => {
    const due = availableOf(ctx, inv, null);
    if (fromOrder && str(inv.fields.createdfrom) === fromOrder && left > 0n) {
      const amount = due < left ? due : left;
      left -= amount;
      return listLine(ctx, inv, true, amount);
    }
    return listLine(ctx, inv, false, null);
  });
}

function itemTransform(ctx: Ctx, source: RecordData, target: RecordData): RecordData {
  const id = source.id as string;
  const f = target.fields;
  if (['A', 'C'].includes(String(source.fields.orderstatus ?? 'B'))) throw invalidRef(target.type, id);
  for (const k of COPIED_BODY) if (source.fields[k] !== undefined && source.fields[k] !== null) f[k] = source.fields[k] ?? null;

  if (target.type === 'customerpayment') {
    if (availableOf(ctx, source, null) <= 0n) throw invalidRef(target.type, id);
    delete f.entity;
    f.customer = str(source.fields.entity);
    target.sublists.apply = openDocs(ctx, String(f.customer), str(f.currency), ['invoice'])
      .map((inv) => listLine(ctx, inv, inv.id === id, inv.id === id ? availableOf(ctx, inv, null) : null));
    return target;
  }

  f.createdfrom = id;
  const kind = progressKind(source.type, target.type);
  const used = kind ? consumed(ctx, id, PROGRESS[source.type]?.[kind] ?? []) : new Map<number, number>();
  const onlyFulfillable = target.type === 'itemfulfillment' || target.type === 'itemreceipt';
  const lines: LineData[] = [];
  for (const src of linesOf(source, 'item')) {
    if (toBoolean(src.isclosed)) continue;
    if (onlyFulfillable && !isFulfillableLine(ctx, src)) continue;
    const ordered = effectiveQuantity(src);
    const remaining = ordered - (typeof src.line === 'number' ? used.get(src.line) ?? 0 : 0);
    if (remaining <= 0) continue;
    lines.push(copyLine(src, remaining, ordered, onlyFulfillable, str(source.fields.location)));
  }
  if (lines.length === 0) throw invalidRef(target.type, id);
  target.sublists.item = lines;

  if (target.type === 'creditmemo') {
    const invoice = source.type === 'invoice' ? source : ctx.store.get(str(source.fields.createdfrom) ?? '');
    if (invoice?.type === 'invoice' && availableOf(ctx, invoice, null) > 0n) {
      target.sublists.apply = [listLine(ctx, invoice, true, null)];
    }
  }
  return target;
}

function copyLine(src: LineData, remaining: number, ordered: number, fulfilment: boolean, bodyLocation: string | null): LineData {
  const line: LineData = {
    item: src.item ?? null, description: src.description ?? null, location: src.location ?? bodyLocation,
    quantity: src.quantity === null || src.quantity === undefined ? null : remaining, orderline: src.line ?? null,
  };
  for (const [k, v] of Object.entries(src)) if (k.startsWith('custcol')) line[k] = v;
  if (fulfilment) {
    line.itemreceive = true;
    line.quantity = remaining;
    return line;
  }
  line.rate = src.rate ?? null;
  line.taxcode = src.taxcode ?? null;
  // An amount-only line (no rate) is copied whole, and only while nothing of it was consumed.
  if (src.rate === null || src.rate === undefined) line.amount = remaining === ordered ? src.amount ?? null : null;
  return line;
}
