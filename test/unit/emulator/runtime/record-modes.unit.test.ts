// N/record sublists in standard and dynamic mode (reference 3.2 notes old/new records are standard mode;
// the mode rules are NetSuite's documented Record API). The fixture RESTlet exercises each call.
import type { LocalAccount } from '../../../../emulator';
import { fixtureAccount, post } from './fixture';

let account: LocalAccount;
beforeEach(() => {
  account = fixtureAccount();
});
afterEach(async () => {
  await account.close();
});

it('5.4 sublists, standard mode: setSublistValue appends at line === count, insertLine/removeLine shift lines, find returns -1 when absent', () => {
  const { body } = post(account, { action: 'standard' });
  expect(body).toEqual({
    afterInsert: ['Z', 'A', 'B'],
    count: 2,
    findB: 1,
    findA: -1,
    selectLine: expect.objectContaining({ name: 'SSS_INVALID_API_USAGE' }),
    outOfRange: expect.objectContaining({ name: 'SSS_INVALID_SUBLIST_OPERATION' }),
    isDynamic: false,
  });
});

it('5.4 sublists, dynamic mode: lines change only on commitLine; cancelLine discards; setSublistValue is refused', () => {
  const { body } = post(account, { action: 'dynamic' });
  expect(body).toEqual({
    current: 'A',
    beforeCommit: 0,
    count: 1,
    uncommitted: 'A',
    committed: 'A2',
    setSublistValue: expect.objectContaining({ name: 'SSS_INVALID_API_USAGE' }),
    commitWithoutSelect: expect.objectContaining({ name: 'SSS_INVALID_SUBLIST_OPERATION' }),
    isDynamic: true,
  });
});

it('5.4 apply sublist, field sourcing: setting the customer of a customer refund lists its open credit memo in apply; ignoreFieldChange skips it', () => {
  const customer = account.ui.create('customer', { fields: { companyname: 'Sourcing Co' } });
  const item = account.ui.create('inventoryitem', { fields: { itemid: 'SRC-1', displayname: 'x', baseprice: '4.00' } });
  const memo = account.ui.create('creditmemo', { fields: { entity: customer }, sublists: { item: [{ item, quantity: 1, rate: '4.00' }] } });
  expect(post(account, { action: 'sourcing', customer }).body).toEqual({ sourced: 1, doc: memo, quiet: 0 });
});
