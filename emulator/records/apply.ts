/**
 * Apply sublists that move balances (reference 5.4): customer payments and credit memos apply to invoices;
 * customer refunds apply credit memos and payments (`apply`) and customer deposits (`deposit`); deposit
 * applications apply a customer deposit to invoices; deposits (`payment` sublist) take cash sales, payments and
 * customer deposits out of Undeposited Funds. Lines are keyed by `doc`; only lines with `apply` = true count.
 * All amounts are integer minor units in the applying record's currency precision.
 */
import { children, linesOf, precisionOf, str, type Ctx } from './context';
import { formatMinor, toMinor } from './money';
import { toBoolean } from './quirks';
import { NsError, type LineData, type RecordData } from './types';

const INVOICE_APPLIERS = ['customerpayment', 'creditmemo', 'depositapplication'];

const minorOf = (v: unknown, p: number) =>
  v === null || v === undefined || v === '' ? 0n : toMinor(v as string | number, p);

/** Sum of `amount` over applied lines of `sublist` that point at `docId`. */
function appliedTo(records: RecordData[], sublist: string, docId: string, p: number): bigint {
  let sum = 0n;
  for (const r of records) {
    for (const line of linesOf(r, sublist)) {
      if (str(line.doc) === docId && toBoolean(line.apply)) sum += minorOf(line.amount, p);
    }
  }
  return sum;
}

function ownApplied(record: RecordData, sublist: string, p: number): bigint {
  return linesOf(record, sublist).reduce((s, l) => (toBoolean(l.apply) ? s + minorOf(l.amount, p) : s), 0n);
}

/** The amount that can still be applied against a document, ignoring one applying record (the one being saved). */
export function availableOf(ctx: Ctx, doc: RecordData, excludeId: string | null): bigint {
  const p = precisionOf(ctx, doc);
  const id = doc.id ?? '';
  switch (doc.type) {
    case 'invoice':
      return minorOf(doc.fields.total, p) - appliedTo(children(ctx, id, INVOICE_APPLIERS, excludeId), 'apply', id, p);
    case 'creditmemo':
      return minorOf(doc.fields.total, p) - ownApplied(doc, 'apply', p)
        - appliedTo(children(ctx, id, ['customerrefund'], excludeId), 'apply', id, p);
    case 'customerpayment':
      return minorOf(doc.fields.payment, p) - ownApplied(doc, 'apply', p)
        - appliedTo(children(ctx, id, ['customerrefund'], excludeId), 'apply', id, p);
    case 'customerdeposit': {
      const applications = children(ctx, id, ['depositapplication'], excludeId)
        .filter((a) => str(a.fields.deposit) === id)
        .reduce((s, a) => s + ownApplied(a, 'apply', p), 0n);
      return minorOf(doc.fields.payment, p) - applications
        - appliedTo(children(ctx, id, ['customerrefund'], excludeId), 'deposit', id, p);
    }
    default:
      return 0n;
  }
}

/** Which document types each applying sublist accepts. */
const TARGETS: Record<string, Record<string, string[]>> = {
  customerpayment: { apply: ['invoice'] },
  creditmemo: { apply: ['invoice'] },
  depositapplication: { apply: ['invoice'] },
  customerrefund: { apply: ['creditmemo', 'customerpayment'], deposit: ['customerdeposit'] },
};

export function isApplyingType(type: string): boolean {
  return type in TARGETS;
}

/**
 * Validates and completes the applying sublists of a record about to be saved: an applied line without an
 * amount takes what is still due (capped by the credit left); amounts must be positive and within the
 * document's balance; customer and currency must match. Fills `payment`/`total`/`applied`.
 */
export function prepareApply(ctx: Ctx, record: RecordData): void {
  const targets = TARGETS[record.type];
  if (!targets) return;
  const p = precisionOf(ctx, record);
  const customer = str(record.fields.customer) ?? str(record.fields.entity);
  let credit = creditOf(ctx, record, p);
  let applied = 0n;
  for (const [sublist, docTypes] of Object.entries(targets)) {
    for (const line of linesOf(record, sublist)) {
      if (!toBoolean(line.apply)) continue;
      const docId = str(line.doc);
      const doc = docId ? ctx.store.get(docId) : undefined;
      if (!doc || !docTypes.includes(doc.type)) {
        throw new NsError('INVALID_FLD_VALUE', `${record.type}.${sublist}: doc ${String(line.doc)} is not one of ${docTypes.join(', ')}`);
      }
      checkSameParty(record, doc, customer);
      const due = availableOf(ctx, doc, record.id);
      const amount = line.amount === null || line.amount === undefined || line.amount === ''
        ? (credit === null ? due : minBig(due, credit)) : toMinor(line.amount as string, p);
      if (amount <= 0n) {
        throw new NsError('INVALID_FLD_VALUE', `${record.type}.${sublist}: applied amount for doc ${docId} must be positive`);
      }
      if (amount > due) {
        // UNCONFIRMED code: NetSuite refuses over-application; the exact error code was not found documented.
        throw new NsError('INVALID_FLD_VALUE',
          `${record.type}.${sublist}: amount ${formatMinor(amount, p)} exceeds the ${formatMinor(due, p)} due on doc ${docId}`);
      }
      line.amount = formatMinor(amount, p);
      line.due = formatMinor(due, p);
      applied += amount;
      if (credit !== null) credit -= amount;
    }
  }
  finishTotals(ctx, record, applied, p);
}

/** How much an applying record has to apply; null when its total is the sum of what it applies. */
function creditOf(ctx: Ctx, record: RecordData, p: number): bigint | null {
  switch (record.type) {
    case 'creditmemo':
      return minorOf(record.fields.total, p)
        - (record.id ? appliedTo(children(ctx, record.id, ['customerrefund']), 'apply', record.id, p) : 0n);
    case 'customerpayment':
      return isBlank(record.fields.payment) ? null : minorOf(record.fields.payment, p);
    case 'depositapplication': {
      const dep = ctx.store.get(str(record.fields.deposit) ?? '');
      if (!dep || dep.type !== 'customerdeposit') {
        throw new NsError('INVALID_FLD_VALUE', 'depositapplication.deposit must be a customer deposit');
      }
      return availableOf(ctx, dep, record.id);
    }
    default:
      return null;
  }
}

function finishTotals(ctx: Ctx, record: RecordData, applied: bigint, p: number): void {
  const f = record.fields;
  if (record.type === 'customerpayment') {
    if (isBlank(f.payment)) f.payment = formatMinor(applied, p);
    const payment = minorOf(f.payment, p);
    if (applied > payment) {
      throw new NsError('INVALID_FLD_VALUE', `customerpayment: applied ${formatMinor(applied, p)} exceeds the payment ${f.payment}`);
    }
    f.total = f.payment;
  } else if (record.type === 'creditmemo') {
    if (applied > minorOf(f.total, p)) {
      throw new NsError('INVALID_FLD_VALUE', `creditmemo: applied ${formatMinor(applied, p)} exceeds the credit ${String(f.total)}`);
    }
  } else {
    // customerrefund and depositapplication: the total is what they apply.
    f.total = formatMinor(applied, p);
    if (record.type === 'customerrefund') f.payment = f.total;
  }
  f.applied = formatMinor(applied, p);
}

function checkSameParty(record: RecordData, doc: RecordData, customer: string | null) {
  const docCustomer = str(doc.fields.entity) ?? str(doc.fields.customer);
  if (customer && docCustomer && customer !== docCustomer) {
    throw new NsError('INVALID_FLD_VALUE', `${record.type}: doc ${doc.id} belongs to another customer`);
  }
  const a = str(record.fields.currency);
  const b = str(doc.fields.currency);
  if (a && b && a !== b) {
    throw new NsError('INVALID_FLD_VALUE', `${record.type}: doc ${doc.id} is in another currency`);
  }
}

const isBlank = (v: unknown) => v === null || v === undefined || v === '';
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);

/** An unapplied list line for `doc`, as NetSuite lists it when the customer is set. */
export function listLine(ctx: Ctx, doc: RecordData, apply: boolean, amount: bigint | null): LineData {
  const p = precisionOf(ctx, doc);
  const due = availableOf(ctx, doc, null);
  return {
    doc: doc.id, apply, amount: amount === null ? null : formatMinor(amount, p), due: formatMinor(due, p),
    total: (doc.fields.total ?? doc.fields.payment ?? null) as string | null, refnum: doc.fields.tranid ?? null,
    type: doc.type, applydate: doc.fields.trandate ?? null,
  };
}

/** Documents of a customer (same currency) of the given types with something left to apply. */
export function openDocs(ctx: Ctx, customer: string, currency: string | null, types: string[]): RecordData[] {
  return ctx.store.referrers(customer)
    .map((id) => ctx.store.get(id))
    .filter((r): r is RecordData => !!r && types.includes(r.type))
    .filter((r) => (str(r.fields.entity) ?? str(r.fields.customer)) === customer)
    .filter((r) => !currency || !str(r.fields.currency) || str(r.fields.currency) === currency)
    .filter((r) => availableOf(ctx, r, null) > 0n)
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** Deposit record: validates `payment` lines and computes the total (payments + other - cash back). */
export function prepareDeposit(ctx: Ctx, record: RecordData): void {
  const p = precisionOf(ctx, record);
  let total = 0n;
  for (const line of linesOf(record, 'payment')) {
    if (!toBoolean(line.deposit)) continue;
    const id = str(line.id);
    const txn = id ? ctx.store.get(id) : undefined;
    if (!txn || !DEPOSITABLE.includes(txn.type) || txn.fields.undepfunds === 'F') {
      throw new NsError('INVALID_FLD_VALUE', `deposit.payment: ${String(line.id)} is not a payment in Undeposited Funds`);
    }
    const other = depositsOf(ctx, id as string).find((d) => d.id !== record.id);
    if (other) {
      throw new NsError('INVALID_FLD_VALUE', `deposit.payment: ${id} is already deposited by deposit ${other.id}`);
    }
    const amount = minorOf(txn.type === 'cashsale' ? txn.fields.total : txn.fields.payment, p);
    line.paymentamount = formatMinor(amount, p);
    line.type = txn.type;
    line.docnumber = txn.fields.tranid ?? null;
    total += amount;
  }
  for (const line of linesOf(record, 'other')) total += minorOf(line.amount, p);
  for (const line of linesOf(record, 'cashback')) total -= minorOf(line.amount, p);
  record.fields.total = formatMinor(total, p);
}

export const DEPOSITABLE = ['cashsale', 'customerpayment', 'customerdeposit'];

/** Deposit records that include the transaction. */
export function depositsOf(ctx: Ctx, txnId: string): RecordData[] {
  return children(ctx, txnId, ['deposit']).filter((d) =>
    linesOf(d, 'payment').some((l) => str(l.id) === txnId && toBoolean(l.deposit)));
}

/** Payments eligible for a new deposit: posted to Undeposited Funds and not yet deposited (5.4). */
export function undepositedPayments(ctx: Ctx): RecordData[] {
  const out: RecordData[] = [];
  for (const r of ctx.store.all()) {
    if (DEPOSITABLE.includes(r.type) && r.fields.undepfunds !== 'F' && depositsOf(ctx, r.id as string).length === 0) {
      out.push(r);
    }
  }
  return out.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Balances a stored applying/applied record derives from its children (for derive.ts). */
export function balances(ctx: Ctx, record: RecordData): { remaining: bigint; applied: bigint; p: number } {
  const p = precisionOf(ctx, record);
  const remaining = availableOf(ctx, record, null);
  const base = record.type === 'invoice' ? minorOf(record.fields.total, p)
    : minorOf(record.type === 'creditmemo' ? record.fields.total : record.fields.payment, p);
  return { remaining, applied: base - remaining, p };
}
