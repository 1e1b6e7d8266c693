// The RESTlet's `apply` option (added for refunds): a customer refund paying out a credit memo, a partial refund of
// a customer deposit, and a document that is not open for the customer refused with RECORD_NOT_FOUND.
import { createLocalAccount, type LocalAccount } from '../../../emulator';
import { defaultSandboxSeed } from '../../../emulator/seed';
import { invoke } from '../bundle/local-account';

let account: LocalAccount;
beforeAll(() => {
  account = createLocalAccount({ seed: defaultSandboxSeed() });
});
afterAll(async () => {
  await account.close();
});

const order = (key: string) => account.seeded?.orders[key] ?? (() => { throw new Error(key); })();

it('refunds part of a customer deposit and leaves the rest unapplied', async () => {
  const deposit = order('sandbox-order-1004').customerDeposit as string;
  const { body } = await invoke<'batch'>(account, {
    action: 'batch',
    operations: [{ opId: 'dep', kind: 'transform', fromType: 'customerdeposit', from: { id: deposit }, toType: 'customerrefund', externalId: 'apply-dep-1', apply: [{ sublist: 'deposit', docId: deposit, amount: '34.00' }] }],
  });
  const result = body.results[0];
  expect(result).toMatchObject({ status: 'ok', created: true });
  const refund = account.engine.load('customerrefund', (result as { id: string }).id);
  expect(refund.fields.total).toBe('34.00');
  expect(account.engine.load('customerdeposit', deposit).fields.unapplied).toBe('200.00');
});

it('pays out a credit memo of a paid invoice with a customer refund that applies it', async () => {
  const invoice = order('sandbox-order-1002').invoice as string;
  const first = await invoke<'batch'>(account, {
    action: 'batch',
    operations: [{ opId: 'cm', kind: 'transform', fromType: 'invoice', from: { id: invoice }, toType: 'creditmemo', externalId: 'apply-cm-1', items: [{ sku: 'LB-STOVE', quantity: 1, rate: '49.50' }] }],
  });
  const memoId = (first.body.results[0] as { id: string }).id;
  const memo = account.engine.load('creditmemo', memoId);
  expect(memo.fields.unapplied).toBe('49.50');
  const second = await invoke<'batch'>(account, {
    action: 'batch',
    operations: [
      { opId: 'cr', kind: 'create', recordType: 'customerrefund', externalId: 'apply-cr-1', values: { customer: String(memo.fields.entity) }, apply: [{ sublist: 'apply', docId: memoId, amount: '49.50' }] },
      { opId: 'bad', kind: 'create', recordType: 'customerrefund', externalId: 'apply-cr-2', values: { customer: String(memo.fields.entity) }, apply: [{ sublist: 'apply', docId: '999999', amount: '1.00' }] },
    ],
  });
  expect(second.body.results[0]).toMatchObject({ status: 'ok', created: true });
  expect(second.body.results[1]).toMatchObject({ status: 'error', error: { code: 'RECORD_NOT_FOUND' } });
  expect(account.engine.load('creditmemo', memoId).fields.unapplied).toBe('0.00');
});

it('refuses malformed apply lines per operation', async () => {
  const { body } = await invoke<'batch'>(account, {
    action: 'batch',
    operations: [{ opId: 'x', kind: 'create', recordType: 'customerrefund', externalId: 'apply-x', apply: [{ sublist: 'other', docId: '1', amount: 1.5 }] }],
  });
  expect(body.results[0]).toMatchObject({ status: 'error', error: { code: 'INVALID_OPERATION' } });
});
