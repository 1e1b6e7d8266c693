// The RESTlet's `read` operation (added for NetSuite -> storefront refunds with lines): record.load of a
// transaction with its body fields and item lines carrying each item's SKU, at the documented units (load 10 +
// one item search 10), found: false for a record that is not there, and malformed reads refused per operation.
import { createLocalAccount, type LocalAccount } from '../../../emulator';
import { defaultSandboxSeed } from '../../../emulator/seed';
import type { ReadOperation, ReadResult } from '../../../core/contracts/restlet';
import { LOAD_UNITS, SEARCH_UNITS, worstCaseUnits } from '../../../core/netsuite/restlet-api/governance';
import { invoke } from '../bundle/local-account';

let account: LocalAccount;
beforeAll(() => {
  account = createLocalAccount({ seed: defaultSandboxSeed() });
});
afterAll(async () => {
  await account.close();
});

const seeded = () => account.seeded ?? (() => { throw new Error('not seeded'); })();

it('reads a cash refund made in the UI: body fields, and item lines with SKU, quantity, money and location', async () => {
  const cashSale = seeded().orders['sandbox-order-1001']?.cashSale as string;
  expect(cashSale).toBeDefined();
  const refundId = account.ui.transform('cashsale', cashSale, 'cashrefund');
  const saved = account.engine.load('cashrefund', refundId);
  const op: ReadOperation = { opId: 'r', kind: 'read', recordType: 'cashrefund', id: refundId, fields: ['total', 'createdfrom', 'entity'], sublists: ['item'] };
  const { body, units } = await invoke<'batch'>(account, { action: 'batch', operations: [op] });
  const result = body.results[0] as ReadResult;
  expect(result).toMatchObject({ status: 'ok', kind: 'read', found: true, id: refundId });
  expect(result.fields.total?.value).toBe(saved.fields.total);
  expect(String(result.fields.createdfrom?.value)).toBe(cashSale);
  const lines = saved.sublists.item ?? [];
  expect(lines.length).toBeGreaterThan(0);
  expect(result.items).toHaveLength(lines.length);
  const skuOf = Object.fromEntries(Object.entries(seeded().items).map(([sku, id]) => [id, sku]));
  result.items?.forEach((line, i) => {
    const stored = lines[i] as Record<string, unknown>;
    expect(line).toMatchObject({ line: i, itemId: String(stored.item), sku: skuOf[String(stored.item)], quantity: Number(stored.quantity) });
    expect(Number(line.amount)).toBe(Number(stored.amount));
    expect(line.location).toBe(stored.location === undefined || stored.location === '' || stored.location === null ? null : String(stored.location));
  });
  // Governance kept honest: one transaction load plus one item search.
  expect(units).toBe(LOAD_UNITS.transaction + SEARCH_UNITS);
  expect(worstCaseUnits(op)).toBe(units);
});

it('reads body fields only for one load, and answers found: false for a record that is not there', async () => {
  const cashSale = seeded().orders['sandbox-order-1001']?.cashSale as string;
  const { body, units } = await invoke<'batch'>(account, {
    action: 'batch',
    operations: [
      { opId: 'a', kind: 'read', recordType: 'cashsale', id: cashSale, fields: ['total'] },
      { opId: 'b', kind: 'read', recordType: 'creditmemo', id: '987654', sublists: ['item'] },
    ],
  });
  expect(body.results[0]).toMatchObject({ status: 'ok', found: true, fields: { total: { value: account.engine.load('cashsale', cashSale).fields.total } } });
  expect((body.results[0] as ReadResult).items).toBeUndefined();
  expect(body.results[1]).toMatchObject({ status: 'ok', found: false, id: null, fields: {} });
  expect(units).toBeLessThanOrEqual(LOAD_UNITS.transaction * 2 + SEARCH_UNITS);
});

it('refuses malformed reads per operation; the bundle lists the read capability', async () => {
  const { body } = await invoke<'batch'>(account, {
    action: 'batch',
    operations: [
      { opId: 'x', kind: 'read', recordType: 'cashrefund', id: '12', sublists: ['apply'] },
      { opId: 'y', kind: 'read', recordType: 'cashrefund', id: 12 },
      { opId: 'z', kind: 'read', recordType: 'spaceship', id: '1' },
    ],
  });
  expect(body.results.map((r) => (r.status === 'error' ? r.error.code : r.status))).toEqual(['INVALID_OPERATION', 'INVALID_OPERATION', 'UNSUPPORTED_RECORD_TYPE']);
  const health = await invoke<'health'>(account, { action: 'health' });
  expect(health.body.capabilities).toContain('read');
});
