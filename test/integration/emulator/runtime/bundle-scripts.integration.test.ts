// The bundle's compiled SuiteScripts in the local account (needs `npm run build:suitescripts`): the RESTlet's
// health action through the RestletRunner (3.3), the outbox User Event on a cash refund saved in the UI
// (3.2; 6 units per save by 1.1), and the outbox Map/Reduce pushing to a real server on 127.0.0.1 (3.4, 1.1).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount } from '../../../../emulator';
import { startPushServer, type PushServer } from './push-server';

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

describe('Map/Reduce customscript_lb_mr_outbox_push (3.4)', () => {
  let server: PushServer;
  afterEach(async () => {
    await server.close();
  });

  it('pushes each pending event to the URL parameter, marks it delivered, and reports its units', async () => {
    server = await startPushServer(200);
    const { refundId } = cashRefundInUi();
    account.setParameters('customdeploy_lb_mr_outbox_push', { custscript_lb_push_url: `${server.url}outbox`, custscript_lb_push_token: 'tok-123' });
    account.clearUsage();
    const result = account.runMapReduce('customscript_lb_mr_outbox_push');
    await server.settle();
    expect(server.received).toHaveLength(1);
    const pushed = server.received[0];
    expect(pushed?.headers['authorization']).toBe('Bearer tok-123');
    const outboxId = String(outboxRows()[0]?.id);
    expect(pushed?.headers['idempotency-key']).toBe(`lb-outbox-${outboxId}`);
    expect(JSON.parse(pushed?.body ?? '{}')).toMatchObject({ outboxId, event: { recordType: 'cashrefund', recordId: refundId, event: 'create' } });
    expect(cell(outboxRows()[0], 'custrecord_lb_ob_status')).toBe('delivered');
    expect(result.output).toEqual([{ key: 'delivered', value: outboxId }]);
    expect(result.map.errors).toEqual([]);
    expect(result.reports.map((r) => [r.entryPoint, r.unitLimit])).toEqual([
      ['getInputData', 10000],
      ['map', 1000],
      ['summarize', 10000],
    ]);
    // 1.1: https.post 10 + submitFields on a custom record 2.
    const map = result.reports[1];
    expect(map?.calls.map((c) => [c.api, c.units])).toEqual([
      ['https.post', 10],
      ['record.submitFields', 2],
    ]);
    expect(result.unitsUsed).toBe(12);
    expect(account.logs().some((l) => l.title === 'outbox push finished' && l.details === 'delivered 1, failed 0')).toBe(true);
  });

  it('leaves an event pending when the middleware answers 5xx, with the error in the map summary', async () => {
    server = await startPushServer(503);
    cashRefundInUi();
    account.setParameters('customdeploy_lb_mr_outbox_push', { custscript_lb_push_url: server.url });
    const result = account.runMapReduce('customscript_lb_mr_outbox_push');
    expect(result.map.keys.map((k) => k.completionState)).toEqual(['FAILED']);
    expect(result.map.errors[0]?.error).toContain('HTTP 503');
    expect(cell(outboxRows()[0], 'custrecord_lb_ob_status')).toBe('pending');
  });
});
