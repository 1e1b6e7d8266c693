/**
 * The RESTlet's `billing` operation on the compiled bundle in the local account: for a sales order billed by cash
 * sale, by invoice (with its open balance), unbilled with a customer deposit, and unbilled without one, it answers
 * what the three lookups it replaces answer, for one search when the order is billed and two when it is not.
 */
import type { BillingResult, LookupResult, Operation } from '../../../core/contracts/restlet';
import { SEARCH_UNITS } from '../../../core/netsuite/restlet-api/governance';
import { invoke, seededAccount, type Seeded } from './local-account';

let s: Seeded;
beforeEach(() => {
  s = seededAccount();
});
afterEach(async () => {
  await s.account.close();
});

async function batch(operations: Operation[]) {
  const { body, units } = await invoke<'batch'>(s.account, { action: 'batch', operations });
  return { results: body.results, units };
}

function salesOrder(): string {
  return s.account.ui.create('salesorder', {
    fields: { entity: s.customerId },
    sublists: { item: [{ item: s.items['SKU-A'] as string, quantity: 2, rate: 10 }] },
  });
}

/** What the three lookups by createdfrom / salesorder answer, as the billing answer would state it. */
async function byLookups(salesOrderId: string): Promise<Omit<BillingResult, 'opId' | 'status' | 'kind' | 'salesOrderId'>> {
  const { results } = await batch([
    { opId: 'cs', kind: 'lookup', recordType: 'cashsale', by: { field: 'createdfrom', value: salesOrderId } },
    { opId: 'inv', kind: 'lookup', recordType: 'invoice', by: { field: 'createdfrom', value: salesOrderId }, columns: ['amountremaining'] },
    { opId: 'dep', kind: 'lookup', recordType: 'customerdeposit', by: { field: 'salesorder', value: salesOrderId }, columns: ['unapplied'] },
  ]);
  const [cs, inv, dep] = results as LookupResult[];
  const text = (r: LookupResult | undefined, c: string) => (r?.values[c]?.value === undefined || r.values[c]?.value === null || r.values[c]?.value === '' ? null : String(r.values[c]?.value));
  const billed = Boolean(cs?.found || inv?.found);
  return {
    cashSale: cs?.found && cs.id ? { id: cs.id } : null,
    invoice: inv?.found && inv.id ? { id: inv.id, amountRemaining: text(inv, 'amountremaining') } : null,
    deposit: !billed && dep?.found && dep.id ? { id: dep.id, unapplied: text(dep, 'unapplied') } : null,
  };
}

it('an order billed by cash sale: the cash sale, for one search', async () => {
  const so = salesOrder();
  const cashSale = s.account.ui.transform('salesorder', so, 'cashsale');
  const { results, units } = await batch([{ opId: 'b', kind: 'billing', salesOrderId: so }]);
  expect(results[0]).toEqual({ opId: 'b', status: 'ok', kind: 'billing', salesOrderId: so, cashSale: { id: cashSale }, invoice: null, deposit: null });
  expect(units).toBe(SEARCH_UNITS);
  expect(results[0]).toMatchObject(await byLookups(so));
});

it('an order billed by invoice: the invoice and its open balance, for one search', async () => {
  const so = salesOrder();
  const invoice = s.account.ui.transform('salesorder', so, 'invoice');
  const { results, units } = await batch([{ opId: 'b', kind: 'billing', salesOrderId: so }]);
  const answer = results[0] as BillingResult;
  expect(answer.invoice?.id).toBe(invoice);
  expect(answer.invoice?.amountRemaining).toMatch(/^20(\.0+)?$/);
  expect([answer.cashSale, answer.deposit]).toEqual([null, null]);
  expect(units).toBe(SEARCH_UNITS);
  expect(answer).toMatchObject(await byLookups(so));
});

it('an unbilled order with a customer deposit: the deposit and its unapplied amount, for two searches', async () => {
  const so = salesOrder();
  const deposit = s.account.ui.create('customerdeposit', { fields: { customer: s.customerId, salesorder: so, payment: 20 } });
  const { results, units } = await batch([{ opId: 'b', kind: 'billing', salesOrderId: so }]);
  const answer = results[0] as BillingResult;
  expect(answer.deposit?.id).toBe(deposit);
  expect(answer.deposit?.unapplied).toMatch(/^20(\.0+)?$/);
  expect(units).toBe(2 * SEARCH_UNITS);
  expect(answer).toMatchObject(await byLookups(so));
});

it('an unbilled order without a deposit: nothing, for two searches; an item fulfillment is not billing', async () => {
  const location = s.account.ui.create('location', { fields: { name: 'Warehouse' } });
  const so = s.account.ui.create('salesorder', {
    fields: { entity: s.customerId },
    sublists: { item: [{ item: s.items['SKU-A'] as string, quantity: 2, rate: 10, location }] },
  });
  s.account.ui.transform('salesorder', so, 'itemfulfillment');
  const { results, units } = await batch([{ opId: 'b', kind: 'billing', salesOrderId: so }]);
  expect(results[0]).toMatchObject({ status: 'ok', cashSale: null, invoice: null, deposit: null });
  expect(units).toBe(2 * SEARCH_UNITS);
});

it('two invoices for one order fail AMBIGUOUS_LOOKUP, as the invoice lookup does', async () => {
  const so = salesOrder();
  for (let i = 0; i < 2; i++) {
    s.account.ui.create('invoice', { fields: { entity: s.customerId, createdfrom: so }, sublists: { item: [{ item: s.items['SKU-A'] as string, quantity: 1, rate: 10 }] } });
  }
  const { results } = await batch([
    { opId: 'b', kind: 'billing', salesOrderId: so },
    { opId: 'inv', kind: 'lookup', recordType: 'invoice', by: { field: 'createdfrom', value: so } },
  ]);
  expect(results.map((r) => (r.status === 'error' ? r.error.code : r.status))).toEqual(['AMBIGUOUS_LOOKUP', 'AMBIGUOUS_LOOKUP']);
});

it('refuses a salesOrderId that is not an internal id', async () => {
  const { results } = await batch([{ opId: 'b', kind: 'billing', salesOrderId: 'SO-1' } as Operation]);
  expect(results[0]).toMatchObject({ status: 'error', error: { code: 'INVALID_OPERATION' } });
});

it('health lists the capability', async () => {
  const { body } = await invoke<'health'>(s.account, { action: 'health' });
  expect(body.capabilities).toContain('billing');
});
