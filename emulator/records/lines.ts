/**
 * Item lines: sourcing from the item record, line numbering, totals from lines in currency precision, and the
 * line progress that links transformed records to their source (quantities fulfilled, billed, received …).
 */
import { children, linesOf, precisionOf, str, type Ctx } from './context';
import { formatMinor, multiplyToMinor, quantityOf, toMinor } from './money';
import { FULFILLABLE_ITEM_TYPES, ITEM_TYPES } from './record-types';
import { toBoolean } from './quirks';
import { NsError, type LineData, type RecordData } from './types';

/** NetSuite's `itemtype` line values. */
const ITEM_TYPE_CODE: Record<string, string> = {
  inventoryitem: 'InvtPart', noninventoryitem: 'NonInvtPart', otherchargeitem: 'OthCharge',
  discountitem: 'Discount', serviceitem: 'Service',
};

export function itemRecord(ctx: Ctx, itemId: unknown): RecordData | undefined {
  const r = ctx.store.get(str(itemId as string) ?? '');
  return r && ITEM_TYPES.includes(r.type) ? r : undefined;
}

/** A line's quantity for progress purposes: amount-only lines (discounts, charges) count as one. */
export function effectiveQuantity(line: LineData): number {
  return line.quantity === null || line.quantity === undefined || line.quantity === '' ? 1 : quantityOf(line.quantity);
}

export function isFulfillableLine(ctx: Ctx, line: LineData): boolean {
  const it = itemRecord(ctx, line.item);
  if (!it) return false;
  if (it.fields.isfulfillable === false) return false;
  return FULFILLABLE_ITEM_TYPES.includes(it.type);
}

/** Which children consume which progress of a source's lines. */
export const PROGRESS: Record<string, Record<string, string[]>> = {
  salesorder: { fulfilled: ['itemfulfillment'], billed: ['invoice', 'cashsale'], returned: ['returnauthorization'] },
  returnauthorization: { received: ['itemreceipt'], refunded: ['creditmemo', 'cashrefund'] },
  invoice: { credited: ['creditmemo'], returned: ['returnauthorization'] },
  cashsale: { refunded: ['cashrefund'], returned: ['returnauthorization'] },
  cashrefund: { credited: ['creditmemo'] },
};

/** Quantity per source line number consumed by children of the given types (created from the source). */
export function consumed(ctx: Ctx, sourceId: string, childTypes: string[], excludeId?: string | null): Map<number, number> {
  const out = new Map<number, number>();
  for (const child of children(ctx, sourceId, childTypes, excludeId)) {
    if (str(child.fields.createdfrom) !== sourceId) continue;
    for (const line of linesOf(child, 'item')) {
      if (typeof line.orderline !== 'number') continue;
      out.set(line.orderline, (out.get(line.orderline) ?? 0) + effectiveQuantity(line));
    }
  }
  return out;
}

/** The progress kind a child type consumes on a source type ('billed' for salesorder -> invoice). */
export function progressKind(sourceType: string, childType: string): string | undefined {
  const kinds = PROGRESS[sourceType] ?? {};
  return Object.keys(kinds).find((k) => kinds[k]?.includes(childType));
}

/**
 * Prepares the item sublist of a transaction about to be saved: numbers lines, sources item type, rate and
 * description from the item, drops unmarked lines of fulfillments/receipts, and checks that lines created from a
 * source do not exceed what remains on the source line.
 */
export function prepareItemLines(ctx: Ctx, record: RecordData): void {
  let lines = record.sublists.item;
  if (!lines) return;
  if (record.type === 'itemfulfillment' || record.type === 'itemreceipt') {
    lines = lines.filter((l) => l.itemreceive === undefined || l.itemreceive === null || toBoolean(l.itemreceive));
    record.sublists.item = lines;
  }
  let next = lines.reduce((m, l) => Math.max(m, typeof l.line === 'number' ? l.line : 0), 0);
  for (const [i, line] of lines.entries()) {
    const it = itemRecord(ctx, line.item);
    if (!it) throw new NsError('INVALID_FLD_VALUE', `${record.type}.item[${i}]: invalid item reference ${String(line.item)}`);
    if (typeof line.line !== 'number') line.line = ++next;
    line.itemtype = ITEM_TYPE_CODE[it.type] ?? null;
    if (isBlank(line.description)) line.description = (it.fields.displayname ?? it.fields.itemid ?? null) as string | null;
    if (isBlank(line.rate) && isBlank(line.amount) && !isBlank(it.fields.price ?? it.fields.rate)) {
      line.rate = (it.fields.price ?? it.fields.rate) as string;
    }
  }
  checkAgainstSource(ctx, record, lines);
}

function checkAgainstSource(ctx: Ctx, record: RecordData, lines: LineData[]): void {
  const source = ctx.store.get(str(record.fields.createdfrom) ?? '');
  if (!source) return;
  const kind = progressKind(source.type, record.type);
  if (!kind) return;
  const used = consumed(ctx, source.id as string, PROGRESS[source.type]?.[kind] ?? [], record.id);
  const sourceLines = new Map(linesOf(source, 'item').map((l) => [l.line, l]));
  const here = new Map<number, number>();
  for (const line of lines) {
    if (typeof line.orderline !== 'number') continue;
    here.set(line.orderline, (here.get(line.orderline) ?? 0) + effectiveQuantity(line));
  }
  for (const [orderline, qty] of here) {
    const src = sourceLines.get(orderline);
    if (!src) throw new NsError('INVALID_FLD_VALUE', `${record.type}: line ${orderline} does not exist on ${source.type} ${source.id}`);
    const remaining = effectiveQuantity(src) - (used.get(orderline) ?? 0);
    if (qty > remaining + 1e-9) {
      // UNCONFIRMED code: NetSuite refuses over-fulfilment/over-billing; its exact code was not found documented.
      throw new NsError('INVALID_FLD_VALUE',
        `${record.type}: quantity ${qty} on line ${orderline} exceeds the ${remaining} remaining on ${source.type} ${source.id}`);
    }
  }
}

/** Line amounts (quantity × rate, else the given amount) and body totals in the record's currency precision. */
export function computeTotals(ctx: Ctx, record: RecordData): void {
  const lines = record.sublists.item;
  if (!lines || record.type === 'itemfulfillment' || record.type === 'itemreceipt') return;
  const p = precisionOf(ctx, record);
  let subtotal = 0n;
  let discount = 0n;
  for (const line of lines) {
    let amount: bigint;
    if (!isBlank(line.rate)) amount = multiplyToMinor(isBlank(line.quantity) ? 1 : (line.quantity as number), line.rate as string, p);
    else amount = isBlank(line.amount) ? 0n : toMinor(line.amount as string, p);
    line.amount = formatMinor(amount, p);
    if (line.itemtype === 'Discount') discount += amount;
    subtotal += amount;
  }
  const f = record.fields;
  const extra = (isBlank(f.shippingcost) ? 0n : toMinor(f.shippingcost as string, p))
    + (isBlank(f.taxtotal) ? 0n : toMinor(f.taxtotal as string, p));
  f.subtotal = formatMinor(subtotal, p);
  f.discounttotal = formatMinor(discount, p);
  f.total = formatMinor(subtotal + extra, p);
}

const isBlank = (v: unknown) => v === null || v === undefined || v === '';
