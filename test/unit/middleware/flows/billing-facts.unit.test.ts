/**
 * billingOf reads the bundle's `billing` answer, and on a bundle older than the operation (it refuses the kind with
 * INVALID_OPERATION) asks the three lookups instead; other failures of the operation are the flow's FlowError.
 */
import type { Operation, OperationResult } from '../../../../core/contracts/restlet';
import type { NetSuiteClient } from '../../../../middleware/netsuite/client';
import { billingOf } from '../../../../middleware/ports/order-facts';
import { FlowError } from '../../../../middleware/ports/netsuite';

/** A client whose every call answers from `answer`, recording what it was asked. */
function client(answer: (op: Operation) => OperationResult) {
  const calls: Operation[][] = [];
  const fake = {
    calls,
    run: (ops: Operation[]) => {
      calls.push(ops);
      return Promise.resolve(ops.map(answer));
    },
  };
  return fake as typeof fake & NetSuiteClient;
}

const lookup = (op: Operation, found: { id: string; values: Record<string, string> } | null): OperationResult => ({
  opId: op.opId,
  status: 'ok',
  kind: 'lookup',
  recordType: op.kind === 'lookup' ? op.recordType : '',
  found: found !== null,
  id: found?.id ?? null,
  values: Object.fromEntries(Object.entries(found?.values ?? {}).map(([k, v]) => [k, { value: v }])),
});

it('reads the billing answer: invoice with its open balance in minor units, one operation', async () => {
  const c = client((op) => ({ opId: op.opId, status: 'ok', kind: 'billing', salesOrderId: '7', cashSale: null, invoice: { id: '12', amountRemaining: '41.94' }, deposit: null }));
  expect(await billingOf(c, '7', 'USD')).toEqual({ kind: 'invoice', invoiceId: '12', amountRemaining: 4194 });
  expect(c.calls).toEqual([[{ opId: 'billing', kind: 'billing', salesOrderId: '7' }]]);
});

it('reads a deposit of an unbilled order, and a cash sale before anything else', async () => {
  const deposit = client((op) => ({ opId: op.opId, status: 'ok', kind: 'billing', salesOrderId: '7', cashSale: null, invoice: null, deposit: { id: '30', unapplied: '100' } }));
  expect(await billingOf(deposit, '7', 'JPY')).toEqual({ kind: 'unbilled', customerDeposit: { id: '30', unappliedAmount: 100 } });
  const both = client((op) => ({ opId: op.opId, status: 'ok', kind: 'billing', salesOrderId: '7', cashSale: { id: '9' }, invoice: { id: '12', amountRemaining: '1.00' }, deposit: null }));
  expect(await billingOf(both, '7', 'USD')).toEqual({ kind: 'cash_sale', cashSaleId: '9' });
});

it('an older bundle refuses the kind: the three lookups answer instead', async () => {
  const c = client((op) => {
    if (op.kind === 'billing') return { opId: op.opId, status: 'error', kind: 'unknown', error: { code: 'INVALID_OPERATION', message: 'operation billing: kind must be one of …', retryable: false } };
    if (op.kind === 'lookup' && op.recordType === 'invoice') return lookup(op, { id: '12', values: { amountremaining: '5.50' } });
    return lookup(op, null);
  });
  expect(await billingOf(c, '7', 'USD')).toEqual({ kind: 'invoice', invoiceId: '12', amountRemaining: 550 });
  expect(c.calls.map((ops) => ops.map((o) => (o.kind === 'lookup' ? `lookup ${o.recordType}` : o.kind)))).toEqual([['billing'], ['lookup cashsale', 'lookup invoice', 'lookup customerdeposit']]);
});

it('another failure of the operation is the flow error, with its code and retryability', async () => {
  const c = client((op) => ({ opId: op.opId, status: 'error', kind: 'billing', error: { code: 'AMBIGUOUS_LOOKUP', message: 'More than one invoice has createdfrom = "7".', retryable: false } }));
  const error = await billingOf(c, '7', 'USD').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FlowError);
  expect(error).toMatchObject({ code: 'netsuite_error', retryable: false, message: expect.stringContaining('More than one invoice') });
  const later = client((op) => ({ opId: op.opId, status: 'not_attempted', kind: op.kind }));
  await expect(billingOf(later, '7', 'USD')).rejects.toMatchObject({ code: 'netsuite_not_attempted', retryable: true });
});
