// The local account's state file: an account restarted on its file continues where it stopped (records of every
// type, ids, externalId uniqueness, transforms, optimistic-lock versions, inventory per location, custom records a
// User Event wrote, queued tasks, the seed's ids), writes are atomic and coalesced, and a bad file is refused.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalAccount, StateFileError, STATE_FORMAT_VERSION, type LocalAccount, type LocalAccountOptions } from '../../../../emulator';
import { seedSandbox } from '../../../../emulator/seed';

const FIXTURE_DIR = path.join(__dirname, '..', '..', '..', 'fixtures', 'emulator-scripts', 'fidelity');
const ACCOUNT_ID = 'TSTDRV1234567';

let dir: string;
let file: string;
const open: LocalAccount[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-state-'));
  file = path.join(dir, 'account', 'state.json');
});
afterEach(async () => {
  for (const a of open.splice(0)) await a.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(options: LocalAccountOptions = {}): LocalAccount {
  const account = createLocalAccount({ projectDir: FIXTURE_DIR, accountId: ACCOUNT_ID, stateFile: file, ...options });
  open.push(account);
  return account;
}

async function restart(account: LocalAccount, options: LocalAccountOptions = {}): Promise<LocalAccount> {
  open.splice(open.indexOf(account), 1);
  await account.close();
  return start(options);
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

function sale(account: LocalAccount) {
  const customer = account.ui.create('customer', { fields: { companyname: 'State Co', externalid: 'cust-1' } });
  const warehouse = account.ui.create('location', { fields: { name: 'Warehouse' } });
  const holding = account.ui.create('location', { fields: { name: 'Holding', makeinventoryavailable: false } });
  const item = account.ui.create('inventoryitem', { fields: { itemid: 'ST-1', displayname: 'State item' } });
  const adjust = account.engine.newRecord('inventoryadjustment');
  Object.assign(adjust.fields, { adjlocation: warehouse, account: account.ui.create('account', { fields: { acctname: 'Adj', accttype: 'OthExpense' } }) });
  adjust.sublists.inventory = [{ item, location: warehouse, adjustqtyby: 10 }, { item, location: holding, adjustqtyby: 2 }];
  account.engine.save(adjust);
  const so = account.ui.create('salesorder', {
    fields: { entity: customer, externalid: 'order-1', location: warehouse },
    sublists: { item: [{ item, quantity: 2, rate: '19.99' }] },
  });
  return { customer, warehouse, holding, item, so };
}

describe('restart on the state file', () => {
  it('a fresh file starts from the seed and is written at once; a restart restores it without seeding again', async () => {
    const first = start({ seedWith: (engine) => seedSandbox(engine) });
    expect(first.restored).toBe(false);
    expect(first.stateFile).toBe(file);
    expect(fs.existsSync(file)).toBe(true);
    const seeded = first.seeded;
    const stove = seeded?.items['LB-STOVE'] as string;
    const before = first.engine.load('inventoryitem', stove).fields;
    let calls = 0;
    const second = await restart(first, {
      seedWith: (engine) => {
        calls += 1;
        return seedSandbox(engine);
      },
    });
    expect(calls).toBe(0);
    expect(second.restored).toBe(true);
    expect(second.seeded).toEqual(seeded);
    expect(second.engine.load('inventoryitem', stove).fields).toMatchObject({
      quantityonhand: before.quantityonhand,
      quantityavailable: before.quantityavailable,
    });
    const cashSale = seeded?.orders['sandbox-order-1001']?.cashSale as string;
    expect(second.engine.load('cashsale', cashSale).fields.total).toBe(first.snapshot().engine.store.records.find((r) => r.record.id === cashSale)?.record.fields.total);
  });

  it('continues: ids keep increasing, externalIds stay unique, transforms and versions work on restored records', async () => {
    const first = start();
    const { customer, warehouse, holding, item, so } = sale(first);
    const fulfilment = first.ui.transform('salesorder', so, 'itemfulfillment');
    const invoice = first.ui.transform('salesorder', so, 'invoice');
    const invoiceVersion = first.engine.load('invoice', invoice).version;
    const lastId = first.snapshot().engine.store.lastId;
    const soTranId = first.engine.load('salesorder', so).fields.tranid;
    const stale = first.engine.load('customer', customer);

    const second = await restart(first);
    expect(second.restored).toBe(true);
    // Records and their derived state.
    expect(second.engine.load('salesorder', so).fields).toMatchObject({ status: 'Billed', tranid: soTranId });
    expect(second.engine.load('itemfulfillment', fulfilment).fields.createdfrom).toBe(so);
    expect(second.engine.load('invoice', invoice).fields).toMatchObject({ total: '39.98', amountremaining: '39.98', status: 'Open' });
    expect(second.engine.load('invoice', invoice).version).toBe(invoiceVersion);
    // Inventory per location: 10 - 2 shipped at the warehouse, 2 on hand but not available at the holding location.
    expect(second.engine.inventoryLevel?.(item, warehouse)).toEqual({ onHand: 8, available: 8 });
    expect(second.engine.inventoryLevel?.(item, holding)).toEqual({ onHand: 2, available: 0 });
    expect(second.engine.load('inventoryitem', item).fields).toMatchObject({ quantityonhand: 10, quantityavailable: 8 });
    // New ids continue after the last one; transaction numbers continue too.
    const next = second.ui.create('customer', { fields: { companyname: 'After restart' } });
    expect(BigInt(next)).toBe(BigInt(lastId) + 1n);
    const so2 = second.ui.create('salesorder', { fields: { entity: customer, location: warehouse }, sublists: { item: [{ item, quantity: 1, rate: '1.00' }] } });
    expect(Number(second.engine.load('salesorder', so2).fields.tranid)).toBe(Number(soTranId) + 1);
    // externalId uniqueness holds against restored records.
    const dup = second.engine.newRecord('customer');
    Object.assign(dup.fields, { companyname: 'Dup', externalid: 'cust-1' });
    expect(errorOf(() => second.engine.save(dup))).toMatchObject({ code: 'DUP_RCRD' });
    expect(second.engine.findByExternalId('salesorder', 'order-1')).toBe(so);
    // A transform against a restored record: pay the restored invoice; it becomes Paid In Full.
    const payment = second.ui.transform('invoice', invoice, 'customerpayment');
    expect(second.engine.load('customerpayment', payment).fields.payment).toBe('39.98');
    expect(second.engine.load('invoice', invoice).fields).toMatchObject({ status: 'Paid In Full', amountremaining: '0.00' });
    // Optimistic locking: a copy loaded before the restart is stale after a save made after it.
    expect(stale.version).toBe(second.engine.load('customer', customer).version);
    second.ui.edit('customer', customer, { email: 'new@state.test' });
    expect(errorOf(() => second.engine.save(stale))).toMatchObject({ code: 'RCRD_HAS_BEEN_CHANGED' });
    // Deletes stay blocked by restored children.
    expect(errorOf(() => second.engine.delete('salesorder', so))).toMatchObject({ code: 'THIS_RECORD_CANNOT_BE_DELETED_BECAUSE_IT_HAS_DEPENDENT_RECORDS' });

    // And a third session sees the second one's work.
    const third = await restart(second);
    expect(third.engine.load('invoice', invoice).fields.status).toBe('Paid In Full');
    expect(third.engine.load('customer', customer).fields.email).toBe('new@state.test');
  });

  it('keeps custom records a User Event wrote, and scripts keep working on them', async () => {
    const first = start();
    const note = first.ui.create('customrecord_fx_note', { fields: { name: 'n', custrecord_fx_note_text: 'hello' } });
    const audits = () => first.engine.search({ type: 'customrecord_fx_audit', filters: [], columns: [{ name: 'custrecord_fx_audit_text' }] });
    expect(audits()).toHaveLength(1);
    const second = await restart(first);
    expect(second.engine.load('customrecord_fx_note', note).fields.custrecord_fx_note_text).toBe('hello (checked)');
    const rows = second.engine.search({ type: 'customrecord_fx_audit', filters: [], columns: [{ name: 'custrecord_fx_audit_text' }] });
    expect(rows).toHaveLength(1);
    second.ui.edit('customrecord_fx_note', note, { custrecord_fx_note_text: 'again' });
    expect(second.engine.search({ type: 'customrecord_fx_audit', filters: [], columns: [] })).toHaveLength(2);
    expect(second.engine.load('customrecord_fx_note', note).version).toBe(2);
  });

  it('keeps queued tasks: a task submitted before the restart runs after it', async () => {
    const first = start();
    const out = first.restlets.invokeSync({
      script: 'customscript_fx_rl', deploy: 'customdeploy_fx_rl', method: 'POST', contentType: 'application/json',
      body: JSON.stringify({ action: 'submit', deploymentId: 'customdeploy_fx_mr' }), query: {},
    });
    const submitted = JSON.parse(out.body) as { id: string; status: string };
    expect(submitted.status).toBe('PENDING');
    const queued = first.tasks();
    expect(queued.map((t) => [t.id, t.status])).toEqual([[submitted.id, 'PENDING']]);
    const second = await restart(first);
    expect(second.tasks()).toEqual(queued);
    // Still unfinished after the restart: a second submit for the same deployment is refused (reference 1.2).
    expect(second.restlets.invokeSync({
      script: 'customscript_fx_rl', deploy: 'customdeploy_fx_rl', method: 'POST', contentType: 'application/json',
      body: JSON.stringify({ action: 'submit', deploymentId: 'customdeploy_fx_mr' }), query: {},
    }).body).toContain('FAILED_TO_SUBMIT_JOB_REQUEST_1');
    const ran = second.runQueuedTasks();
    expect(ran.map((r) => [r.task.id, r.task.status])).toEqual([[submitted.id, 'COMPLETE']]);
    const third = await restart(second);
    expect(third.tasks().map((t) => [t.id, t.status])).toEqual([[submitted.id, 'COMPLETE']]);
  });

  it('ids past 2^53 and money strings stay exact', async () => {
    const first = start();
    const customer = first.ui.create('customer', { fields: { companyname: 'Big' } });
    await first.close();
    open.splice(0);
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    state.engine.lastId = '9007199254740993';
    fs.writeFileSync(file, JSON.stringify(state));
    const second = start();
    const big = second.ui.create('customer', { fields: { companyname: 'Past 2^53', externalid: 'big-1' } });
    expect(big).toBe('9007199254740994');
    expect(second.engine.load('customer', big).fields.companyname).toBe('Past 2^53');
    const so = second.engine.newRecord('salesorder');
    const item = second.ui.create('noninventoryitem', { fields: { itemid: 'BIG-ITEM', displayname: 'Big item' } });
    Object.assign(so.fields, { entity: big });
    so.sublists.item = [{ item, quantity: 3, rate: '0.10' }, { item, quantity: 1, rate: '12345678901234.57' }];
    const soId = second.engine.save(so);
    expect(BigInt(soId)).toBe(9007199254740996n);
    expect(second.engine.load('salesorder', soId).fields.total).toBe('12345678901234.87');
    const third = await restart(second);
    expect(third.engine.load('salesorder', soId).fields).toMatchObject({ entity: '9007199254740994', total: '12345678901234.87' });
    expect(third.engine.findByExternalId('customer', 'big-1')).toBe('9007199254740994');
    expect(third.engine.load('customer', customer).fields.companyname).toBe('Big');
    expect(third.ui.create('customer', { fields: { companyname: 'next' } })).toBe('9007199254740997');
  });
});

describe('writes', () => {
  it('coalesces writes after a change and writes atomically (no temp file left, the file is always whole JSON)', async () => {
    const account = start({ stateWriteDelayMs: 30 });
    const written = () => JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; engine: { records: Array<{ fields: Record<string, unknown> }> } };
    expect(written().version).toBe(STATE_FORMAT_VERSION);
    const count = written().engine.records.length;
    for (let i = 0; i < 20; i++) account.ui.create('customer', { fields: { companyname: `C${i}` } });
    // Not yet written: the write is coalesced until the delay has passed.
    expect(written().engine.records).toHaveLength(count);
    await new Promise((r) => setTimeout(r, 150));
    expect(written().engine.records).toHaveLength(count + 20);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['state.json', 'state.json.lock']);
    account.ui.create('customer', { fields: { companyname: 'flushed' } });
    account.flushState();
    expect(written().engine.records).toHaveLength(count + 21);
    const dated = written().engine.records.find((r) => r.fields.companyname === 'flushed');
    expect(dated?.fields.createddate).toEqual({ $date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('close() writes what is pending and releases the lock', async () => {
    const account = start({ stateWriteDelayMs: 60_000 });
    const id = account.ui.create('customer', { fields: { companyname: 'on close' } });
    await account.close();
    open.splice(0);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    expect(start().engine.load('customer', id).fields.companyname).toBe('on close');
  });

  it('a process that exits without close() still writes its pending changes', () => {
    const script = `
      const fs = require('node:fs');
      const { transformSync } = require('@swc/core');
      require.extensions['.ts'] = (m, f) => m._compile(transformSync(fs.readFileSync(f, 'utf8'), { filename: f, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, f);
      const { createLocalAccount } = require(${JSON.stringify(path.join(__dirname, '..', '..', '..', '..', 'emulator'))});
      const a = createLocalAccount({ projectDir: ${JSON.stringify(FIXTURE_DIR)}, accountId: ${JSON.stringify(ACCOUNT_ID)}, stateFile: ${JSON.stringify(file)}, stateWriteDelayMs: 60000 });
      process.stdout.write(a.ui.create('customer', { fields: { companyname: 'exit without close', externalid: 'exit-1' } }));
      process.exit(0);
    `;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..', '..', '..'), encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const account = start();
    expect(account.restored).toBe(true);
    expect(account.engine.findByExternalId('customer', 'exit-1')).toBe(run.stdout);
  });

  it('a seed that fails leaves no state file behind', () => {
    expect(() => start({ seed: { orders: [{ customer: 'nobody', billing: 'none', lines: [{ sku: 'X', quantity: 1 }] }] } })).toThrow(/unknown customer/);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('bad files are refused, naming the file and the fix (never silently reseeded)', () => {
  const refused = (fn: () => unknown) => {
    const err = errorOf(fn);
    expect(err).toBeInstanceOf(StateFileError);
    expect((err as StateFileError).code).toBe('INVALID_STATE_FILE');
    expect(err.message).toContain(file);
    return err.message;
  };

  it('refuses a file that is not JSON, with line and column', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\n  "format": "ledgerbridge-local-account",\n  oops\n}\n');
    const message = refused(() => start({ seedWith: (e) => seedSandbox(e) }));
    expect(message).toMatch(/not valid JSON at 3:3/);
    expect(message).toMatch(/delete it/);
    // Nothing was reseeded or overwritten, and the lock is released.
    expect(fs.readFileSync(file, 'utf8')).toContain('oops');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('refuses another format version, another account, and damaged contents', async () => {
    const account = start();
    account.ui.create('customer', { fields: { companyname: 'x' } });
    await account.close();
    open.splice(0);
    const good = fs.readFileSync(file, 'utf8');
    const edit = (change: (s: Record<string, unknown>) => void) => {
      const s = JSON.parse(good) as Record<string, unknown>;
      change(s);
      fs.writeFileSync(file, JSON.stringify(s));
    };
    edit((s) => (s.version = STATE_FORMAT_VERSION + 1));
    expect(refused(() => start())).toMatch(/format version 2 is not supported \(this local account reads version 1\)/);
    edit((s) => (s.format = 'something else'));
    expect(refused(() => start())).toMatch(/not a local account state file/);
    fs.writeFileSync(file, good);
    expect(refused(() => start({ accountId: 'TSTDRV9999999' }))).toMatch(/holds account "TSTDRV1234567", not TSTDRV9999999.*accountId "TSTDRV1234567"/);
    edit((s) => ((s.engine as { lastId: unknown }).lastId = 12));
    expect(refused(() => start())).toMatch(/damaged: engine\.lastId must be a decimal string/);
    edit((s) => ((s.engine as { records: Array<{ version: unknown }> }).records[0]!.version = 'x'));
    expect(refused(() => start())).toMatch(/damaged: engine\.records\[0\]\.version must be a positive integer/);
    edit((s) => ((s.engine as { lastId: unknown }).lastId = '1'));
    expect(refused(() => start())).toMatch(/is past engine\.lastId 1/);
    fs.writeFileSync(file, '');
    expect(refused(() => start())).toMatch(/the file is empty/);
  });

  it('refuses a file another live account holds; a stale lock is taken over', () => {
    start();
    expect(refused(() => start())).toMatch(/in use by another local account in this process/);
    fs.writeFileSync(`${file}.lock`, '999999999\n');
    // The first account still runs but its lock file now names a dead pid: a new account takes it over.
    const second = start();
    expect(second.restored).toBe(true);
    // Closing the first account later leaves the second one's lock alone.
    const first = open[0] as LocalAccount;
    open.splice(0, 1);
    return first.close().then(() => expect(fs.readFileSync(`${file}.lock`, 'utf8')).toMatch(new RegExp(`^${process.pid} `)));
  });
});
