// Reference 1.1 (unit costs per API call and record category) and 1.2 (per-script-type limits,
// SSS_USAGE_LIMIT_EXCEEDED), measured on the fixture RESTlet's usage report.
import type { LocalAccount } from '../../../../emulator';
import { unitLimit } from '../../../../emulator/runtime/governance';
import { fixtureAccount, plainRecords, post } from './fixture';

let account: LocalAccount;
beforeEach(() => {
  account = fixtureAccount();
});
afterEach(async () => {
  await account.close();
});

function cashSale(): string {
  const customer = account.ui.create('customer', { fields: { companyname: 'Fixture Co' } });
  const item = account.ui.create('inventoryitem', { fields: { itemid: 'FX-1', displayname: 'Fixture item', baseprice: '3.00' } });
  return account.ui.create('cashsale', { fields: { entity: customer }, sublists: { item: [{ item, quantity: 1, rate: '3.00' }] } });
}

describe('unit costs (1.1)', () => {
  it('charges every call at its documented cost for the record category, with the call site', () => {
    const cashSaleId = cashSale();
    account.clearUsage();
    const { status, body, units } = post(account, { action: 'costs', cashSaleId });
    expect(status).toBe(200);
    const [report] = account.usage();
    expect(report).toMatchObject({
      scriptId: 'customscript_fx_rl',
      deploymentId: 'customdeploy_fx_rl',
      scriptType: 'Restlet',
      entryPoint: 'post',
      executionContext: 'RESTLET',
      unitLimit: 5000,
    });
    const calls = report?.calls.map((c) => [c.api, c.recordType ?? null, c.units]);
    expect(calls).toEqual([
      ['record.create', 'customrecord_fx_plain', 2], // 1.1: custom record create 2
      ['record.save', 'customrecord_fx_plain', 4], // 1.1: custom record save 4
      ['record.load', 'customrecord_fx_plain', 2],
      ['record.submitFields', 'customrecord_fx_plain', 2],
      ['record.create', 'customer', 5], // 1.1: "other" (entity) 5
      ['record.create', 'salesorder', 10], // 1.1: transaction 10
      ['record.load', 'cashsale', 10], // 1.1: record.load of a transaction costs 10
      ['search.lookupFields', 'customrecord_fx_plain', 1],
      ['search.each', 'customrecord_fx_plain', 10],
      ['search.runPaged', 'customrecord_fx_plain', 5],
      ['search.fetch', 'customrecord_fx_plain', 5],
      ['https.get', null, 10],
      ['cache.put', null, 1],
      ['cache.get', null, 1],
      ['record.delete', 'customrecord_fx_plain', 4], // 1.1: custom record delete 4
    ]);
    expect(report?.unitsUsed).toBe(72);
    expect(units).toBe(72);
    expect(body.remaining).toBe(5000 - 72);
    expect(report?.calls[0]?.site).toMatch(/^rl_probe\.js:\d+$/);
  });
});

describe('limits (1.2)', () => {
  it('1.2: per-type limits: User Event 1,000, RESTlet 5,000, Suitelet 1,000, Scheduled 10,000, Map/Reduce stages', () => {
    expect(unitLimit('UserEventScript', 'afterSubmit')).toBe(1000);
    expect(unitLimit('Restlet', 'get')).toBe(5000);
    expect(unitLimit('Suitelet', 'onRequest')).toBe(1000);
    expect(unitLimit('ScheduledScript', 'execute')).toBe(10000);
    expect(unitLimit('MapReduceScript', 'getInputData')).toBe(10000);
    expect(unitLimit('MapReduceScript', 'map')).toBe(1000);
    expect(unitLimit('MapReduceScript', 'reduce')).toBe(5000);
    expect(unitLimit('MapReduceScript', 'summarize')).toBe(10000);
  });

  it('1.2/1.3: a RESTlet past 5,000 units gets SSS_USAGE_LIMIT_EXCEEDED; unhandled it answers HTTP 400', () => {
    const [id] = plainRecords(account, 1);
    const { status, raw, units } = post(account, { action: 'burn', id });
    expect(status).toBe(400);
    expect(JSON.parse(raw).error.code).toBe('SSS_USAGE_LIMIT_EXCEEDED');
    expect(units).toBe(5000);
    const report = account.usage().at(-1);
    expect(report?.unitsUsed).toBe(5000);
    expect(report?.calls).toHaveLength(2500);
    expect(report?.error).toMatch(/^SSS_USAGE_LIMIT_EXCEEDED/);
  });

  it('1.2: the call that would pass the limit is refused and the script can catch it', () => {
    const [id] = plainRecords(account, 1);
    const { status, body } = post(account, { action: 'burn', id, catchIt: true });
    expect(status).toBe(200);
    expect(body).toEqual({
      caught: expect.objectContaining({ name: 'SSS_USAGE_LIMIT_EXCEEDED', type: 'error.SuiteScriptError' }),
      loads: 2500,
      remaining: 0,
    });
  });
});
