// The bundle's compiled RESTlet (customscript_lb_rl_api) in the local NetSuite account: batch operations,
// idempotency by externalId, governance stops, and the usage each operation costs (reference 1.1, 1.2).
// Needs the compiled SuiteScripts: `npm run build:suitescripts`.
import type { BatchResponse, CreateOperation, Operation } from '../../../core/contracts/restlet';
import { floorUnits, REPLAY_FLOOR_UNITS, worstCaseUnits } from '../../../core/netsuite/restlet-api/governance';
import { RESTLET_UNIT_LIMIT } from '../../../core/netsuite/restlet-api/limits';
import { invoke, seededAccount, type Seeded } from './local-account';

let s: Seeded;
beforeEach(() => {
  s = seededAccount();
});
afterEach(async () => {
  await s.account.close();
});

function batch(operations: Operation[]) {
  return invoke<'batch'>(s.account, { action: 'batch', operations });
}

function countByExternalId(type: string, externalId: string): number {
  return s.account.engine.search({ type, filters: [['externalid', 'anyof', externalId], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).length;
}

const cashSaleOp = (i: number): CreateOperation => ({
  opId: `c${i}`,
  kind: 'create',
  recordType: 'cashsale',
  externalId: `shop:order:${5000 + i}`,
  values: { memo: `order ${i}`, trandate: { date: '2026-11-20' } },
  items: [{ sku: 'SKU-A', quantity: 1, rate: '12.34' }],
});

describe('health', () => {
  it('reports version, features and configuration without spending units', async () => {
    const { status, body, units } = await invoke<'health'>(s.account, { action: 'health', apiVersion: 1 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, apiVersion: 1, bundleVersion: '0.1.0', missingFeatures: [], configuration: { custscript_lb_order_id_field: null } });
    expect(units).toBe(0);
  });

  it('names a required feature that is off', async () => {
    s.account.setFeature('CUSTOMRECORDS', false);
    const { body } = await invoke<'health'>(s.account, { action: 'health' });
    expect(body).toMatchObject({ ok: false, missingFeatures: ['CUSTOMRECORDS'] });
  });

  it('refuses another API version and unknown actions with codes', async () => {
    expect((await invoke(s.account, { action: 'health', apiVersion: 2 })).body).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_API_VERSION' } });
    expect((await invoke(s.account, { action: 'nuke' })).body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
  });
});

describe('batch writes', () => {
  it('creates a transaction with lines by SKU, the origin marker, at the documented floor of units', async () => {
    const op = { ...cashSaleOp(1), values: { ...cashSaleOp(1).values, entity: s.customerId } };
    const { body, units } = await batch([op]);
    const [result] = body.results;
    expect(result).toMatchObject({ status: 'ok', kind: 'create', created: true });
    const rec = s.account.engine.load('cashsale', (result as { id: string }).id);
    expect(rec.fields).toMatchObject({ externalid: 'shop:order:5001', custbody_lb_origin: expect.stringMatching(/^ledgerbridge:/), entity: s.customerId, total: '12.34' });
    expect(rec.sublists.item).toHaveLength(1);
    expect(rec.sublists.item?.[0]).toMatchObject({ item: s.items['SKU-A'], quantity: 1 });
    expect(units).toBe(floorUnits(op));
  });

  it('is idempotent by externalId: a retried create returns the same id and never creates twice', async () => {
    const op = { ...cashSaleOp(2), values: { entity: s.customerId } };
    const first = (await batch([op])).body.results[0];
    const again = await batch([op, { ...op, opId: 'again' }]);
    expect(again.body.results.map((r) => (r as { id: string }).id)).toEqual([(first as { id: string }).id, (first as { id: string }).id]);
    expect(again.body.results.map((r) => (r as { created: boolean }).created)).toEqual([false, false]);
    expect(countByExternalId('cashsale', op.externalId)).toBe(1);
  });

  it('with lookupFirst, a replay of a committed create costs one search; a first attempt writes as usual', async () => {
    const op = { ...cashSaleOp(3), values: { entity: s.customerId } };
    const plainReplayUnits = worstCaseUnits(op); // write attempt that fails + the lookup after it
    const first = await batch([{ ...op, lookupFirst: true }]);
    expect(first.body.results[0]).toMatchObject({ status: 'ok', created: true });
    expect(first.units).toBe(floorUnits(op) + REPLAY_FLOOR_UNITS);
    const id = (first.body.results[0] as { id: string }).id;

    const replay = await batch([{ ...op, lookupFirst: true }]);
    expect(replay.body.results[0]).toMatchObject({ status: 'ok', id, created: false });
    expect(replay.units).toBe(REPLAY_FLOOR_UNITS);
    const plain = await batch([op]);
    expect(plain.body.results[0]).toMatchObject({ status: 'ok', id, created: false });
    expect(plain.units).toBe(plainReplayUnits);
    expect(countByExternalId('cashsale', op.externalId)).toBe(1);
  });

  it('a transform replayed with lookupFirst answers the refund already made, for one search', async () => {
    const op: Operation = { opId: 't', kind: 'transform', fromType: 'cashsale', from: { id: s.cashSaleId }, toType: 'cashrefund', externalId: 'shop:refund:lf', items: [{ sku: 'SKU-B', quantity: 1 }] };
    const first = (await batch([op])).body.results[0] as { id: string };
    const replay = await batch([{ ...op, lookupFirst: true }]);
    expect(replay.body.results[0]).toMatchObject({ status: 'ok', id: first.id, created: false });
    expect(replay.units).toBe(REPLAY_FLOOR_UNITS);
    expect(countByExternalId('cashrefund', 'shop:refund:lf')).toBe(1);
  });

  it('transforms a cash sale into a cash refund with the listed lines and an adjustment line', async () => {
    const { body } = await batch([
      {
        opId: 't',
        kind: 'transform',
        fromType: 'cashsale',
        from: { field: 'memo', value: 'order #1001' },
        toType: 'cashrefund',
        externalId: 'shop:refund:77',
        values: { memo: 'refund 77' },
        items: [{ sku: 'SKU-A', quantity: 1 }, { sku: 'ADJ', quantity: 1, rate: '-0.50' }],
      },
    ]);
    const result = body.results[0] as { status: string; id: string };
    expect(result.status).toBe('ok');
    const refund = s.account.engine.load('cashrefund', result.id);
    expect(refund.fields).toMatchObject({ createdfrom: s.cashSaleId, custbody_lb_origin: expect.stringMatching(/^ledgerbridge:/), externalid: 'shop:refund:77', total: '9.50' });
    expect(refund.sublists.item?.map((l) => [l.item, l.quantity])).toEqual([
      [s.items['SKU-A'], 1],
      [s.items.ADJ, 1],
    ]);
    // Sent again (a lost answer): the same refund, not a second one.
    const again = await batch([{ opId: 't', kind: 'transform', fromType: 'cashsale', from: { id: s.cashSaleId }, toType: 'cashrefund', externalId: 'shop:refund:77' }]);
    expect(again.body.results[0]).toMatchObject({ status: 'ok', id: result.id, created: false });
    expect(countByExternalId('cashrefund', 'shop:refund:77')).toBe(1);
  });

  it('sets fields by externalId and looks records up with their columns', async () => {
    const { body } = await batch([
      { opId: 's', kind: 'setFields', recordType: 'cashsale', target: { externalId: 'shop:order:1001' }, values: { memo: 'synced' } },
      { opId: 'l', kind: 'lookup', recordType: 'cashsale', by: { externalId: 'shop:order:1001' }, columns: ['memo', 'total', 'entity'] },
      { opId: 'm', kind: 'lookup', recordType: 'cashsale', by: { externalId: 'never-synced' } },
      { opId: 'i', kind: 'itemsBySku', skus: ['SKU-B', 'NOPE'] },
    ]);
    expect(body.results[0]).toEqual({ opId: 's', status: 'ok', kind: 'setFields', recordType: 'cashsale', id: s.cashSaleId });
    expect(body.results[1]).toMatchObject({ found: true, id: s.cashSaleId, values: { memo: { value: 'synced' }, total: { value: '25.50' }, entity: { value: s.customerId, text: 'Acme Retail' } } });
    expect(body.results[2]).toMatchObject({ status: 'ok', found: false, id: null });
    expect(body.results[3]).toMatchObject({ items: { 'SKU-B': { id: s.items['SKU-B'], type: 'inventoryitem' } }, missing: ['NOPE'] });
    expect(s.account.engine.load('cashsale', s.cashSaleId).fields.custbody_lb_origin).toMatch(/^ledgerbridge:/);
  });

  it('answers each failing operation with its own code and runs the others', async () => {
    const { body } = await batch([
      { ...cashSaleOp(3), values: { entity: s.customerId }, items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] },
      { opId: 'nf', kind: 'transform', fromType: 'cashsale', from: { externalId: 'missing' }, toType: 'cashrefund', externalId: 'r-x' },
      { opId: 'bad', kind: 'transform', fromType: 'cashsale', from: { id: '1' }, toType: 'creditmemo', externalId: 'r-y' } as Operation,
      { ...cashSaleOp(4), opId: 'ns' }, // no customer: NetSuite refuses the save
      { ...cashSaleOp(5), values: { entity: s.customerId } },
    ]);
    expect(body.results.map((r) => (r.status === 'error' ? r.error.code : r.status))).toEqual([
      'UNKNOWN_SKU',
      'RECORD_NOT_FOUND',
      'UNSUPPORTED_TRANSFORM',
      'NETSUITE_ERROR',
      'ok',
    ]);
    expect(body.results[3]).toMatchObject({ error: { netsuiteCode: expect.stringMatching(/^[A-Z_]+$/) } });
    expect(countByExternalId('cashsale', cashSaleOp(3).externalId)).toBe(0);
  });
});

describe('batch governance', () => {
  it('stops before 5,000 units, answers the rest not_attempted, and a resubmission finishes exactly once each', async () => {
    const ops = Array.from({ length: 150 }, (_, i) => ({ ...cashSaleOp(i), values: { entity: s.customerId } }));
    const first = await batch(ops);
    const body: BatchResponse = first.body;
    expect(body.stoppedEarly).toBe(true);
    expect(first.units).toBeLessThanOrEqual(RESTLET_UNIT_LIMIT);
    const done = body.results.filter((r) => r.status === 'ok').length;
    expect(done).toBeGreaterThan(90);
    expect(body.results.slice(done).every((r) => r.status === 'not_attempted')).toBe(true);
    expect(s.account.usage().at(-1)?.error).toBeUndefined();

    const rest = ops.filter((op) => body.results.find((r) => r.opId === op.opId)?.status === 'not_attempted');
    const second = await batch(rest);
    expect(second.body.results.every((r) => r.status === 'ok' && (r as { created: boolean }).created)).toBe(true);
    for (const op of ops) expect(countByExternalId('cashsale', op.externalId)).toBe(1);
  });
});
