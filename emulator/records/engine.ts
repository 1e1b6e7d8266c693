/**
 * The local account's record engine: the RecordEngine seam (types.ts) over an in-memory store. It validates,
 * computes totals/balances/statuses/inventory, stores deep copies and answers searches. Internal ids come from
 * one per-account counter, as strings. Value conventions: quirks.ts.
 */
import { DEPOSITABLE, isApplyingType, listLine, openDocs, prepareApply, prepareDeposit, undepositedPayments } from './apply';
import { linesOf, precisionOf, str, type Ctx } from './context';
import { derive } from './derive';
import { createInventory, effectsOf, withStock } from './inventory';
import { computeTotals, prepareItemLines } from './lines';
import { formatMinor, toMinor } from './money';
import { displayName } from './naming';
import { isEmptyValue, normalizeValue } from './quirks';
import { ITEM_TYPES, type RecordTypeDef } from './record-types';
import { createSchema } from './schema';
import { defineFieldIndex, lookupFields, runSearch, type SearchHost } from './search';
import { STATUSES } from './statuses';
import { cloneRecord, compareIds, createStore, type StoreState } from './store';
import { buildTransform, isTransformAllowed } from './transforms';
import { NsError, type FieldValue, type RecordData, type RecordEngine, type SaveOptions } from './types';

export interface RecordEngineOptions {
  accountId: string;
  now?: () => Date;
  /** Told after every change to stored data (records, id and transaction-number counters, inventory). */
  onChange?: () => void;
  /**
   * Searches read the records their filter's indexed terms select (default true). false reads every record of
   * the searched types for every search, as a reference to compare with: the results are the same.
   */
  searchIndexes?: boolean;
}

/** Everything the engine stores, as plain data (see exportState). */
export interface EngineState {
  store: StoreState;
  inventory: Array<[string, string, number]>;
}

/** The currencies every local account starts with; the first is the base currency. */
const CURRENCIES: Array<[string, string, number]> = [
  ['USD', 'US Dollar', 2], ['EUR', 'Euro', 2], ['GBP', 'British Pound', 2], ['CAD', 'Canadian Dollar', 2],
  ['JPY', 'Japanese Yen', 0], ['KWD', 'Kuwaiti Dinar', 3], ['BHD', 'Bahraini Dinar', 3],
];

/** Fields a copy must not inherit (identity, links and everything derived from children). */
const NOT_COPIED = ['externalid', 'tranid', 'status', 'statusRef', 'createdfrom', 'amountremaining', 'amountpaid',
  'applied', 'unapplied', 'createddate', 'lastmodifieddate', 'quantityonhand', 'quantityavailable'];
const LINE_PROGRESS = ['line', 'orderline', 'quantityfulfilled', 'quantitybilled', 'quantityreceived', 'quantityrefunded'];

export function createRecordEngine(options: RecordEngineOptions): RecordEngine & EngineExtras {
  const now = options.now ?? (() => new Date());
  const onChange = () => options.onChange?.();
  const store = createStore(onChange);
  const schema = createSchema();
  const inventory = createInventory(onChange);
  const ctx: Ctx = { store, schema, baseCurrencyId: '1', now };

  const def = (type: string) => schema.def(type);
  const today = () => {
    const d = now();
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  };

  function stored(type: string, id: string): RecordData {
    const d = def(type);
    const r = store.get(String(id));
    if (!r || r.type !== d.type) {
      throw new NsError('RCRD_DSNT_EXIST', `That record does not exist. (type ${type}, id ${String(id)})`);
    }
    return r;
  }

  /** A stored record as callers see it: a deep copy, with computed stock on inventory items. */
  function view(record: RecordData): RecordData {
    const copy = cloneRecord(record);
    withStock(ctx, inventory, copy);
    return copy;
  }

  function normalizeInto(record: RecordData, d: RecordTypeDef): RecordData {
    for (const [k, v] of Object.entries(record.fields)) {
      record.fields[k] = normalizeValue(schema.fieldKind(d.type, k), v, k);
    }
    for (const [name, lines] of Object.entries(record.sublists)) {
      for (const line of lines) {
        for (const [k, v] of Object.entries(line)) line[k] = normalizeValue(schema.fieldKind(d.type, k, name), v, `${name}.${k}`);
      }
    }
    return record;
  }

  function blank(type: string): RecordData {
    const d = def(type);
    const record: RecordData = { type: d.type, id: null, fields: {}, sublists: {}, version: 0 };
    const f = record.fields;
    for (const s of Object.keys(d.sublists)) if (s !== 'locations') record.sublists[s] = [];
    if (d.family === 'transaction') {
      f.trandate = today();
      if (d.type === 'salesorder' || d.type === 'returnauthorization') f.orderstatus = 'B';
      if (DEPOSITABLE.includes(d.type)) f.undepfunds = 'T';
      if (d.type === 'itemfulfillment') f.shipstatus = 'C';
    } else {
      f.isinactive = false;
    }
    if (d.type === 'location') f.makeinventoryavailable = true;
    for (const cf of schema.customFieldsFor(d.type)) {
      if (cf.defaultValue !== undefined) f[cf.id] = normalizeValue(schema.fieldKind(d.type, cf.id), cf.defaultValue, cf.id);
    }
    return record;
  }

  /** NetSuite's sourcing of list sublists when the customer of a payment-like record is set. */
  function sourceLists(record: RecordData, fieldId: string): RecordData {
    const customer = str(record.fields.customer) ?? str(record.fields.entity);
    const currency = str(record.fields.currency);
    if (fieldId === 'entity' || fieldId === 'customer') {
      const c = customer ? store.get(customer) : undefined;
      if (c?.type === 'customer' && c.fields.currency) record.fields.currency = c.fields.currency;
    }
    const cur = str(record.fields.currency);
    if (customer && (fieldId === 'customer' || fieldId === 'entity')) {
      if (record.type === 'customerrefund') {
        record.sublists.apply = openDocs(ctx, customer, cur, ['creditmemo', 'customerpayment']).map((d) => listLine(ctx, d, false, null));
        record.sublists.deposit = openDocs(ctx, customer, cur, ['customerdeposit']).map((d) => listLine(ctx, d, false, null));
      } else if (record.type === 'customerpayment' || record.type === 'creditmemo') {
        record.sublists.apply = openDocs(ctx, customer, cur ?? currency, ['invoice']).map((d) => listLine(ctx, d, false, null));
      }
    }
    return record;
  }

  function refsOf(record: RecordData): string[] {
    const refs: string[] = [];
    const add = (kind: string | undefined, v: FieldValue | undefined) => {
      if (kind === 'select' && typeof v === 'string' && v !== '') refs.push(v);
      if (kind === 'multiselect' && Array.isArray(v)) refs.push(...v);
    };
    for (const [k, v] of Object.entries(record.fields)) add(schema.fieldKind(record.type, k), v);
    for (const [name, lines] of Object.entries(record.sublists)) {
      if (name === 'locations') continue;
      for (const line of lines) {
        if ((name === 'apply' || name === 'deposit') && line.apply !== true) continue;
        if (name === 'payment' && record.type === 'deposit' && line.deposit !== true) continue;
        for (const [k, v] of Object.entries(line)) add(schema.fieldKind(record.type, k, name), v);
      }
    }
    return refs;
  }

  function checkMandatory(d: RecordTypeDef, record: RecordData, opts: SaveOptions) {
    if (opts.ignoreMandatoryFields) return;
    const missing: string[] = [];
    for (const [field, label] of Object.entries(d.mandatory)) if (isEmptyValue(record.fields[field])) missing.push(label);
    for (const cf of schema.customFieldsFor(d.type)) {
      if (cf.mandatory && !(cf.id in d.mandatory) && isEmptyValue(record.fields[cf.id])) missing.push(cf.id);
    }
    if (d.type === 'customer' && [record.fields.companyname, record.fields.lastname, record.fields.entityid].every(isEmptyValue)) {
      missing.push('Company Name');
    }
    if (missing.length) throw new NsError('USER_ERROR', `Please enter value(s) for: ${missing.join(', ')}`);
  }

  function checkUnique(record: RecordData) {
    const ext = record.fields.externalid;
    if (typeof ext === 'string' && ext !== '') {
      const owner = store.externalId(record.type, ext);
      // UNCONFIRMED wording; DUP_RCRD is the code NetSuite's web services use for a duplicate externalId.
      if (owner && owner !== record.id) {
        throw new NsError('DUP_RCRD', `A ${record.type} record with external ID '${ext}' already exists (internal id ${owner}).`);
      }
    }
    if (ITEM_TYPES.includes(record.type) && typeof record.fields.itemid === 'string') {
      const name = record.fields.itemid.toLowerCase();
      for (const t of ITEM_TYPES) {
        for (const id of store.lookup(t, ITEM_NAME_INDEX, [name]) ?? store.idsOfType(t)) {
          const other = store.get(id);
          if (id !== record.id && String(other?.fields.itemid ?? '').toLowerCase() === name) {
            throw new NsError('DUP_ITEM', `An item with name '${record.fields.itemid}' already exists.`);
          }
        }
      }
    }
  }

  function prepareTransaction(record: RecordData) {
    const f = record.fields;
    const party = store.get(str(f.entity) ?? str(f.customer) ?? '');
    if (party && party.type !== 'customer') {
      throw new NsError('INVALID_FLD_VALUE', `${record.type}: ${party.id} is not a customer`);
    }
    if (isEmptyValue(f.currency)) f.currency = party?.fields.currency ?? ctx.baseCurrencyId;
    if (store.get(String(f.currency))?.type !== 'currency') {
      throw new NsError('INVALID_FLD_VALUE', `${record.type}: invalid currency reference ${String(f.currency)}`);
    }
    const p = precisionOf(ctx, record);
    for (const k of ['shippingcost', 'taxtotal', 'payment']) {
      if (!isEmptyValue(f[k])) f[k] = formatMinor(toMinor(f[k] as string, p), p);
    }
    if (record.type === 'customerdeposit') {
      const so = str(f.salesorder);
      if (so && store.get(so)?.type !== 'salesorder') throw new NsError('INVALID_FLD_VALUE', `customerdeposit.salesorder ${so} is not a sales order`);
      f.total = f.payment ?? null;
    }
    prepareItemLines(ctx, record);
    computeTotals(ctx, record);
    if (isApplyingType(record.type)) prepareApply(ctx, record);
    if (record.type === 'deposit') prepareDeposit(ctx, record);
  }

  const snapshot = (r: RecordData) => JSON.stringify([r.fields, r.sublists]);

  /** Recomputes derived fields of linked transactions; a record whose derived state changed gets a new version. */
  function rederive(ids: string[]) {
    for (const id of new Set(ids)) {
      const r = store.get(id);
      if (!r || schema.find(r.type)?.family !== 'transaction') continue;
      const next = cloneRecord(r);
      derive(ctx, next);
      if (snapshot(next) === snapshot(r)) continue;
      next.version = r.version + 1;
      next.fields.lastmodifieddate = now();
      store.put(next, refsOf(next));
    }
  }

  function save(input: RecordData, opts: SaveOptions = {}): string {
    const d = def(input.type);
    const existing = input.id ? store.get(String(input.id)) : undefined;
    if (input.id && (!existing || existing.type !== d.type)) {
      throw new NsError('RCRD_DSNT_EXIST', `That record does not exist. (type ${input.type}, id ${String(input.id)})`);
    }
    if (existing && input.version < existing.version) {
      throw new NsError('RCRD_HAS_BEEN_CHANGED', 'Record has been changed since you loaded it.');
    }
    const record = normalizeInto(cloneRecord({ ...input, type: d.type }), d);
    delete record.sublists.locations;
    if (d.family === 'item') {
      delete record.fields.quantityonhand;
      delete record.fields.quantityavailable;
    }
    if (d.type === 'customer' && isEmptyValue(record.fields.entityid)) {
      record.fields.entityid = displayName(ctx, record) || null;
    }
    checkMandatory(d, record, opts);
    if (d.family === 'transaction') prepareTransaction(record);
    if (d.requiresLines && !d.requiresLines.some((s) => linesOf(record, s).some((l) => s !== 'payment' || l.deposit === true))) {
      throw new NsError('VALID_LINE_ITEM_REQD', 'You must enter at least one line item for this transaction.');
    }
    checkUnique(record);

    const id = existing?.id ?? store.nextId();
    record.id = id;
    record.version = (existing?.version ?? 0) + 1;
    record.fields.createddate = existing?.fields.createddate ?? now();
    record.fields.lastmodifieddate = now();
    if (d.family === 'transaction' && isEmptyValue(record.fields.tranid)) record.fields.tranid = store.nextTranNumber(d.type);
    derive(ctx, record);

    const oldEffects = existing ? effectsOf(ctx, existing) : [];
    const newEffects = effectsOf(ctx, record);
    const oldRefs = existing ? store.references(id) : [];
    const refs = refsOf(record);
    store.put(record, refs);
    inventory.apply(oldEffects, -1);
    inventory.apply(newEffects, 1);
    rederive([...oldRefs, ...refs]);
    return id;
  }

  function bootstrap() {
    for (const [symbol, name, precision] of CURRENCIES) {
      const r = blank('currency');
      Object.assign(r.fields, { symbol, name, currencyprecision: precision, isbasecurrency: symbol === 'USD', exchangerate: 1 });
      save(r);
    }
  }

  const engine: RecordEngine & EngineExtras = {
    accountId: options.accountId,
    isKnownType: (type) => schema.find(type) !== undefined,
    category: (type) => def(type).category,
    newRecord(type, defaultValues = {}) {
      const d = def(type);
      if (!d.creatable) {
        // 5.3; the exact code NetSuite raises is UNCONFIRMED.
        throw new NsError('INVALID_RCRD_INITIALIZE', `A ${d.label} cannot be created directly; transform its source record.`);
      }
      const record = blank(type);
      const { deposits, disablepaymentfilters: _ignored, ...fields } = defaultValues;
      for (const [k, v] of Object.entries(fields)) record.fields[k] = normalizeValue(schema.fieldKind(d.type, k), v, k);
      if (d.type === 'deposit') {
        const preselected = String(deposits ?? '').split(',').filter(Boolean);
        record.sublists.payment = undepositedPayments(ctx).map((p) => ({
          id: p.id, deposit: preselected.includes(p.id as string), type: p.type, docnumber: p.fields.tranid ?? null,
          paymentamount: (p.type === 'cashsale' ? p.fields.total : p.fields.payment) ?? null, entity: p.fields.entity ?? p.fields.customer ?? null,
        }));
      }
      for (const k of ['entity', 'customer']) if (!isEmptyValue(record.fields[k])) sourceLists(record, k);
      return record;
    },
    load: (type, id) => view(stored(type, id)),
    copy(type, id) {
      const d = def(type);
      const source = stored(type, id);
      if (!d.copyable) throw new NsError('INVALID_RCRD_INITIALIZE', `A ${d.label} cannot be copied.`);
      const copy = cloneRecord(source);
      copy.id = null;
      copy.version = 0;
      for (const k of NOT_COPIED) delete copy.fields[k];
      for (const k of ['apply', 'deposit']) if (copy.sublists[k]) copy.sublists[k] = [];
      for (const line of copy.sublists.item ?? []) for (const k of LINE_PROGRESS) delete line[k];
      delete copy.sublists.locations;
      copy.fields.trandate = d.family === 'transaction' ? today() : copy.fields.trandate ?? null;
      if (d.family !== 'transaction') delete copy.fields.trandate;
      return copy;
    },
    transform(fromType, fromId, toType, defaultValues = {}) {
      const from = def(fromType);
      const to = def(toType);
      if (!isTransformAllowed(from.type, to.type)) {
        throw new NsError('INVALID_RCRD_TRANSFRM',
          `That type of record transformation is not allowed: ${from.type} -> ${to.type}. See reference 5.2.`);
      }
      const source = store.get(String(fromId));
      if (!source || source.type !== from.type) {
        throw new NsError('INVALID_INITIALIZE_REF', `You can not initialize ${to.type}: invalid reference ${String(fromId)}.`);
      }
      const target = buildTransform(ctx, cloneRecord(source), blank(to.type));
      for (const [k, v] of Object.entries(defaultValues)) target.fields[k] = normalizeValue(schema.fieldKind(to.type, k), v, k);
      return cloneRecord(target);
    },
    save,
    delete(type, id) {
      const record = stored(type, id);
      const dependents = store.referrers(record.id as string);
      if (dependents.length > 0) {
        throw new NsError('THIS_RECORD_CANNOT_BE_DELETED_BECAUSE_IT_HAS_DEPENDENT_RECORDS',
          `This record cannot be deleted because it has dependent records (${dependents.slice(0, 5).join(', ')}).`);
      }
      const refs = store.references(record.id as string);
      inventory.apply(effectsOf(ctx, record), -1);
      store.remove(record.id as string);
      rederive(refs);
    },
    submitFields(type, id, values, opts = {}) {
      const record = cloneRecord(stored(type, id));
      for (const [k, v] of Object.entries(values)) record.fields[k] = v;
      return save(record, opts);
    },
    findByExternalId: (type, externalId) => store.externalId(def(type).type, externalId) ?? null,
    search: (query) => runSearch(host, query),
    lookupFields: (type, id, columns) => lookupFields(host, type, String(id), columns),
    textOf(type, fieldId, value) {
      if (value === null || value === undefined || value === '') return '';
      if (fieldId === 'status' || fieldId === 'statusRef') return statusText(type, value);
      const d = schema.find(type);
      const kind = schema.fieldKind(type, fieldId)
        ?? Object.keys(d?.sublists ?? {}).map((s) => schema.fieldKind(type, fieldId, s)).find(Boolean);
      if (fieldId === 'internalid' || kind === 'select' || kind === 'multiselect') {
        const ids = Array.isArray(value) ? value : [String(value)];
        return ids.map((v) => {
          const r = store.get(String(v));
          return r ? displayName(ctx, r) : String(v);
        }).join(',');
      }
      if (typeof value === 'boolean') return value ? 'T' : 'F';
      if (value instanceof Date) return formatDate(value);
      return String(value);
    },
    // What a field is (and so the keys search indexes file records under) may change: indexes are recomputed.
    registerCustomRecordType(d) {
      schema.registerCustomRecordType(d);
      store.reindex();
    },
    registerCustomField(d) {
      schema.registerCustomField(d);
      store.reindex();
    },
    sourceField: (record, fieldId) => sourceLists(cloneRecord(record), fieldId),
    valueOfText(type, fieldId, text, sublistId) {
      const kind = schema.fieldKind(def(type).type, fieldId, sublistId);
      if (kind !== 'select' && kind !== 'multiselect') return Array.isArray(text) ? text.join(',') : text;
      const texts = (Array.isArray(text) ? text : kind === 'multiselect' ? String(text).split(',') : [text])
        .map((t) => String(t).trim())
        .filter((t) => t !== '');
      const ids = texts.map((t) => idOfText(fieldId, t));
      if (kind === 'multiselect') return ids;
      return ids[0] ?? null;
    },
    fieldKind: (type, fieldId, sublistId) => schema.fieldKind(type, fieldId, sublistId),
    inventoryLevel(itemId, locationId) {
      const loc = store.get(locationId);
      const onHand = inventory.onHand(itemId, locationId);
      return { onHand, available: loc?.fields.makeinventoryavailable === false ? 0 : onHand };
    },
    baseCurrencyId: () => ctx.baseCurrencyId,
    currencyId(symbol) {
      for (const id of store.idsOfType('currency')) {
        if (store.get(id)?.fields.symbol === symbol.toUpperCase()) return id;
      }
      return null;
    },
    exportState: () => {
      const s = store.exportState();
      return {
        store: { ...s, records: s.records.map(({ record, refs }) => ({ record: cloneRecord(record), refs })) },
        inventory: inventory.exportLevels(),
      };
    },
    importState(state) {
      store.importState({ ...state.store, records: state.store.records.map(({ record, refs }) => ({ record: cloneRecord(record), refs: [...refs] })) });
      inventory.importLevels(state.inventory);
    },
  };

  /**
   * The record a select field's display text names. Well-known fields look in their target types (entity ->
   * customer, item -> items by SKU, location, account, currency by name or ISO code, createdfrom/doc ->
   * transactions); other select fields (custom ones included) look at every record. Case-insensitive, first
   * internal id wins. No match: INVALID_FLD_VALUE (NetSuite's setText refuses a text with no option; the exact
   * message is UNCONFIRMED).
   */
  function idOfText(fieldId: string, text: string): string {
    const targets = SELECT_TARGETS[fieldId];
    const wanted = text.toLowerCase();
    const candidates = targets
      ? targets.flatMap((t) => store.idsOfType(t))
      : [...store.all()].map((r) => r.id as string);
    for (const id of candidates.sort(compareIds)) {
      const r = store.get(id);
      if (!r) continue;
      const names = [displayName(ctx, r), r.fields.entityid, r.fields.symbol, r.fields.tranid, r.fields.acctnumber]
        .filter((n): n is string => typeof n === 'string' && n !== '');
      if (names.some((n) => n.toLowerCase() === wanted)) return id;
    }
    throw new NsError('INVALID_FLD_VALUE', `You have entered an Invalid Field Value ${text} for the following field: ${fieldId}`);
  }

  function statusText(type: string, value: FieldValue): string {
    const code = schema.find(type)?.code;
    const entry = code ? STATUSES[code]?.find((s) => s.ref === value || s.text === value || `${code}:${s.letter}` === value) : undefined;
    return entry?.text ?? String(value);
  }

  const indexed = options.searchIndexes ?? true;
  const host: SearchHost = { ctx, view, textOf: engine.textOf, indexed };
  if (indexed) {
    // Item names are unique across item types (DUP_ITEM): the check reads this index instead of every item.
    for (const t of ITEM_TYPES) store.ensureIndex(t, ITEM_NAME_INDEX, (r) => [String(r.fields.itemid ?? '').toLowerCase()]);
    // The lookups integrations make (by externalId, SKU, createdfrom, the order's storefront reference, customer):
    // indexed from the start. Searches on other fields define their index the first time they run.
    for (const [types, fields] of INDEXED_FIELDS) for (const t of types) for (const f of fields) defineFieldIndex(host, t, f);
  }
  bootstrap();
  return engine;
}

const TRANSACTION_TYPES = ['salesorder', 'itemfulfillment', 'invoice', 'cashsale', 'returnauthorization', 'itemreceipt',
  'creditmemo', 'cashrefund', 'customerdeposit', 'customerpayment', 'customerrefund', 'depositapplication', 'deposit',
  'inventorytransfer', 'inventoryadjustment'];

const ITEM_NAME_INDEX = 'unique:itemid';

const INDEXED_FIELDS: ReadonlyArray<[string[], string[]]> = [
  [TRANSACTION_TYPES, ['externalid', 'createdfrom', 'otherrefnum', 'entity']],
  [['customerdeposit', 'customerpayment', 'customerrefund'], ['customer', 'salesorder']],
  [ITEM_TYPES, ['externalid', 'itemid']],
  [['customer'], ['externalid', 'email', 'entityid']],
  [['location', 'account', 'currency'], ['externalid']],
];

/** Record types a standard select field points at (for Record.setText). */
const SELECT_TARGETS: Readonly<Record<string, string[]>> = {
  entity: ['customer'], customer: ['customer'],
  item: ITEM_TYPES,
  location: ['location'], transferlocation: ['location'], adjlocation: ['location'],
  account: ['account'], aracct: ['account'],
  currency: ['currency'],
  createdfrom: TRANSACTION_TYPES, doc: TRANSACTION_TYPES, salesorder: ['salesorder'], deposit: ['customerdeposit'],
};

/** M/D/YYYY, NetSuite's default date format (UTC date parts). */
export function formatDate(d: Date): string {
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/** Members beyond the RecordEngine seam (also declared on RecordEngine as optional in types.ts). */
export interface EngineExtras {
  /** NetSuite's sourcing after a field change: setting `customer` on a refund/payment lists its open documents. */
  sourceField(record: RecordData, fieldId: string): RecordData;
  /** The kind of a field (checkbox, currency, date, select …), for the runtime's value conversions. */
  fieldKind(type: string, fieldId: string, sublistId?: string): string | undefined;
  valueOfText(type: string, fieldId: string, text: string | string[], sublistId?: string): FieldValue;
  inventoryLevel(itemId: string, locationId: string): { onHand: number; available: number };
  baseCurrencyId(): string;
  currencyId(symbol: string): string | null;
  /**
   * Everything stored: records of every type with their versions and references, the internal-id and
   * transaction-number counters, inventory per item and location. Deep copies; Date values stay Dates.
   */
  exportState(): EngineState;
  /** Replaces everything stored with a state exportState gave (externalId and reference indexes are rebuilt). */
  importState(state: EngineState): void;
}
