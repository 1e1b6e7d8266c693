/**
 * Gateway to N/record and N/search for the RESTlet's batch operations. Each write is idempotent by externalId:
 * the write is attempted first (the cheap path: exactly the documented units), and only when it fails is the
 * externalId looked up (10 units) to tell "already there from an earlier attempt" — returned as created: false —
 * from a real failure. An operation flagged lookupFirst (the caller re-sends after a crash or an unknown outcome)
 * is looked up before the write instead, so a replay costs one search.
 *
 * The write-first path leans on NetSuite refusing a second record of a type with the same externalId (the local
 * account raises DUP_RCRD; the exact NetSuite code is UNCONFIRMED, which is why ANY failed write is followed by the
 * lookup rather than matching one error code). It is also what keeps two racing attempts (a lost answer whose
 * call is still running, and its re-send) from both committing: whichever saves second fails and finds the first.
 */
import * as record from 'N/record';
import * as search from 'N/search';
import type {
  ApplyLineInput,
  BillingOperation,
  BillingResult,
  CreateOperation,
  FieldValue,
  FieldValues,
  ItemLineInput,
  ItemRef,
  ItemsBySkuResult,
  LookupOperation,
  LookupResult,
  OperationKind,
  ReadItemLine,
  ReadOperation,
  ReadResult,
  RecordRef,
  RestletErrorCode,
  SetFieldsOperation,
  TransformOperation,
  WriteResult,
} from '../../core/contracts/restlet';
import { carriesOrigin, isTransaction } from '../../core/netsuite/restlet-api/record-types';
import { OperationFailure } from '../domain/batch';
import { planItemLines } from '../domain/item-lines';
import { integrationOriginStamp } from '../domain/outbox-event';
import { ORIGIN_FIELD } from './origin';

function failure(opId: string, kind: OperationKind, code: RestletErrorCode, message: string): OperationFailure {
  return new OperationFailure({ opId, status: 'error', kind, error: { code, message, retryable: false } });
}

/** Converts an API value to what Record.setValue expects (dates as Date objects). */
function toNetSuite(value: FieldValue): record.FieldValue {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const [y, m, d] = value.date.split('-').map(Number);
    return new Date(y as number, (m as number) - 1, d as number);
  }
  return value as record.FieldValue;
}

/** Filters that make a search return one row per record: transaction searches return a row per line otherwise. */
function perRecordFilters(type: string, filter: unknown[]): unknown[] {
  return isTransaction(type) ? [filter, 'AND', ['mainline', search.Operator.IS, 'T']] : [filter];
}

function distinctIds(type: string, filter: unknown[], columns: string[] = []): search.Result[] {
  const rows = search
    .create({ type, filters: perRecordFilters(type, filter), columns: ['internalid', ...columns] })
    .run()
    .getRange({ start: 0, end: 2 });
  const seen: Record<string, true> = {};
  return rows.filter((r) => (seen[r.id] ? false : (seen[r.id] = true)));
}

export function findIdByExternalId(type: string, externalId: string): string | null {
  const rows = distinctIds(type, ['externalid', search.Operator.ANYOF, [externalId]]);
  return rows[0] ? String(rows[0].id) : null;
}

/** The filter a reference stands for (search by id, externalId or a lookup field). */
function refFilter(ref: RecordRef): unknown[] {
  if ('id' in ref) return ['internalid', search.Operator.ANYOF, [ref.id]];
  if ('externalId' in ref) return ['externalid', search.Operator.ANYOF, [ref.externalId]];
  return [ref.field, search.Operator.IS, ref.value];
}

function describe(ref: RecordRef): string {
  if ('id' in ref) return `id ${ref.id}`;
  if ('externalId' in ref) return `externalId "${ref.externalId}"`;
  return `${ref.field} = "${ref.value}"`;
}

/** Resolves a reference to exactly one internal id (free for an id; one search otherwise). */
export function resolveId(type: string, ref: RecordRef, opId: string, kind: OperationKind): string {
  if ('id' in ref) return ref.id;
  const rows = distinctIds(type, refFilter(ref));
  if (rows.length === 0) throw failure(opId, kind, 'RECORD_NOT_FOUND', `No ${type} with ${describe(ref)}.`);
  if (rows.length > 1) throw failure(opId, kind, 'AMBIGUOUS_LOOKUP', `More than one ${type} has ${describe(ref)}.`);
  return String((rows[0] as search.Result).id);
}

/** SKU (item `itemid`) → item, in one search. */
export function findItemsBySku(skus: readonly string[]): Record<string, ItemRef> {
  const found: Record<string, ItemRef> = {};
  if (skus.length === 0) return found;
  const filters: unknown[] = [];
  skus.forEach((sku, i) => {
    if (i > 0) filters.push('OR');
    filters.push(['itemid', search.Operator.IS, sku]);
  });
  const rows = search
    .create({ type: search.Type.ITEM, filters, columns: ['itemid'] })
    .run()
    .getRange({ start: 0, end: 1000 });
  for (const row of rows) {
    const sku = String(row.getValue({ name: 'itemid' }));
    if (skus.indexOf(sku) !== -1 && !found[sku]) found[sku] = { id: String(row.id), type: String(row.recordType) };
  }
  return found;
}

function itemIdsFor(lines: readonly ItemLineInput[], opId: string, kind: OperationKind): (sku: string) => string {
  const skus = lines.map((l) => l.sku).filter((s, i, all) => all.indexOf(s) === i);
  const items = findItemsBySku(skus);
  const missing = skus.filter((s) => !items[s]);
  if (missing.length > 0) throw failure(opId, kind, 'UNKNOWN_SKU', `No item with SKU ${missing.map((s) => `"${s}"`).join(', ')}.`);
  return (sku) => (items[sku] as ItemRef).id;
}

function setBody(rec: record.Record, type: string, externalId: string, values: FieldValues | undefined): void {
  rec.setValue({ fieldId: 'externalid', value: externalId });
  for (const fieldId of Object.keys(values ?? {})) {
    rec.setValue({ fieldId, value: toNetSuite((values as FieldValues)[fieldId] as FieldValue) });
  }
  // A fresh stamp per write: the outbox User Event tells this save from later saves by others (no echo).
  if (carriesOrigin(type)) rec.setValue({ fieldId: ORIGIN_FIELD, value: integrationOriginStamp(new Date()) });
}

function setLine(rec: record.Record, line: number, input: ItemLineInput, itemId: string | null): void {
  const set = (fieldId: string, value: record.FieldValue) => rec.setSublistValue({ sublistId: 'item', fieldId, line, value });
  if (itemId !== null) set('item', itemId);
  set('quantity', input.quantity);
  // Money arrives as a decimal string; setSublistValue takes a number. No arithmetic happens here.
  if (input.rate !== undefined) set('rate', Number(input.rate));
  if (input.amount !== undefined) set('amount', Number(input.amount));
  for (const fieldId of Object.keys(input.values ?? {})) {
    set(fieldId, toNetSuite((input.values as FieldValues)[fieldId] as FieldValue));
  }
}

/**
 * Applies exactly the listed documents on a payment-like record's list (apply / deposit): each listed document's
 * line gets apply = true and its amount; every other line is left unapplied. A document not on the list (not open
 * for this customer and currency) fails the operation.
 */
function setApplyLines(rec: record.Record, inputs: readonly ApplyLineInput[], opId: string, kind: OperationKind): void {
  const sublists = ['apply', 'deposit'];
  for (const sublistId of sublists) {
    const count = rec.getLineCount({ sublistId });
    for (let line = 0; line < count; line++) rec.setSublistValue({ sublistId, fieldId: 'apply', line, value: false });
  }
  for (const input of inputs) {
    const count = rec.getLineCount({ sublistId: input.sublist });
    let found = -1;
    for (let line = 0; line < count; line++) {
      if (String(rec.getSublistValue({ sublistId: input.sublist, fieldId: 'doc', line })) === input.docId) found = line;
    }
    if (found === -1) {
      throw failure(opId, kind, 'RECORD_NOT_FOUND', `Document ${input.docId} is not open on the ${input.sublist} list of this record.`);
    }
    rec.setSublistValue({ sublistId: input.sublist, fieldId: 'apply', line: found, value: true });
    // Money arrives as a decimal string; setSublistValue takes a number. No arithmetic happens here.
    rec.setSublistValue({ sublistId: input.sublist, fieldId: 'amount', line: found, value: Number(input.amount) });
  }
}

/**
 * Runs a write; if it throws, a record with the externalId already there means an earlier attempt committed
 * (or another caller won the race): that record is the answer. Otherwise the error stands.
 */
function idempotent(type: string, externalId: string, lookupFirst: boolean | undefined, write: () => string): { id: string; created: boolean } {
  if (lookupFirst) {
    const earlier = findIdByExternalId(type, externalId);
    if (earlier !== null) return { id: earlier, created: false };
  }
  try {
    return { id: write(), created: true };
  } catch (e) {
    if (e instanceof OperationFailure && e.result.error.code === 'UNKNOWN_SKU') throw e;
    const existing = findIdByExternalId(type, externalId);
    if (existing !== null) return { id: existing, created: false };
    throw e;
  }
}

export function createRecord(op: CreateOperation): WriteResult {
  const { id, created } = idempotent(op.recordType, op.externalId, op.lookupFirst, () => {
    const itemId = op.items && op.items.length > 0 ? itemIdsFor(op.items, op.opId, op.kind) : null;
    const rec = record.create({ type: op.recordType, isDynamic: false });
    setBody(rec, op.recordType, op.externalId, op.values);
    (op.items ?? []).forEach((input, line) => setLine(rec, line, input, (itemId as (sku: string) => string)(input.sku)));
    if (op.apply) setApplyLines(rec, op.apply, op.opId, op.kind);
    return String(rec.save({ enableSourcing: true, ignoreMandatoryFields: false }));
  });
  return { opId: op.opId, status: 'ok', kind: 'create', recordType: op.recordType, id, created };
}

export function transformRecord(op: TransformOperation): WriteResult {
  const { id, created } = idempotent(op.toType, op.externalId, op.lookupFirst, () => {
    const fromId = resolveId(op.fromType, op.from, op.opId, op.kind);
    // fromId stays a string: platform ids are strings, and NetSuite accepts the id as text.
    const rec = record.transform({ fromType: op.fromType, fromId: fromId as unknown as number, toType: op.toType, isDynamic: false });
    setBody(rec, op.toType, op.externalId, op.values);
    if (op.items) {
      const itemId = itemIdsFor(op.items, op.opId, op.kind);
      const count = rec.getLineCount({ sublistId: 'item' });
      const existing: Array<{ item: string }> = [];
      for (let line = 0; line < count; line++) {
        existing.push({ item: String(rec.getSublistValue({ sublistId: 'item', fieldId: 'item', line })) });
      }
      let lines = count;
      for (const step of planItemLines(existing, op.items, itemId)) {
        if (step.action === 'update') setLine(rec, step.index, step.input, null);
        else if (step.action === 'remove') {
          rec.removeLine({ sublistId: 'item', line: step.index });
          lines -= 1;
        } else {
          rec.insertLine({ sublistId: 'item', line: lines });
          setLine(rec, lines, step.input, step.item);
          lines += 1;
        }
      }
    }
    if (op.apply) setApplyLines(rec, op.apply, op.opId, op.kind);
    return String(rec.save({ enableSourcing: true, ignoreMandatoryFields: false }));
  });
  return { opId: op.opId, status: 'ok', kind: 'transform', recordType: op.toType, id, created };
}

export function setFields(op: SetFieldsOperation): WriteResult {
  const id = resolveId(op.recordType, op.target, op.opId, op.kind);
  const values: Record<string, record.FieldValue> = {};
  for (const fieldId of Object.keys(op.values)) values[fieldId] = toNetSuite(op.values[fieldId] as FieldValue);
  if (carriesOrigin(op.recordType)) values[ORIGIN_FIELD] = integrationOriginStamp(new Date());
  record.submitFields({
    type: op.recordType,
    id,
    values: values as Parameters<typeof record.submitFields>[0]['values'],
    options: { enableSourcing: true, ignoreMandatoryFields: true },
  });
  return { opId: op.opId, status: 'ok', kind: 'setFields', recordType: op.recordType, id };
}

/** A search.lookupFields value as a lookup column: select fields come as [{ value, text }], the rest as values. */
function lookupColumn(v: unknown): { value: unknown; text?: string } {
  if (Array.isArray(v)) {
    const options = v as Array<{ value?: unknown; text?: unknown }>;
    if (options.length === 0) return { value: '' };
    if (options.length === 1) {
      const only = options[0] as { value?: unknown; text?: unknown };
      return { value: only.value ?? '', ...(typeof only.text === 'string' && only.text ? { text: only.text } : {}) };
    }
    return { value: options.map((o) => o.value), text: options.map((o) => String(o.text ?? '')).join(',') };
  }
  if (v === undefined || v === null || v === '') return { value: '' };
  // As the search path answers (getText beside getValue): the value's text for a plain field.
  return { value: v, ...(typeof v === 'string' ? { text: v } : {}) };
}

/**
 * A lookup by internal id through search.lookupFields (1 unit where a search costs 10). How lookupFields answers
 * an id the type does not hold is UNCONFIRMED (the local account raises RCRD_DSNT_EXIST): on any error the caller
 * falls back to the search, which answers found: false or the error itself, so the result never depends on it.
 */
function lookupById(op: LookupOperation, id: string, columns: string[]): LookupResult | null {
  let answer: Record<string, unknown>;
  try {
    answer = search.lookupFields({ type: op.recordType, id, columns: ['internalid', ...columns] }) as Record<string, unknown>;
  } catch {
    return null;
  }
  const values: LookupResult['values'] = {};
  for (const name of columns) values[name] = lookupColumn(answer[name]);
  return { opId: op.opId, status: 'ok', kind: 'lookup', recordType: op.recordType, found: true, id, values };
}

export function lookupRecord(op: LookupOperation): LookupResult {
  const columns = op.columns ?? [];
  if ('id' in op.by) {
    const byId = lookupById(op, op.by.id, columns);
    if (byId) return byId;
  }
  const rows = distinctIds(op.recordType, refFilter(op.by), columns);
  const base = { opId: op.opId, status: 'ok' as const, kind: 'lookup' as const, recordType: op.recordType };
  if (rows.length === 0) return { ...base, found: false, id: null, values: {} };
  if (rows.length > 1) throw failure(op.opId, op.kind, 'AMBIGUOUS_LOOKUP', `More than one ${op.recordType} has ${describe(op.by)}.`);
  const row = rows[0] as search.Result;
  const values: LookupResult['values'] = {};
  for (const name of columns) {
    const text = row.getText({ name });
    values[name] = { value: row.getValue({ name }), ...(text ? { text } : {}) };
  }
  return { ...base, found: true, id: String(row.id), values };
}

export function itemsBySku(opId: string, skus: string[]): ItemsBySkuResult {
  const items = findItemsBySku(skus);
  return { opId, status: 'ok', kind: 'itemsBySku', items, missing: skus.filter((s) => !items[s]) };
}

/** Item internal id → SKU (`itemid`), in one search (10 units). */
function skusOfItems(itemIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (itemIds.length === 0) return out;
  const rows = search
    .create({ type: search.Type.ITEM, filters: [['internalid', search.Operator.ANYOF, itemIds.slice()]], columns: ['itemid'] })
    .run()
    .getRange({ start: 0, end: 1000 });
  for (const row of rows) out[String(row.id)] = String(row.getValue({ name: 'itemid' }));
  return out;
}

/** A sublist money or quantity value as NetSuite holds it, without arithmetic: a decimal string, or null. */
function decimalText(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return String(v);
}

function textOrNull(v: unknown): string | null {
  return v === null || v === undefined || v === '' ? null : String(v);
}

/** record.load + the requested body fields and item lines (with SKUs). A missing record answers found: false. */
export function readRecord(op: ReadOperation): ReadResult {
  const base = { opId: op.opId, status: 'ok' as const, kind: 'read' as const, recordType: op.recordType };
  let rec: record.Record;
  try {
    rec = record.load({ type: op.recordType, id: op.id, isDynamic: false });
  } catch (e) {
    const code = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
    if (code === 'RCRD_DSNT_EXIST') return { ...base, found: false, id: null, fields: {} };
    throw e;
  }
  const fields: ReadResult['fields'] = {};
  for (const fieldId of op.fields ?? []) {
    const value = rec.getValue({ fieldId });
    let text = '';
    try {
      const t = rec.getText({ fieldId });
      text = Array.isArray(t) ? t.join(', ') : t;
    } catch {
      // A field without a display text (NetSuite refuses getText on some field types): the value alone.
      text = '';
    }
    fields[fieldId] = { value: value === undefined ? null : value, ...(text && text !== String(value) ? { text } : {}) };
  }
  const result: ReadResult = { ...base, found: true, id: op.id, fields };
  if (op.sublists && op.sublists.indexOf('item') !== -1) {
    const count = rec.getLineCount({ sublistId: 'item' });
    const get = (fieldId: string, line: number) => rec.getSublistValue({ sublistId: 'item', fieldId, line });
    const lines: Array<Omit<ReadItemLine, 'sku'>> = [];
    for (let line = 0; line < count; line++) {
      lines.push({
        line,
        itemId: String(get('item', line)),
        quantity: Number(get('quantity', line)),
        rate: decimalText(get('rate', line)),
        amount: decimalText(get('amount', line)),
        location: textOrNull(get('location', line)),
        description: textOrNull(get('description', line)),
      });
    }
    const skus = skusOfItems(lines.map((l) => l.itemId).filter((id, i, all) => all.indexOf(id) === i));
    result.items = lines.map((l) => ({ ...l, sku: skus[l.itemId] !== undefined ? (skus[l.itemId] as string) : null }));
  }
  return result;
}

function amountText(row: search.Result, name: string): string | null {
  return decimalText(row.getValue({ name }));
}

/**
 * How a sales order was billed (BillingOperation): one transaction search for its cash sales and invoices (the
 * search type ids CashSale and CustInvc, main lines), and only when there is neither, one search for its customer
 * deposit. The same answers as lookups of each type by `createdfrom` / `salesorder`, at a third of the units for a
 * billed order.
 */
export function billingOf(op: BillingOperation): BillingResult {
  const rows = search
    .create({
      type: search.Type.TRANSACTION,
      filters: [
        ['type', search.Operator.ANYOF, ['CashSale', 'CustInvc']],
        'AND',
        ['createdfrom', search.Operator.ANYOF, [op.salesOrderId]],
        'AND',
        ['mainline', search.Operator.IS, 'T'],
      ],
      columns: ['internalid', 'amountremaining'],
    })
    .run()
    .getRange({ start: 0, end: 10 });
  const seen: Record<string, true> = {};
  const distinct = rows.filter((r) => (seen[r.id] ? false : (seen[r.id] = true)));
  const cashSales = distinct.filter((r) => String(r.recordType) === 'cashsale');
  const invoices = distinct.filter((r) => String(r.recordType) === 'invoice');
  const base = { opId: op.opId, status: 'ok' as const, kind: 'billing' as const, salesOrderId: op.salesOrderId };
  if (cashSales.length > 1) throw failure(op.opId, op.kind, 'AMBIGUOUS_LOOKUP', `More than one cashsale has createdfrom = "${op.salesOrderId}".`);
  if (invoices.length > 1) throw failure(op.opId, op.kind, 'AMBIGUOUS_LOOKUP', `More than one invoice has createdfrom = "${op.salesOrderId}".`);
  const cashSale = cashSales[0];
  const invoice = invoices[0];
  if (cashSale || invoice) {
    return {
      ...base,
      cashSale: cashSale ? { id: String(cashSale.id) } : null,
      invoice: invoice ? { id: String(invoice.id), amountRemaining: amountText(invoice, 'amountremaining') } : null,
      deposit: null,
    };
  }
  const deposits = distinctIds('customerdeposit', ['salesorder', search.Operator.ANYOF, [op.salesOrderId]], ['unapplied']);
  if (deposits.length > 1) throw failure(op.opId, op.kind, 'AMBIGUOUS_LOOKUP', `More than one customerdeposit has salesorder = "${op.salesOrderId}".`);
  const deposit = deposits[0];
  return { ...base, cashSale: null, invoice: null, deposit: deposit ? { id: String(deposit.id), unapplied: amountText(deposit, 'unapplied') } : null };
}
