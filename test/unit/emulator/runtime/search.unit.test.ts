// Reference 1.1: search limits and costs — runPaged pageSize 5..1000 (SSS_INVALID_SRCH_SETTING_VALUE),
// getRange at most 1,000 per fetch, each at most 4,000 results, lookupFields shapes and SSS_INVALID_SRCH_COL.
import type { LocalAccount } from '../../../../emulator';
import { fixtureAccount, plainRecords, post } from './fixture';

let account: LocalAccount;
beforeEach(() => {
  account = fixtureAccount();
});
afterEach(async () => {
  await account.close();
});

describe('runPaged (1.1)', () => {
  it.each([4, 1001])('1.1: pageSize %i is SSS_INVALID_SRCH_SETTING_VALUE', (pageSize) => {
    plainRecords(account, 3);
    expect(post(account, { action: 'paging', pageSize }).body).toMatchObject({ name: 'SSS_INVALID_SRCH_SETTING_VALUE' });
  });

  it('1.1: pageSize 5 pages 12 results as 5, 5, 2; runPaged and each fetch cost 5 units', () => {
    plainRecords(account, 12);
    account.clearUsage();
    expect(post(account, { action: 'paging', pageSize: 5 }).body).toEqual({ count: 12, pageSize: 5, pages: [5, 5, 2] });
    expect(account.usage()[0]?.calls.map((c) => [c.api, c.units])).toEqual([
      ['search.runPaged', 5],
      ['search.fetch', 5],
      ['search.fetch', 5],
      ['search.fetch', 5],
    ]);
  });

  it('1.1: pageSize 1000 is accepted', () => {
    plainRecords(account, 3);
    expect(post(account, { action: 'paging', pageSize: 1000 }).body).toEqual({ count: 3, pageSize: 1000, pages: [3] });
  });
});

describe('getRange and each (1.1)', () => {
  it('1.1: getRange returns at most 1,000 results per fetch', () => {
    plainRecords(account, 1005);
    expect(post(account, { action: 'range', start: 0, end: 1000 }).body).toEqual({ rows: 1000 });
    expect(post(account, { action: 'range', start: 0, end: 1001 }).body).toMatchObject({ name: 'SSS_INVALID_SRCH_RANGE' });
    expect(post(account, { action: 'range', start: 1000, end: 1010 }).body).toEqual({ rows: 5 });
  });

  it('1.1: each iterates at most 4,000 results', () => {
    plainRecords(account, 4001);
    const { body } = post(account, { action: 'each' });
    expect(body.seen).toBe(4000);
    expect(body.failure).toMatchObject({ name: 'SSS_SEARCH_FOR_EACH_LIMIT_EXCEEDED' });
  });

  it('1.1: each over 4,000 results exactly finishes', () => {
    plainRecords(account, 4000);
    expect(post(account, { action: 'each' }).body).toEqual({ seen: 4000, failure: null });
  });
});

describe('lookupFields (1.1)', () => {
  it('1.1: returns scalar values, costs 1 unit, and an unknown column is SSS_INVALID_SRCH_COL', () => {
    const [id] = plainRecords(account, 1);
    account.clearUsage();
    const { body } = post(account, { action: 'lookup', id });
    expect(body.values).toEqual({ custrecord_fx_plain_text: 'text 0', name: 'plain 0' });
    expect(body.bad).toMatchObject({ name: 'SSS_INVALID_SRCH_COL' });
    expect(account.usage()[0]?.calls.map((c) => [c.api, c.units])).toEqual([
      ['search.lookupFields', 1],
      ['search.lookupFields', 1],
    ]);
  });
});

describe('search.create with filters (1.1)', () => {
  it('1.1: filter expressions and search.createFilter objects select rows; getRange costs 10 units; a bad operator is refused when the search runs', () => {
    plainRecords(account, 4); // names 'plain 0'..'plain 3', texts 'text 0'..'text 3'
    const { body, units } = post(account, { action: 'filtered', text: 'text 2', name: 'plain 0' });
    expect(body).toEqual({
      byExpression: ['plain 0', 'plain 2'],
      byObjects: 4,
      badOperator: expect.objectContaining({ name: 'SSS_INVALID_SRCH_OPERATOR' }),
    });
    expect(units).toBe(30); // three getRange calls, each charged before it runs (the refused one too)
  });
});
