// The bundle's compiled RESTlet in two local accounts, one with search indexes and one reading every record: the
// refund flow's lookups (by externalId, order link, createdfrom, salesorder, SKU), its writes and outbox pulls
// answer the same bodies for the same units after creates, updates, deletes and a restart on the state file; and
// with 10,000 records an indexed lookup costs a fraction of reading every record.
// Needs the compiled SuiteScripts: `npm run build:suitescripts`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount } from '../../../emulator';
import type { Operation } from '../../../core/contracts/restlet';

const SCRIPT = 'customscript_lb_rl_api';
const DEPLOY = 'customdeploy_lb_rl_api';

let dir: string;
const open: LocalAccount[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-index-'));
});
afterEach(async () => {
  for (const a of open.splice(0)) await a.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(name: string, searchIndexes: boolean, stateFile = true): LocalAccount {
  const account = createLocalAccount({ accountId: 'TSTDRV1234567', searchIndexes, ...(stateFile ? { stateFile: path.join(dir, `${name}.json`) } : {}) });
  open.push(account);
  return account;
}

async function restart(account: LocalAccount, name: string, searchIndexes: boolean): Promise<LocalAccount> {
  open.splice(open.indexOf(account), 1);
  await account.close();
  return start(name, searchIndexes);
}

function call(account: LocalAccount, body: unknown): { status: number; body: unknown; units: number; ms: number } {
  const started = process.hrtime.bigint();
  const outcome = account.restlets.invokeSync({
    script: SCRIPT, deploy: DEPLOY, method: 'POST', contentType: 'application/json', body: JSON.stringify(body), query: {},
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let parsed: unknown = JSON.parse(outcome.body);
  if (typeof parsed === 'string') parsed = JSON.parse(parsed);
  return { status: outcome.status, body: parsed, units: outcome.unitsUsed, ms };
}

const batch = (operations: Operation[]) => ({ action: 'batch', operations });

/** The same request on both accounts: the same status, body and units. Answers the indexed account's body. */
function same(a: LocalAccount, b: LocalAccount, request: unknown, strip: (body: unknown) => unknown = (x) => x): Record<string, unknown> {
  const x = call(a, request);
  const y = call(b, request);
  expect({ request, status: x.status, body: strip(x.body), units: x.units }).toEqual({ request, status: y.status, body: strip(y.body), units: y.units });
  expect(x.status).toBe(200);
  return x.body as Record<string, unknown>;
}

/** Customers, items and orders billed by cash sale, by invoice and not billed (with a deposit), made in the UI. */
function seed(account: LocalAccount) {
  const ui = account.ui;
  const location = ui.create('location', { fields: { name: 'Main' } });
  const customers = [0, 1, 2].map((i) => ui.create('customer', { fields: { companyname: `Customer ${i}`, externalid: `cust-${i}`, email: `c${i}@shop.test` } }));
  const items = ['SKU-A', 'SKU-B', 'Sku-C'].map((sku) => ui.create('inventoryitem', { fields: { itemid: sku, displayname: sku, baseprice: 10 } }));
  const orders: Array<{ so: string; billed: string | null }> = [];
  for (let i = 0; i < 12; i++) {
    const so = ui.create('salesorder', {
      fields: { entity: customers[i % 3] as string, externalid: `shop:order:${i}`, otherrefnum: `#${1000 + i}`, location },
      sublists: { item: [{ item: items[i % 3] as string, quantity: 2, rate: 10 }, { item: items[(i + 1) % 3] as string, quantity: 1, rate: 5 }] },
    });
    let billed: string | null = null;
    if (i % 3 !== 2) {
      ui.transform('salesorder', so, 'itemfulfillment');
      billed = ui.transform('salesorder', so, i % 3 === 0 ? 'cashsale' : 'invoice', { fields: { externalid: `shop:order:${i}:bill` } });
    } else {
      ui.create('customerdeposit', { fields: { customer: customers[i % 3] as string, salesorder: so, payment: '7.50', externalid: `shop:order:${i}:deposit` } });
    }
    orders.push({ so, billed });
  }
  return { orders };
}

/** The refund flow's lookups of order i, and an item search by SKU. */
function lookups(i: number, so: string): Operation[] {
  return [
    { opId: 'ext', kind: 'lookup', recordType: 'salesorder', by: { externalId: `shop:order:${i}` }, columns: ['entity', 'otherrefnum'] },
    { opId: 'link', kind: 'lookup', recordType: 'salesorder', by: { field: 'otherrefnum', value: `#${1000 + i}` }, columns: ['entity'] },
    { opId: 'moved', kind: 'lookup', recordType: 'salesorder', by: { field: 'otherrefnum', value: `#M${i}` }, columns: ['entity'] },
    { opId: 'cashsale', kind: 'lookup', recordType: 'cashsale', by: { field: 'createdfrom', value: so }, columns: ['total'] },
    { opId: 'invoice', kind: 'lookup', recordType: 'invoice', by: { field: 'createdfrom', value: so }, columns: ['amountremaining'] },
    { opId: 'deposit', kind: 'lookup', recordType: 'customerdeposit', by: { field: 'salesorder', value: so }, columns: ['unapplied'] },
    { opId: 'skus', kind: 'itemsBySku', skus: ['SKU-A', 'sku-c', 'NOPE'] },
  ];
}

/** Outbox events carry the time they were recorded: compared without it. */
const withoutTimes = (body: unknown) => JSON.parse(JSON.stringify(body, (k, v) => (k === 'occurredAt' ? '(time)' : v)));

function compareAll(a: LocalAccount, b: LocalAccount, orders: Array<{ so: string }>) {
  orders.forEach((o, i) => same(a, b, batch(lookups(i, o.so))));
  same(a, b, { action: 'outbox.pull', after: '0', limit: 100 }, withoutTimes);
}

describe('search indexes through the bundle RESTlet', () => {
  it('the same answers and units as reading every record, after writes, updates, deletes and a restart', async () => {
    let a = start('indexed', true);
    let b = start('scan', false);
    const { orders } = seed(a);
    expect(seed(b).orders).toEqual(orders);
    compareAll(a, b, orders);

    // The refund flow's writes: cash refunds by transform (lines by SKU), and the order link moved by setFields.
    for (const [i, o] of orders.entries()) {
      if (i % 3 !== 0 || !o.billed) continue;
      const refund = same(a, b, batch([{
        opId: 'refund', kind: 'transform', fromType: 'cashsale', from: { id: o.billed }, toType: 'cashrefund',
        externalId: `shop:refund:${i}`, items: [{ sku: ['SKU-A', 'SKU-B', 'Sku-C'][i % 3] as string, quantity: 1 }],
      }]));
      expect(refund.results).toEqual([expect.objectContaining({ status: 'ok', created: true })]);
    }
    for (const i of [1, 4, 7]) {
      same(a, b, batch([{ opId: 'move', kind: 'setFields', recordType: 'salesorder', target: { externalId: `shop:order:${i}` }, values: { otherrefnum: `#M${i}` } }]));
    }
    // A person deletes a deposit and an unbilled order in the UI.
    for (const acct of [a, b]) {
      const deposit = acct.engine.findByExternalId('customerdeposit', 'shop:order:2:deposit') as string;
      acct.ui.delete('customerdeposit', deposit);
      acct.ui.delete('salesorder', orders[2]?.so as string);
    }
    compareAll(a, b, orders);
    const moved = same(a, b, batch(lookups(4, orders[4]?.so as string)));
    expect((moved.results as Array<Record<string, unknown>>).map((r) => [r.opId, r.found ?? null])).toEqual([
      ['ext', true], ['link', false], ['moved', true], ['cashsale', false], ['invoice', true], ['deposit', false], ['skus', null],
    ]);
    const gone = same(a, b, batch(lookups(2, orders[2]?.so as string)));
    expect((gone.results as Array<Record<string, unknown>>).map((r) => r.found ?? null)).toEqual([false, false, false, false, false, false, null]);

    // Restarted on their state files, the indexes are rebuilt from what the file holds.
    a = await restart(a, 'indexed', true);
    b = await restart(b, 'scan', false);
    expect(a.restored && b.restored).toBe(true);
    compareAll(a, b, orders);
    const refunded = same(a, b, batch([{ opId: 'r', kind: 'lookup', recordType: 'cashrefund', by: { externalId: 'shop:refund:3' }, columns: ['createdfrom', 'total'] }]));
    expect(refunded.results).toEqual([expect.objectContaining({
      found: true, values: { createdfrom: { value: orders[3]?.billed, text: expect.stringMatching(/^Cash Sale #/) }, total: { value: '10.00', text: '10.00' } },
    })]);
    // A retried refund after the restart finds the one written before it.
    const again = same(a, b, batch([{
      opId: 'refund', kind: 'transform', fromType: 'cashsale', from: { id: orders[3]?.billed as string }, toType: 'cashrefund',
      externalId: 'shop:refund:3', items: [{ sku: 'SKU-A', quantity: 1 }], lookupFirst: true,
    }]));
    expect(again.results).toEqual([expect.objectContaining({ status: 'ok', created: false })]);
  });

  it('with 10,000 records, a lookup by externalId or order link costs a fraction of reading every record', () => {
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
    const measure = (searchIndexes: boolean) => {
      const account = start(searchIndexes ? 'big-indexed' : 'big-scan', searchIndexes, false);
      const e = account.engine;
      const save = (type: string, fields: Record<string, string>, lines: Array<Record<string, string | number>> = []) => {
        const r = e.newRecord(type);
        Object.assign(r.fields, fields);
        if (lines.length > 0) r.sublists.item = lines;
        return e.save(r);
      };
      const customer = save('customer', { companyname: 'Big Co' });
      const item = save('serviceitem', { itemid: 'WRAP' });
      for (let i = 0; i < 10_000; i++) save('salesorder', { entity: customer, externalid: `big:${i}`, otherrefnum: `#${i}` }, [{ item, quantity: 1, rate: 1 }]);
      const times: number[] = [];
      for (let n = 0; n < 15; n++) {
        const i = (n * 7919) % 10_000;
        const r = call(account, batch([
          { opId: 'ext', kind: 'lookup', recordType: 'salesorder', by: { externalId: `big:${i}` } },
          { opId: 'link', kind: 'lookup', recordType: 'salesorder', by: { field: 'otherrefnum', value: `#${i}` } },
        ]));
        expect((r.body as { results: Array<{ found: boolean }> }).results.map((x) => x.found)).toEqual([true, true]);
        if (n >= 3) times.push(r.ms);
      }
      return median(times);
    };
    const indexed = measure(true);
    const scan = measure(false);
    // Measured here: about 1 ms against about 200 ms.
    expect(scan).toBeGreaterThan(indexed * 5);
  });
});
