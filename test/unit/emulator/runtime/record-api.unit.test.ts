// N/record from a script: setText on select fields, transform/copy/delete/submitFields with their unit costs
// (reference 1.1), the 5.2 transform table, 5.3 create restrictions, 5.4 createdfrom, 5.5 statuses, 5.6 delete
// blocking, and optimistic locking (1.3 RCRD_HAS_BEEN_CHANGED) as a script meets them.
import type { LocalAccount } from '../../../../emulator';
import { fixtureAccount, post } from './fixture';

let account: LocalAccount;
let customer: string;
let location: string;
let item: string;
beforeEach(() => {
  account = fixtureAccount();
  customer = account.ui.create('customer', { fields: { companyname: 'Text Lookup Co' } });
  location = account.ui.create('location', { fields: { name: 'Main Store' } });
  item = account.ui.create('inventoryitem', { fields: { itemid: 'TXT-1', displayname: 'Text item', price: '5.00' } });
});
afterEach(async () => {
  await account.close();
});

describe('Record.setText on select fields (5.4 body and item fields)', () => {
  for (const dynamic of [false, true]) {
    it(`resolves a customer name, a location name and a SKU to internal ids (${dynamic ? 'dynamic' : 'standard'} mode)`, () => {
      const { status, body } = post(account, {
        action: 'texts', dynamic, customerName: 'text lookup co', locationName: 'Main Store', sku: 'TXT-1',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        entity: customer,
        entityText: 'Text Lookup Co',
        location,
        item,
        itemText: 'TXT-1',
        memo: 'set by text', // a text field keeps the text
        total: '10.00',
      });
    });
  }

  it('a name no record has is INVALID_FLD_VALUE, on body fields and sublist fields', () => {
    const { body } = post(account, { action: 'texts', customerName: 'Text Lookup Co', locationName: 'Main Store', sku: 'TXT-1' });
    expect(body.unknownName).toMatchObject({ name: 'INVALID_FLD_VALUE', type: 'error.SuiteScriptError' });
    expect(body.unknownSku).toMatchObject({ name: 'INVALID_FLD_VALUE' });
  });
});

describe('transform, copy, delete and optimistic locking from a script', () => {
  it('5.2/5.4/5.5/5.6/1.3: fulfil and bill an order by transform, copy it, and meet the platform errors', () => {
    const so = account.ui.create('salesorder', {
      fields: { entity: customer, location },
      sublists: { item: [{ item, quantity: 1, rate: '5.00' }] },
    });
    account.ui.create('inventoryadjustment', {
      fields: { account: account.ui.create('account', { fields: { acctname: 'Adjustments', accttype: 'OthExpense' } }), adjlocation: location },
      sublists: { inventory: [{ item, location, adjustqtyby: 5 }] },
    });
    account.clearUsage();
    const { status, body } = post(account, { action: 'lifecycle', salesOrder: so });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      createdfrom: so, // 5.4: records produced by transform carry createdfrom
      orderStatus: 'Billed', // 5.5: fulfilled and billed
      copyGone: expect.objectContaining({ name: 'RCRD_DSNT_EXIST' }),
      staleSave: expect.objectContaining({ name: 'RCRD_HAS_BEEN_CHANGED' }),
      deleteParent: expect.objectContaining({ name: 'THIS_RECORD_CANNOT_BE_DELETED_BECAUSE_IT_HAS_DEPENDENT_RECORDS' }),
      badPair: expect.objectContaining({ name: 'INVALID_RCRD_TRANSFRM' }), // 5.2: salesorder -> creditmemo is not listed
      createFulfillment: expect.objectContaining({ name: 'INVALID_RCRD_INITIALIZE' }), // 5.3: only by transform
    });
    expect(account.engine.load('itemfulfillment', String(body.fulfillmentId)).fields['createdfrom']).toBe(so);
    // 1.1: transaction costs — transform/copy/load/submitFields 10, save/delete 20.
    const calls = account.usage().at(-1)?.calls.map((c) => `${c.api} ${c.units}`);
    expect(calls).toEqual([
      'record.transform 10', 'record.save 20', 'record.transform 10', 'record.save 20', 'record.copy 10', 'record.save 20',
      'record.load 10', 'record.submitFields 10', 'record.save 20', 'record.delete 20', 'record.transform 10',
      'record.create 10', 'record.delete 20', 'record.load 10', 'record.load 10', 'record.load 10',
    ]);
  });
});
