/**
 * Fields a transaction derives from its children: line progress, balances and the status of the 5.5 lifecycles.
 * derive() is recomputed for a saved record and for every record it links to, so statuses always follow the
 * stored data (a deleted child moves its parent back).
 */
import { balances, depositsOf } from './apply';
import { linesOf, type Ctx } from './context';
import { formatMinor } from './money';
import { toBoolean } from './quirks';
import { returnAuthorizationLetter, salesOrderLetter, statusEntry } from './statuses';
import { consumed, effectiveQuantity, isFulfillableLine, PROGRESS } from './lines';
import type { RecordData } from './types';

export function derive(ctx: Ctx, record: RecordData): void {
  const code = ctx.schema.find(record.type)?.code;
  const letter = deriveLetter(ctx, record);
  if (!code || letter === undefined || letter === null) return;
  const entry = statusEntry(code, letter);
  record.fields.status = entry?.text ?? null;
  record.fields.statusRef = entry?.ref ?? null;
}

function deriveLetter(ctx: Ctx, record: RecordData): string | null | undefined {
  const f = record.fields;
  switch (record.type) {
    case 'salesorder': return salesOrder(ctx, record);
    case 'returnauthorization': return returnAuthorization(ctx, record);
    case 'invoice': {
      const b = balances(ctx, record);
      f.amountremaining = formatMinor(b.remaining, b.p);
      f.amountpaid = formatMinor(b.applied, b.p);
      return b.remaining > 0n ? 'A' : 'B';
    }
    case 'creditmemo': {
      const b = balances(ctx, record);
      f.unapplied = formatMinor(b.remaining, b.p);
      f.amountremaining = f.unapplied;
      f.applied = formatMinor(b.applied, b.p);
      return b.remaining > 0n ? 'A' : 'B';
    }
    case 'customerpayment': {
      const b = balances(ctx, record);
      f.unapplied = formatMinor(b.remaining, b.p);
      return deposited(ctx, record) ? 'C' : 'B';
    }
    case 'cashsale':
      return deposited(ctx, record) ? 'C' : 'B';
    case 'customerdeposit': {
      const b = balances(ctx, record);
      f.unapplied = formatMinor(b.remaining, b.p);
      f.applied = formatMinor(b.applied, b.p);
      if (b.remaining <= 0n) return 'C';
      return deposited(ctx, record) ? 'B' : 'A';
    }
    case 'itemfulfillment': {
      const ship = typeof f.shipstatus === 'string' && ['A', 'B', 'C'].includes(f.shipstatus) ? f.shipstatus : 'C';
      f.shipstatus = ship;
      return ship;
    }
    default: return undefined;
  }
}

/** Posted straight to a bank account (`undepfunds` = 'F') or included on a deposit record. */
function deposited(ctx: Ctx, record: RecordData): boolean {
  if (record.fields.undepfunds === 'F') return true;
  return record.id !== null && depositsOf(ctx, record.id).length > 0;
}

interface Progress { ordered: number; done: number }

function progress(ctx: Ctx, record: RecordData, kind: string, fieldId: string, filter: (l: RecordData['sublists'][string][number]) => boolean): Progress[] {
  const used = record.id ? consumed(ctx, record.id, PROGRESS[record.type]?.[kind] ?? []) : new Map<number, number>();
  const out: Progress[] = [];
  for (const line of linesOf(record, 'item')) {
    const done = typeof line.line === 'number' ? used.get(line.line) ?? 0 : 0;
    line[fieldId] = done;
    if (!filter(line) || toBoolean(line.isclosed)) continue;
    out.push({ ordered: effectiveQuantity(line), done });
  }
  return out;
}

function salesOrder(ctx: Ctx, record: RecordData): string {
  const fulfil = progress(ctx, record, 'fulfilled', 'quantityfulfilled', (l) => isFulfillableLine(ctx, l));
  const bill = progress(ctx, record, 'billed', 'quantitybilled', () => true);
  const lines = linesOf(record, 'item');
  const pendingBill = lines.some((l) => Number(l.quantityfulfilled ?? 0) > Number(l.quantitybilled ?? 0));
  const closed = lines.length > 0 && lines.every((l) => toBoolean(l.isclosed));
  return salesOrderLetter(String(record.fields.orderstatus ?? 'B'), fulfil, bill, pendingBill, closed);
}

function returnAuthorization(ctx: Ctx, record: RecordData): string {
  const receive = progress(ctx, record, 'received', 'quantityreceived', (l) => isFulfillableLine(ctx, l));
  const refund = progress(ctx, record, 'refunded', 'quantityrefunded', () => true);
  const lines = linesOf(record, 'item');
  const pendingRefund = lines.some((l) => Number(l.quantityreceived ?? 0) > Number(l.quantityrefunded ?? 0));
  const closed = lines.length > 0 && lines.every((l) => toBoolean(l.isclosed));
  return returnAuthorizationLetter(String(record.fields.orderstatus ?? 'B'), receive, refund, pendingRefund, closed);
}

