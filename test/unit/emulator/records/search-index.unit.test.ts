// Indexed searches answer exactly what reading every record answers: two engines, one with search indexes and one
// without, get the same random creates, transforms, field updates, deletes and state reloads; after each step the
// same lookups (by externalId, SKU, createdfrom, salesorder, otherrefnum, a custom body field, entity, internal id,
// a custom record's status) must give equal rows in equal order, or the same error.
import { createRecordEngine } from '../../../../emulator/records/engine';
import type { FieldValue, LineData, RecordData, SearchQuery } from '../../../../emulator/records/types';

type Engine = ReturnType<typeof createRecordEngine>;

const NOW = () => new Date('2026-03-10T12:00:00Z');
const EVENT = 'customrecord_lb_test_evt';

function engine(searchIndexes: boolean): Engine {
  const e = createRecordEngine({ accountId: 'TSTDRV123', now: NOW, searchIndexes });
  e.registerCustomField({ id: 'custbody_shop_ref', fieldType: 'TEXT', appliesTo: 'transactionbody' });
  e.registerCustomRecordType({
    scriptid: EVENT,
    fields: [
      { id: 'custrecord_evt_status', fieldType: 'TEXT' },
      { id: 'custrecord_evt_rec', fieldType: 'TEXT' },
      { id: 'custrecord_evt_when', fieldType: 'DATE' },
    ],
  });
  return e;
}

type Outcome = { value: unknown } | { error: string };

function outcome(fn: () => unknown): Outcome {
  try {
    return { value: fn() };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { error: `${e.code ?? 'no code'}: ${e.message ?? String(err)}` };
  }
}

/** A deterministic pseudo-random sequence. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick<T>(list: readonly T[]): T | undefined {
      return list.length === 0 ? undefined : list[Math.floor(next() * list.length)];
    },
    chance: (p: number) => next() < p,
  };
}

/** Two engines driven in lockstep; every operation must have the same outcome on both. */
class Twins {
  indexed = engine(true);
  scan = engine(false);

  both<T>(fn: (e: Engine) => T): T | undefined {
    const a = outcome(() => fn(this.indexed));
    const b = outcome(() => fn(this.scan));
    expect(a).toEqual(b);
    return 'value' in a ? (a.value as T) : undefined;
  }

  /** Restarts both from their exported state (as the account's state file does), into new engines. */
  reload(intoExisting: boolean) {
    const a = this.indexed.exportState();
    const b = this.scan.exportState();
    const ai = intoExisting ? this.indexed : engine(true);
    const bi = intoExisting ? this.scan : engine(false);
    ai.importState(JSON.parse(JSON.stringify(a), reviveDates));
    bi.importState(JSON.parse(JSON.stringify(b), reviveDates));
    this.indexed = ai;
    this.scan = bi;
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
function reviveDates(_key: string, value: unknown) {
  return typeof value === 'string' && ISO.test(value) ? new Date(value) : value;
}

function save(e: Engine, type: string, fields: Record<string, FieldValue>, sublists: Record<string, LineData[]> = {}): string {
  const r: RecordData = e.newRecord(type);
  Object.assign(r.fields, fields);
  Object.assign(r.sublists, sublists);
  return e.save(r);
}

interface Model {
  customers: string[];
  items: Array<{ id: string; sku: string }>;
  orders: Array<{ id: string; ext: string; ref: string; shop: string; billed?: { type: string; id: string } }>;
  deposits: string[];
  refunds: string[];
  events: string[];
  /** Values that were stored once (some replaced or deleted since): lookups of stale keys must find nothing. */
  seen: { ext: Set<string>; ref: Set<string>; shop: Set<string>; sku: Set<string> };
  location: string;
}

function queries(m: Model, r: ReturnType<typeof rng>): SearchQuery[] {
  const order = r.pick(m.orders);
  const ext = r.pick([...m.seen.ext]) ?? 'none';
  const ref = r.pick([...m.seen.ref]) ?? 'none';
  const shop = r.pick([...m.seen.shop]) ?? 'none';
  const skus = [r.pick([...m.seen.sku]) ?? 'X', r.pick([...m.seen.sku]) ?? 'Y', 'NO-SUCH-SKU'];
  const so = order?.id ?? '999999';
  const customer = r.pick(m.customers) ?? '1';
  const main = ['mainline', 'is', 'T'];
  return [
    { type: 'salesorder', filters: [['externalid', 'anyof', [ext]], 'AND', main], columns: [{ name: 'internalid' }, { name: 'entity' }] },
    { type: 'salesorder', filters: [['externalid', 'is', ext.toUpperCase()], 'AND', main], columns: [{ name: 'tranid' }] },
    { type: 'salesorder', filters: [['otherrefnum', 'is', ref], 'AND', main], columns: [{ name: 'otherrefnum' }] },
    { type: 'salesorder', filters: [['custbody_shop_ref', 'is', shop], 'AND', main], columns: [{ name: 'custbody_shop_ref' }] },
    { type: 'cashsale', filters: [['createdfrom', 'is', so], 'AND', main], columns: [{ name: 'total' }] },
    { type: 'invoice', filters: [['createdfrom', 'is', so], 'AND', main], columns: [{ name: 'amountremaining' }] },
    { type: 'customerdeposit', filters: [['salesorder', 'is', so], 'AND', main], columns: [{ name: 'unapplied' }] },
    { type: 'cashrefund', filters: [['createdfrom', 'anyof', m.orders.map((o) => o.billed?.id ?? '0')], 'AND', main], columns: [{ name: 'createdfrom' }] },
    { type: 'item', filters: skus.flatMap((s, i) => (i === 0 ? [['itemid', 'is', s]] : ['OR', ['itemid', 'is', s.toLowerCase()]])), columns: [{ name: 'itemid' }] },
    { type: 'item', filters: [['internalid', 'anyof', m.items.slice(0, 3).map((i) => i.id)]], columns: [{ name: 'itemid' }] },
    { type: 'transaction', filters: [['entity', 'anyof', customer], 'AND', main], columns: [{ name: 'type' }, { name: 'tranid', sort: 'DESC' }] },
    { type: 'transaction', filters: [['externalid', 'anyof', [ext, `${ext}:refund`]], 'AND', main], columns: [{ name: 'type' }] },
    // Line rows (no mainline filter) read line fields too: these read every record in both engines.
    { type: 'salesorder', filters: [['externalid', 'anyof', [ext]]], columns: [{ name: 'item' }, { name: 'mainline' }] },
    { type: 'salesorder', filters: [['otherrefnum', 'anyof', '@NONE@'], 'AND', main], columns: [] },
    { type: 'salesorder', filters: [['externalid', 'is', ''], 'AND', main], columns: [] },
    { type: 'salesorder', filters: ['NOT', ['externalid', 'is', ext], 'AND', main], columns: [{ name: 'internalid', sort: 'ASC' }] },
    { type: 'salesorder', filters: [['externalid', 'is', ext], 'AND', main, 'AND', ['trandate', 'on', 'not a date']], columns: [] },
    { type: 'salesorder', filters: [['trandate', 'on', 'not a date'], 'AND', ['externalid', 'is', ext], 'AND', main], columns: [] },
    { type: 'salesorder', filters: [['externalid', 'is', ext], 'AND', ['memo', 'isnot', 'never']], columns: [{ name: 'memo' }] },
    { type: 'customer', filters: [['email', 'is', `C${r.int(12)}@SHOP.TEST`]], columns: [{ name: 'email' }] },
    { type: 'customer', filters: [{ name: 'externalid', operator: 'anyof', values: [`cust-${r.int(12)}`] }], columns: [{ name: 'entityid' }] },
    {
      type: EVENT,
      filters: [['custrecord_evt_status', 'is', 'pending'], 'AND', ['internalidnumber', 'greaterthan', Number(r.pick(m.events) ?? 0)]],
      columns: [{ name: 'internalid', sort: 'ASC' }, { name: 'custrecord_evt_rec' }],
    },
    { type: EVENT, filters: [['custrecord_evt_status', 'is', 'delivered'], 'AND', ['custrecord_evt_when', 'onorbefore', '3/10/2026']], columns: [] },
  ];
}

function compareQueries(t: Twins, m: Model, r: ReturnType<typeof rng>) {
  for (const q of queries(m, r)) {
    const a = outcome(() => t.indexed.search(q));
    const b = outcome(() => t.scan.search(q));
    expect({ query: q, result: a }).toEqual({ query: q, result: b });
  }
  const some = r.pick([...m.orders.map((o) => o.id), ...m.refunds, ...m.deposits]);
  if (some) t.both((e) => e.lookupFields('transaction', some, ['type', 'externalid', 'entity', 'createdfrom.tranid']));
}

function step(t: Twins, m: Model, r: ReturnType<typeof rng>, n: number) {
  const roll = r.int(100);
  if (roll < 8 || m.customers.length === 0) {
    const i = m.customers.length;
    const id = t.both((e) => save(e, 'customer', { companyname: `Shop Customer ${i}`, externalid: `cust-${i}`, email: `c${i}@shop.test` }));
    if (id) m.customers.push(id);
  } else if (roll < 14 || m.items.length < 2) {
    const sku = r.chance(0.15) && m.items.length > 0 ? (r.pick(m.items)?.sku ?? 'X').toLowerCase() : `Sku-${n}`;
    const type = r.pick(['inventoryitem', 'noninventoryitem', 'serviceitem', 'otherchargeitem']) as string;
    const id = t.both((e) => save(e, type, { itemid: sku, displayname: sku, externalid: `item-${n}` }));
    if (id) {
      m.items.push({ id, sku });
      m.seen.sku.add(sku);
    }
  } else if (roll < 34) {
    const ext = r.chance(0.5) ? `Shop:Order:${n}` : `shop:order:${n}`;
    const ref = `#${1000 + n}`;
    const shop = `S-${n % 7 === 0 ? 'dup' : n}`;
    const customer = r.pick(m.customers) as string;
    const lines = [r.pick(m.items), r.pick(m.items)].filter((x, i, all) => x && all.findIndex((y) => y?.id === x.id) === i)
      .map((it) => ({ item: (it as { id: string }).id, quantity: 1 + r.int(3), rate: 10 }));
    const id = t.both((e) => save(e, 'salesorder', { entity: customer, externalid: ext, otherrefnum: ref, custbody_shop_ref: shop, location: m.location }, { item: lines }));
    if (id) {
      m.orders.push({ id, ext, ref, shop });
      for (const [set, v] of [[m.seen.ext, ext], [m.seen.ref, ref], [m.seen.shop, shop]] as const) set.add(v);
    }
  } else if (roll < 46) {
    const o = r.pick(m.orders.filter((x) => !x.billed));
    if (!o) return;
    const type = r.chance(0.6) ? 'cashsale' : 'invoice';
    t.both((e) => {
      const f = e.transform('salesorder', o.id, 'itemfulfillment');
      return e.save(f);
    });
    const id = t.both((e) => {
      const b = e.transform('salesorder', o.id, type);
      b.fields.externalid = `${o.ext}:${type}`;
      return e.save(b);
    });
    if (id) o.billed = { type, id };
  } else if (roll < 54) {
    const o = r.pick(m.orders.filter((x) => x.billed?.type === 'cashsale'));
    if (!o?.billed) return;
    const from = o.billed.id;
    const id = t.both((e) => {
      const c = e.transform('cashsale', from, 'cashrefund');
      c.fields.externalid = `${o.ext}:refund`;
      c.sublists.item = (c.sublists.item ?? []).slice(0, 1).map((l) => ({ ...l, quantity: 1 }));
      return e.save(c);
    });
    if (id) m.refunds.push(id);
  } else if (roll < 58) {
    const o = r.pick(m.orders);
    if (!o) return;
    const customer = t.both((e) => String(e.load('salesorder', o.id).fields.entity));
    const id = t.both((e) => save(e, 'customerdeposit', { customer: customer ?? '', salesorder: o.id, payment: '5.00', externalid: `${o.ext}:deposit:${n}` }));
    if (id) m.deposits.push(id);
  } else if (roll < 72) {
    // Updates: new keys, cleared keys, a key moved to another record's value (a stale key must find nothing).
    const o = r.pick(m.orders);
    if (!o) return;
    const which = r.int(4);
    const values: Record<string, FieldValue> = {};
    if (which === 0) values.externalid = (o.ext = r.chance(0.2) ? '' : `Moved:${n}`);
    if (which === 1) values.otherrefnum = (o.ref = r.chance(0.2) ? '' : `#M${n}`);
    if (which === 2) values.custbody_shop_ref = (o.shop = r.pick(m.orders)?.shop ?? `S-${n}`);
    if (which === 3) values.memo = `edited ${n}`;
    for (const [set, v] of [[m.seen.ext, values.externalid], [m.seen.ref, values.otherrefnum], [m.seen.shop, values.custbody_shop_ref]] as const) {
      if (typeof v === 'string' && v !== '') set.add(v);
    }
    t.both((e) => e.submitFields('salesorder', o.id, values));
  } else if (roll < 80) {
    // Deletes: refunds and deposits first (their sources then have fewer dependents), then orders with none left.
    const kind = r.int(3);
    const list = kind === 0 ? m.refunds : kind === 1 ? m.deposits : m.orders.map((o) => o.id);
    const id = r.pick(list);
    if (!id) return;
    const type = kind === 0 ? 'cashrefund' : kind === 1 ? 'customerdeposit' : 'salesorder';
    const done = t.both((e) => {
      e.delete(type, id);
      return true;
    });
    if (done) {
      if (kind === 0) m.refunds.splice(m.refunds.indexOf(id), 1);
      if (kind === 1) m.deposits.splice(m.deposits.indexOf(id), 1);
      if (kind === 2) m.orders.splice(m.orders.findIndex((o) => o.id === id), 1);
    }
  } else if (roll < 92) {
    const existing = r.pick(m.events);
    if (existing && r.chance(0.4)) {
      if (r.chance(0.3)) {
        t.both((e) => e.delete(EVENT, existing));
        m.events.splice(m.events.indexOf(existing), 1);
      } else {
        t.both((e) => e.submitFields(EVENT, existing, { custrecord_evt_status: 'delivered', custrecord_evt_when: '3/9/2026' }));
      }
    } else {
      const id = t.both((e) => save(e, EVENT, { name: `evt ${n}`, custrecord_evt_status: 'pending', custrecord_evt_rec: String(n) }));
      if (id) m.events.push(id);
    }
  } else {
    t.reload(r.chance(0.5));
  }
}

describe('search indexes: the same answers as reading every record', () => {
  it.each([[1], [2], [3]])('random creates, updates, deletes and reloads (seed %i)', (seed) => {
    const t = new Twins();
    const location = t.both((e) => save(e, 'location', { name: 'Main' })) as string;
    const m: Model = {
      customers: [], items: [], orders: [], deposits: [], refunds: [], events: [], location,
      seen: { ext: new Set(), ref: new Set(), shop: new Set(), sku: new Set() },
    };
    const r = rng(seed);
    for (let n = 0; n < 260; n++) {
      step(t, m, r, n);
      if (n % 5 === 4) compareQueries(t, m, r);
    }
    compareQueries(t, m, r);
    // The walk did reach every kind of step.
    expect(m.orders.filter((o) => o.billed).length).toBeGreaterThan(5);
    expect(m.refunds.length + m.deposits.length).toBeGreaterThan(3);
    expect(t.indexed.exportState()).toEqual(t.scan.exportState());
  });

  it('a stored value matched case-insensitively, a replaced key no longer matches, a deleted record is gone', () => {
    const e = engine(true);
    const customer = save(e, 'customer', { companyname: 'Acme' });
    const item = save(e, 'serviceitem', { itemid: 'Wrap' });
    const so = save(e, 'salesorder', { entity: customer, externalid: 'Shop:1', otherrefnum: '#1' }, { item: [{ item, quantity: 1, rate: 3 }] });
    const ids = (field: string, value: string) =>
      e.search({ type: 'salesorder', filters: [[field, 'is', value], 'AND', ['mainline', 'is', 'T']], columns: [] }).map((row) => row.id);
    expect(ids('externalid', 'SHOP:1')).toEqual([so]);
    e.submitFields('salesorder', so, { otherrefnum: '#2' });
    expect(ids('otherrefnum', '#1')).toEqual([]);
    expect(ids('otherrefnum', '#2')).toEqual([so]);
    e.delete('salesorder', so);
    expect(ids('externalid', 'shop:1')).toEqual([]);
    expect(e.search({ type: 'item', filters: [['itemid', 'is', 'wrap']], columns: [] }).map((row) => row.id)).toEqual([item]);
  });

  it('lookupFields by family or type: an unknown type, a record of another type and a missing id are refused', () => {
    const e = engine(true);
    const customer = save(e, 'customer', { companyname: 'Acme' });
    const item = save(e, 'serviceitem', { itemid: 'Wrap' });
    const so = save(e, 'salesorder', { entity: customer, externalid: 'Shop:1' }, { item: [{ item, quantity: 1, rate: 3 }] });
    const code = (fn: () => unknown) => {
      const o = outcome(fn);
      return 'error' in o ? o.error.split(':')[0] : 'ok';
    };
    expect(e.lookupFields('transaction', so, ['externalid'])).toEqual({ externalid: 'Shop:1' });
    expect(e.lookupFields('item', item, ['itemid'])).toEqual({ itemid: 'Wrap' });
    expect([
      code(() => e.lookupFields('nosuchtype', '999', ['name'])),
      code(() => e.lookupFields('transaction', customer, ['entityid'])),
      code(() => e.lookupFields('item', so, ['itemid'])),
      code(() => e.lookupFields('salesorder', '999', ['tranid'])),
      code(() => e.lookupFields('customer', customer, ['companyname'])),
    ]).toEqual(['SSS_INVALID_RECORD_TYPE', 'RCRD_DSNT_EXIST', 'RCRD_DSNT_EXIST', 'RCRD_DSNT_EXIST', 'ok']);
  });

  it('DUP_ITEM still finds an item name of another item type, case-insensitively, and frees a deleted one', () => {
    const e = engine(true);
    const first = save(e, 'inventoryitem', { itemid: 'Gift-Box' });
    expect(outcome(() => save(e, 'serviceitem', { itemid: 'GIFT-BOX' }))).toEqual({ error: "DUP_ITEM: An item with name 'GIFT-BOX' already exists." });
    e.submitFields('inventoryitem', first, { itemid: 'Gift-Box-Old' });
    const second = save(e, 'serviceitem', { itemid: 'gift-box' });
    expect(outcome(() => save(e, 'otherchargeitem', { itemid: 'Gift-Box-OLD' }))).toEqual({ error: "DUP_ITEM: An item with name 'Gift-Box-OLD' already exists." });
    e.delete('inventoryitem', first);
    expect(save(e, 'otherchargeitem', { itemid: 'Gift-Box-OLD' })).not.toBe(second);
  });

  it('registering a custom field on an account that holds records keeps every index whole', () => {
    const e = createRecordEngine({ accountId: 'TSTDRV123', now: NOW });
    const customer = save(e, 'customer', { companyname: 'Acme' });
    const item = save(e, 'serviceitem', { itemid: 'Wrap' });
    const so = save(e, 'salesorder', { entity: customer, externalid: 'Shop:1', custbody_late: 'A-1' }, { item: [{ item, quantity: 1, rate: 3 }] });
    const ids = (field: string, value: string) =>
      e.search({ type: 'salesorder', filters: [[field, 'is', value], 'AND', ['mainline', 'is', 'T']], columns: [] }).map((row) => row.id);
    expect(ids('externalid', 'shop:1')).toEqual([so]);
    e.registerCustomField({ id: 'custbody_late', fieldType: 'TEXT', appliesTo: 'transactionbody' });
    expect(ids('externalid', 'shop:1')).toEqual([so]);
    expect(ids('custbody_late', 'a-1')).toEqual([so]);
    e.submitFields('salesorder', so, { custbody_late: 'B-2', externalid: 'Shop:2' });
    expect([ids('custbody_late', 'a-1'), ids('custbody_late', 'b-2'), ids('externalid', 'shop:1'), ids('externalid', 'shop:2')]).toEqual([[], [so], [], [so]]);
  });
});
