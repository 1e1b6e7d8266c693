/**
 * Hand-written validation of RESTlet requests (no npm packages run inside NetSuite). Pure, ES2019.
 *
 * A request-level problem (not an object, unknown action, wrong version, batch too large, duplicate opIds) refuses
 * the whole call. A problem in one batch operation fails only that operation (INVALID_OPERATION and friends);
 * the others still run.
 */
import type {
  ApplyLineInput,
  BatchRequest,
  FailedResult,
  FieldValue,
  FieldValues,
  ItemLineInput,
  Operation,
  OperationKind,
  OutboxAckRequest,
  OutboxPullRequest,
  ReadableSublist,
  RecordRef,
  RestletErrorCode,
  RestletRequest,
} from '../../contracts/restlet';
import { RESTLET_API_VERSION } from '../../bundle-version';
import {
  DEFAULT_OUTBOX_PULL,
  MAX_EXTERNAL_ID,
  MAX_ITEM_LINES,
  MAX_LOOKUP_COLUMNS,
  MAX_OPERATIONS_PER_BATCH,
  MAX_OUTBOX_ACK,
  MAX_OUTBOX_PULL,
  MAX_SKUS_PER_LOOKUP,
  MAX_STRING_VALUE,
} from './limits';
import { OUTBOX_RECORD_TYPE, canTransform, isCreatable, isKnownType, isUpdatable, transformTargets } from './record-types';

export interface ValidationError {
  code: RestletErrorCode;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; error: ValidationError };

/** A batch after validation: each entry is a runnable operation or that operation's failure. */
export interface ValidatedBatch {
  action: 'batch';
  entries: Array<{ op: Operation } | { failed: FailedResult }>;
}

export type ValidatedRequest =
  | Exclude<RestletRequest, BatchRequest>
  | ValidatedBatch;

const OP_KINDS: readonly OperationKind[] = ['create', 'transform', 'setFields', 'lookup', 'itemsBySku', 'read', 'billing'];
const READABLE_SUBLISTS: readonly ReadableSublist[] = ['item'];
const FIELD_ID = /^[a-z][a-z0-9_]{0,99}$/;
const INTERNAL_ID = /^[1-9][0-9]{0,18}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,8})?$/;
const OP_ID = /^[A-Za-z0-9_.:\-]{1,100}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Fields the caller may not set through `values`: the bundle owns them. */
const RESERVED_FIELDS = ['externalid', 'id', 'internalid', 'custbody_lb_origin'];

class Invalid extends Error {
  readonly code: RestletErrorCode;
  constructor(code: RestletErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function fail(message: string, code: RestletErrorCode = 'INVALID_OPERATION'): never {
  throw new Invalid(code, message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.indexOf(key) === -1) fail(`${where}: unknown property "${key}".`);
  }
}

function nonEmptyString(v: unknown, where: string, max = 1000): string {
  if (typeof v !== 'string' || v.trim() === '') fail(`${where} must be a non-empty string.`);
  if (v.length > max) fail(`${where} is longer than ${max} characters.`);
  return v;
}

function fieldId(v: unknown, where: string): string {
  if (typeof v !== 'string' || !FIELD_ID.test(v)) fail(`${where} must be a NetSuite field id (lower-case letters, digits, _).`);
  return v;
}

function internalId(v: unknown, where: string): string {
  if (typeof v !== 'string' || !INTERNAL_ID.test(v)) fail(`${where} must be an internal id as a string of digits.`);
  return v;
}

export function isDecimalString(v: unknown): v is string {
  return typeof v === 'string' && DECIMAL.test(v);
}

function decimal(v: unknown, where: string): string {
  if (!isDecimalString(v)) fail(`${where} must be a decimal string such as "12.30" (money is never sent as a float).`);
  return v;
}

function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function fieldValue(v: unknown, where: string): FieldValue {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v.length > MAX_STRING_VALUE) fail(`${where} is longer than ${MAX_STRING_VALUE} characters.`);
    return v;
  }
  if (typeof v === 'number') {
    if (!isFinite(v)) fail(`${where} must be a finite number.`);
    return v;
  }
  if (Array.isArray(v)) {
    if (v.length > 1000) fail(`${where} has more than 1000 values.`);
    for (const x of v) if (typeof x !== 'string') fail(`${where} must be an array of strings (internal ids).`);
    return v as string[];
  }
  if (isObject(v)) {
    onlyKeys(v, ['date'], where);
    if (typeof v.date !== 'string' || !isCalendarDate(v.date)) fail(`${where}.date must be a date YYYY-MM-DD.`);
    return { date: v.date };
  }
  return fail(`${where} must be a string, number, boolean, null, array of ids or {date}.`);
}

function fieldValues(v: unknown, where: string, required: boolean): FieldValues | undefined {
  if (v === undefined && !required) return undefined;
  if (!isObject(v)) return fail(`${where} must be an object of field id → value.`);
  const keys = Object.keys(v);
  if (required && keys.length === 0) fail(`${where} must set at least one field.`);
  if (keys.length > 500) fail(`${where} sets more than 500 fields.`);
  const out: FieldValues = {};
  for (const key of keys) {
    fieldId(key, `${where} key "${key}"`);
    if (RESERVED_FIELDS.indexOf(key) !== -1) {
      fail(`${where}: "${key}" is set by the bundle (use externalId / the record reference instead).`);
    }
    out[key] = fieldValue(v[key], `${where}.${key}`);
  }
  return out;
}

function externalId(v: unknown, where: string): string {
  return nonEmptyString(v, where, MAX_EXTERNAL_ID);
}

function recordRef(v: unknown, where: string): RecordRef {
  if (!isObject(v)) return fail(`${where} must be {id}, {externalId} or {field, value}.`);
  const keys = Object.keys(v).sort().join(',');
  if (keys === 'id') return { id: internalId(v.id, `${where}.id`) };
  if (keys === 'externalId') return { externalId: externalId(v.externalId, `${where}.externalId`) };
  if (keys === 'field,value') {
    return { field: fieldId(v.field, `${where}.field`), value: nonEmptyString(v.value, `${where}.value`) };
  }
  return fail(`${where} must be exactly one of {id}, {externalId} or {field, value}.`);
}

function itemLines(v: unknown, where: string): ItemLineInput[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return fail(`${where} must be an array of item lines.`);
  if (v.length > MAX_ITEM_LINES) fail(`${where} has more than ${MAX_ITEM_LINES} lines.`);
  return v.map((line, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(line)) return fail(`${at} must be an object.`);
    onlyKeys(line, ['sku', 'quantity', 'rate', 'amount', 'values'], at);
    const out: ItemLineInput = { sku: nonEmptyString(line.sku, `${at}.sku`, 255), quantity: 0 };
    if (typeof line.quantity !== 'number' || !isFinite(line.quantity) || line.quantity <= 0) {
      fail(`${at}.quantity must be a positive number.`);
    }
    out.quantity = line.quantity;
    if (line.rate !== undefined) out.rate = decimal(line.rate, `${at}.rate`);
    if (line.amount !== undefined) out.amount = decimal(line.amount, `${at}.amount`);
    const values = fieldValues(line.values, `${at}.values`, false);
    if (values) {
      for (const key of ['item', 'quantity', 'rate', 'amount']) {
        if (key in values) fail(`${at}.values: set "${key}" through the line's own property.`);
      }
      out.values = values;
    }
    return out;
  });
}

function applyLines(v: unknown, where: string): ApplyLineInput[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return fail(`${where} must be an array of apply lines.`);
  if (v.length > MAX_ITEM_LINES) fail(`${where} has more than ${MAX_ITEM_LINES} lines.`);
  return v.map((line, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(line)) return fail(`${at} must be an object.`);
    onlyKeys(line, ['sublist', 'docId', 'amount'], at);
    if (line.sublist !== 'apply' && line.sublist !== 'deposit') fail(`${at}.sublist must be "apply" or "deposit".`);
    return { sublist: line.sublist as 'apply' | 'deposit', docId: internalId(line.docId, `${at}.docId`), amount: decimal(line.amount, `${at}.amount`) };
  });
}

/** The optional retry hint of create/transform (WriteRetryHint): a boolean when present. */
function lookupFirst(v: unknown, where: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') fail(`${where} must be true or false.`);
  return v;
}

function knownType(v: unknown, where: string): string {
  const type = nonEmptyString(v, where, 100);
  if (!isKnownType(type)) fail(`${where}: record type "${type}" is not supported by this API.`, 'UNSUPPORTED_RECORD_TYPE');
  return type;
}


/** The optional content shared by the write operations (create, transform): values, item lines, apply lines, lookupFirst. */
function withWriteContent<T extends Operation & { values?: unknown; items?: unknown; apply?: unknown; lookupFirst?: boolean }>(
  op: T,
  raw: Record<string, unknown>,
  at: string,
): T {
  const values = fieldValues(raw.values, `${at}.values`, false);
  const items = itemLines(raw.items, `${at}.items`);
  const apply = applyLines(raw.apply, `${at}.apply`);
  if (values) op.values = values;
  if (items) op.items = items;
  if (apply) op.apply = apply;
  if (lookupFirst(raw.lookupFirst, `${at}.lookupFirst`)) op.lookupFirst = true;
  return op;
}

function operation(raw: Record<string, unknown>, opId: string, kind: OperationKind): Operation {
  const at = `operation ${opId}`;
  switch (kind) {
    case 'create': {
      onlyKeys(raw, ['opId', 'kind', 'recordType', 'externalId', 'values', 'items', 'apply', 'lookupFirst'], at);
      const recordType = knownType(raw.recordType, `${at}.recordType`);
      if (!isCreatable(recordType)) {
        fail(`${at}: "${recordType}" cannot be created directly (NetSuite makes it by transform).`, 'UNSUPPORTED_RECORD_TYPE');
      }
      return withWriteContent({ opId, kind, recordType, externalId: externalId(raw.externalId, `${at}.externalId`) }, raw, at);
    }
    case 'transform': {
      onlyKeys(raw, ['opId', 'kind', 'fromType', 'from', 'toType', 'externalId', 'values', 'items', 'apply', 'lookupFirst'], at);
      const fromType = knownType(raw.fromType, `${at}.fromType`);
      const toType = knownType(raw.toType, `${at}.toType`);
      if (!canTransform(fromType, toType)) {
        const targets = transformTargets(fromType);
        fail(
          `${at}: NetSuite does not transform ${fromType} into ${toType}` +
            (targets.length ? ` (supported: ${targets.join(', ')}).` : '.'),
          'UNSUPPORTED_TRANSFORM',
        );
      }
      const op: Operation = {
        opId,
        kind,
        fromType,
        from: recordRef(raw.from, `${at}.from`),
        toType,
        externalId: externalId(raw.externalId, `${at}.externalId`),
      };
      return withWriteContent(op, raw, at);
    }
    case 'setFields': {
      onlyKeys(raw, ['opId', 'kind', 'recordType', 'target', 'values'], at);
      const recordType = knownType(raw.recordType, `${at}.recordType`);
      if (!isUpdatable(recordType)) fail(`${at}: "${recordType}" is not written by this API.`, 'UNSUPPORTED_RECORD_TYPE');
      return {
        opId,
        kind,
        recordType,
        target: recordRef(raw.target, `${at}.target`),
        values: fieldValues(raw.values, `${at}.values`, true) as FieldValues,
      };
    }
    case 'lookup': {
      onlyKeys(raw, ['opId', 'kind', 'recordType', 'by', 'columns'], at);
      const recordType = knownType(raw.recordType, `${at}.recordType`);
      if (recordType === OUTBOX_RECORD_TYPE) fail(`${at}: read the outbox with outbox.pull.`, 'UNSUPPORTED_RECORD_TYPE');
      const op: Operation = { opId, kind, recordType, by: recordRef(raw.by, `${at}.by`) };
      if (raw.columns !== undefined) {
        if (!Array.isArray(raw.columns) || raw.columns.length > MAX_LOOKUP_COLUMNS) {
          fail(`${at}.columns must be an array of at most ${MAX_LOOKUP_COLUMNS} field ids.`);
        }
        op.columns = raw.columns.map((c, i) => fieldId(c, `${at}.columns[${i}]`));
      }
      return op;
    }
    case 'read': {
      onlyKeys(raw, ['opId', 'kind', 'recordType', 'id', 'fields', 'sublists'], at);
      const recordType = knownType(raw.recordType, `${at}.recordType`);
      if (recordType === OUTBOX_RECORD_TYPE) fail(`${at}: read the outbox with outbox.pull.`, 'UNSUPPORTED_RECORD_TYPE');
      const op: Operation = { opId, kind, recordType, id: internalId(raw.id, `${at}.id`) };
      if (raw.fields !== undefined) {
        if (!Array.isArray(raw.fields) || raw.fields.length > MAX_LOOKUP_COLUMNS) {
          fail(`${at}.fields must be an array of at most ${MAX_LOOKUP_COLUMNS} field ids.`);
        }
        op.fields = raw.fields.map((f, i) => fieldId(f, `${at}.fields[${i}]`));
      }
      if (raw.sublists !== undefined) {
        if (!Array.isArray(raw.sublists)) fail(`${at}.sublists must be an array (supported: ${READABLE_SUBLISTS.join(', ')}).`);
        op.sublists = (raw.sublists as unknown[]).map((name, i) => {
          if (READABLE_SUBLISTS.indexOf(name as ReadableSublist) === -1) {
            fail(`${at}.sublists[${i}]: ${JSON.stringify(name)} cannot be read (supported: ${READABLE_SUBLISTS.join(', ')}).`);
          }
          return name as ReadableSublist;
        });
      }
      return op;
    }
    case 'billing': {
      onlyKeys(raw, ['opId', 'kind', 'salesOrderId'], at);
      return { opId, kind, salesOrderId: internalId(raw.salesOrderId, `${at}.salesOrderId`) };
    }
    case 'itemsBySku': {
      onlyKeys(raw, ['opId', 'kind', 'skus'], at);
      if (!Array.isArray(raw.skus) || raw.skus.length === 0 || raw.skus.length > MAX_SKUS_PER_LOOKUP) {
        fail(`${at}.skus must be an array of 1 to ${MAX_SKUS_PER_LOOKUP} SKUs.`);
      }
      const skus = raw.skus.map((s, i) => nonEmptyString(s, `${at}.skus[${i}]`, 255));
      return { opId, kind, skus: skus.filter((s, i) => skus.indexOf(s) === i) };
    }
  }
}

function failedEntry(opId: string, kind: OperationKind | 'unknown', e: unknown): { failed: FailedResult } {
  const code = e instanceof Invalid ? e.code : 'INVALID_OPERATION';
  const message = e instanceof Error ? e.message : String(e);
  return { failed: { opId, status: 'error', kind, error: { code, message, retryable: false } } };
}

function checkVersion(body: Record<string, unknown>): void {
  if (body.apiVersion === undefined) return;
  if (body.apiVersion !== RESTLET_API_VERSION) {
    fail(
      `This bundle speaks API version ${RESTLET_API_VERSION}; the request asked for ${JSON.stringify(body.apiVersion)}.`,
      'UNSUPPORTED_API_VERSION',
    );
  }
}

function batch(body: Record<string, unknown>): ValidatedBatch {
  onlyKeys(body, ['action', 'apiVersion', 'operations'], 'batch request');
  const ops = body.operations;
  if (!Array.isArray(ops) || ops.length === 0) fail('batch request: operations must be a non-empty array.', 'INVALID_REQUEST');
  if (ops.length > MAX_OPERATIONS_PER_BATCH) {
    fail(`batch request: ${ops.length} operations; at most ${MAX_OPERATIONS_PER_BATCH} per call.`, 'BATCH_TOO_LARGE');
  }
  const seen: Record<string, true> = {};
  const opIds = ops.map((raw, i) => {
    const opId = isObject(raw) ? raw.opId : undefined;
    if (typeof opId !== 'string' || !OP_ID.test(opId)) {
      fail(`batch request: operations[${i}].opId must be 1-100 characters of letters, digits, _ . : -`, 'INVALID_REQUEST');
    }
    if (seen[opId]) fail(`batch request: opId "${opId}" appears twice.`, 'DUPLICATE_OP_ID');
    seen[opId] = true;
    return opId;
  });
  return {
    action: 'batch',
    entries: ops.map((raw: Record<string, unknown>, i) => {
      const opId = opIds[i] as string;
      const kind = OP_KINDS.indexOf(raw.kind as OperationKind) === -1 ? null : (raw.kind as OperationKind);
      if (!kind) {
        return failedEntry(opId, 'unknown', new Invalid('INVALID_OPERATION', `operation ${opId}: kind must be one of ${OP_KINDS.join(', ')}.`));
      }
      try {
        return { op: operation(raw, opId, kind) };
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
        return failedEntry(opId, kind, e);
      }
    }),
  };
}

function outboxPull(body: Record<string, unknown>): OutboxPullRequest {
  onlyKeys(body, ['action', 'apiVersion', 'after', 'limit'], 'outbox.pull request');
  const after = body.after === undefined ? '0' : body.after;
  if (typeof after !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(after)) {
    fail('outbox.pull: after must be an outbox id as a string ("0" to start).', 'INVALID_REQUEST');
  }
  const limit = body.limit === undefined ? DEFAULT_OUTBOX_PULL : body.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_OUTBOX_PULL) {
    fail(`outbox.pull: limit must be an integer from 1 to ${MAX_OUTBOX_PULL}.`, 'INVALID_REQUEST');
  }
  return { action: 'outbox.pull', after, limit };
}

function outboxAck(body: Record<string, unknown>): OutboxAckRequest {
  onlyKeys(body, ['action', 'apiVersion', 'ids'], 'outbox.ack request');
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_OUTBOX_ACK) {
    fail(`outbox.ack: ids must be an array of 1 to ${MAX_OUTBOX_ACK} outbox ids.`, 'INVALID_REQUEST');
  }
  for (const id of ids) {
    if (typeof id !== 'string' || !INTERNAL_ID.test(id)) fail('outbox.ack: every id must be an outbox id as a string.', 'INVALID_REQUEST');
  }
  return { action: 'outbox.ack', ids: (ids as string[]).filter((id, i) => ids.indexOf(id) === i) };
}

export const ACTIONS = ['health', 'batch', 'outbox.pull', 'outbox.ack'] as const;

/** Validates a RESTlet request body (already parsed from JSON). */
export function validateRequest(body: unknown): Validated<ValidatedRequest> {
  try {
    if (!isObject(body)) {
      fail('Send a JSON object with an "action" (Content-Type: application/json).', 'INVALID_BODY');
    }
    checkVersion(body);
    switch (body.action) {
      case 'health':
        return { ok: true, value: { action: 'health' } };
      case 'batch':
        return { ok: true, value: batch(body) };
      case 'outbox.pull':
        return { ok: true, value: outboxPull(body) };
      case 'outbox.ack':
        return { ok: true, value: outboxAck(body) };
      default:
        return fail(`Unknown action ${JSON.stringify(body.action)}; supported: ${ACTIONS.join(', ')}.`, 'UNKNOWN_ACTION');
    }
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
}
