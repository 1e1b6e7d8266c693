// The bundle's compiled SuiteScripts in the local account (needs `npm run build:suitescripts`): the RESTlet's
// health action through the RestletRunner (3.3), the outbox User Event on a cash refund saved in the UI
// (3.2; 6 units per save by 1.1), and the outbox purge Map/Reduce deleting a delivered event (3.4, 1.1).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount } from '../../../../emulator';

const COMPILED = path.join(__dirname, '..', '..', '..', '..', 'src', 'FileCabinet', 'SuiteScripts', 'ledgerbridge', 'suitescripts', 'entry');
const OUTBOX = 'customrecord_lb_outbox';

beforeAll(() => {
  if (!fs.existsSync(path.join(COMPILED, 'lb_ue_outbox.js'))) {
    throw new Error('The compiled SuiteScripts are missing: run `npm run build:suitescripts` first.');
  }
});

let account: LocalAccount;
beforeEach(() => {
  account = createLocalAccount({ accountId: 'TSTDRV7654321' });
});
afterEach(async () => {
  await account.close();
});

function cashRefundInUi(): { cashSaleId: string; refundId: string } {
  const customer = account.ui.create('customer', { fields: { companyname: 'Outbox Co' } });
  const item = account.ui.create('inventoryitem', { fields: { itemid: 'OB-1', displayname: 'Outbox item', baseprice: '12.00' } });
  const cashSaleId = account.ui.create('cashsale', { fields: { entity: customer }, sublists: { item: [{ item, quantity: 1, rate: '12.00' }] } });
  const refundId = account.ui.transform('cashsale', cashSaleId, 'cashrefund');
  return { cashSaleId, refundId };
}

function outboxRows() {
  return account.engine.search({
    type: OUTBOX,
    filters: [],
    columns: ['custrecord_lb_ob_rectype', 'custrecord_lb_ob_recid', 'custrecord_lb_ob_event', 'custrecord_lb_ob_status'].map((name) => ({ name })),
  });
}

const cell = (row: { values: Record<string, { value: unknown }> } | undefined, name: string) => row?.values[name]?.value;

describe('RESTlet customscript_lb_rl_api (3.3)', () => {
  it('answers the health action through the RestletRunner (GET and POST)', async () => {
    const ids = account.restlets.resolve('customscript_lb_rl_api', 'customdeploy_lb_rl_api');
    expect(ids).toEqual({ scriptId: 'customscript_lb_rl_api', deployId: 'customdeploy_lb_rl_api' });
    const numeric = account.scripts().find((s) => s.scriptId === 'customscript_lb_rl_api')?.internalId ?? '';
    const get = await account.restlets.invoke({ script: numeric, deploy: '1', method: 'GET', contentType: 'application/json', body: '', query: { action: 'health' } });
    const post = await account.restlets.invoke({
      script: 'customscript_lb_rl_api',
      deploy: 'customdeploy_lb_rl_api',
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify({ action: 'health' }),
      query: {},
    });
    for (const out of [get, post]) {
      expect(out.status).toBe(200);
      expect(JSON.parse(out.body)).toMatchObject({ ok: true, action: 'health', accountId: 'TSTDRV7654321', missingFeatures: [] });
    }
    expect(account.usage().map((r) => [r.scriptId, r.entryPoint, r.executionContext, r.unitLimit])).toEqual([
      ['customscript_lb_rl_api', 'get', 'RESTLET', 5000],
      ['customscript_lb_rl_api', 'post', 'RESTLET', 5000],
    ]);
  });
});

describe('User Event customscript_lb_ue_outbox (3.2)', () => {
  it('records an outbox event for a cash refund saved in the UI, in at most 6 units', () => {
    const { refundId } = cashRefundInUi();
    const rows = outboxRows();
    expect(rows).toHaveLength(1);
    expect(cell(rows[0], 'custrecord_lb_ob_rectype')).toBe('cashrefund');
    expect(cell(rows[0], 'custrecord_lb_ob_recid')).toBe(refundId);
    expect(cell(rows[0], 'custrecord_lb_ob_event')).toBe('create');
    expect(cell(rows[0], 'custrecord_lb_ob_status')).toBe('pending');
    const ue = account.usage().filter((r) => r.scriptId === 'customscript_lb_ue_outbox');
    expect(ue.map((r) => [r.deploymentId, r.entryPoint, r.executionContext, r.unitLimit])).toEqual([
      ['customdeploy_lb_ue_ob_cashrefund', 'afterSubmit', 'USERINTERFACE', 1000],
    ]);
    expect(ue[0]?.unitsUsed).toBeGreaterThan(0);
    expect(ue[0]?.unitsUsed).toBeLessThanOrEqual(6);
    // 1.1: a custom record's create (2) and save (4), each with its call site in the compiled gateway.
    expect(ue[0]?.calls.map((c) => [c.api, c.recordType, c.units])).toEqual([
      ['record.create', OUTBOX, 2],
      ['record.save', OUTBOX, 4],
    ]);
    expect(ue[0]?.calls[0]?.site).toMatch(/^outbox-store\.js:\d+$/);
  });

  it('does not fire for a record type it is not deployed on (the cash sale)', () => {
    const customer = account.ui.create('customer', { fields: { companyname: 'No Event Co' } });
    const item = account.ui.create('inventoryitem', { fields: { itemid: 'NE-1', displayname: 'x', baseprice: '1.00' } });
    account.ui.create('cashsale', { fields: { entity: customer }, sublists: { item: [{ item, quantity: 1, rate: '1.00' }] } });
    expect(outboxRows()).toHaveLength(0);
    expect(account.usage()).toHaveLength(0);
  });
});

describe('Map/Reduce customscript_lb_mr_outbox_purge (3.4)', () => {
  it('deletes a delivered event past the retention, one custom record delete (4 units) per map, and reports its units', () => {
    const { refundId } = cashRefundInUi();
    const outboxId = String(outboxRows()[0]?.id);
    const long = new Date(Date.now() - 10 * 86_400_000);
    account.engine.submitFields(OUTBOX, outboxId, { custrecord_lb_ob_status: 'delivered', custrecord_lb_ob_acked: long });
    // A second event, still pending however old: never purged.
    const pending = account.engine.newRecord(OUTBOX);
    Object.assign(pending.fields, {
      name: 'cashrefund:1:create', custrecord_lb_ob_rectype: 'cashrefund', custrecord_lb_ob_recid: '1', custrecord_lb_ob_event: 'create',
      custrecord_lb_ob_time: long.toISOString(), custrecord_lb_ob_status: 'pending',
    });
    account.engine.save(pending);
    account.clearUsage();
    const result = account.runMapReduce('customscript_lb_mr_outbox_purge');
    expect(result.inputError).toBeNull();
    expect(result.output).toEqual([{ key: 'deleted', value: outboxId }]);
    expect(outboxRows().map((r) => cell(r, 'custrecord_lb_ob_recid'))).not.toContain(refundId);
    expect(outboxRows().map((r) => cell(r, 'custrecord_lb_ob_status'))).toEqual(['pending']);
    expect(result.reports.map((r) => [r.entryPoint, r.unitLimit])).toEqual([
      ['getInputData', 10000],
      ['map', 1000],
      ['summarize', 10000],
    ]);
    // 1.1: record.delete on a custom record is 4 units.
    expect(result.reports[1]?.calls.map((c) => [c.api, c.units])).toEqual([['record.delete', 4]]);
    expect(result.unitsUsed).toBe(4);
  });
});
