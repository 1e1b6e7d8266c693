/**
 * A lookup by internal id on the compiled bundle reads the record with search.lookupFields (1 unit) and answers what
 * the search by externalId answers for the same record; an id the type does not hold falls back to the search
 * (found: false), so the answer never depends on how lookupFields reports a missing record.
 */
import type { LookupResult, Operation } from '../../../core/contracts/restlet';
import { LOOKUP_FIELDS_UNITS, SEARCH_UNITS, worstCaseUnits } from '../../../core/netsuite/restlet-api/governance';
import { invoke, seededAccount, type Seeded } from './local-account';

let s: Seeded;
beforeEach(() => {
  s = seededAccount();
});
afterEach(async () => {
  await s.account.close();
});

async function one(op: Operation): Promise<{ result: LookupResult; units: number }> {
  const { body, units } = await invoke<'batch'>(s.account, { action: 'batch', operations: [op] });
  return { result: body.results[0] as LookupResult, units };
}

it('by id: the same answer as by externalId, for lookupFields\' one unit', async () => {
  const columns = ['entity', 'total', 'memo'];
  const byExternal = await one({ opId: 'l', kind: 'lookup', recordType: 'cashsale', by: { externalId: 'shop:order:1001' }, columns });
  const byId = await one({ opId: 'l', kind: 'lookup', recordType: 'cashsale', by: { id: s.cashSaleId }, columns });
  expect(byExternal.result).toMatchObject({ found: true, id: s.cashSaleId });
  expect(byId.result).toEqual(byExternal.result);
  expect(byId.result.values.entity).toEqual({ value: s.customerId, text: 'Acme Retail' });
  expect([byId.units, byExternal.units]).toEqual([LOOKUP_FIELDS_UNITS, SEARCH_UNITS]);
});

it('an id of another type, or of no record: found false through the search, within the worst case', async () => {
  const op: Operation = { opId: 'l', kind: 'lookup', recordType: 'invoice', by: { id: s.cashSaleId }, columns: ['total'] };
  const { result, units } = await one(op);
  expect(result).toMatchObject({ status: 'ok', found: false, id: null });
  expect(units).toBe(LOOKUP_FIELDS_UNITS + SEARCH_UNITS);
  expect(units).toBeLessThanOrEqual(worstCaseUnits(op));
  expect((await one({ ...op, recordType: 'cashsale', by: { id: '999999' } })).result).toMatchObject({ found: false });
});
