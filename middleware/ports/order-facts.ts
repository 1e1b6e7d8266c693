/**
 * What NetSuite knows about a storefront order, read through the bundle's RESTlet lookups: the sales order (by
 * our externalId, by the body field another connector fills, or by the internal id we linked earlier) and how it
 * was billed — cash sale, invoice (with its open balance) or unbilled with a customer deposit. Shared by the order
 * import and refund flows (neither flow imports the other for it).
 */
import type { LookupResult, Operation } from '../../core/contracts/restlet';
import { parseMoney } from '../../core/money';
import type { SalesOrderLookup } from '../../core/orders';
import type { BillingFacts } from '../../core/refunds';
import type { NetSuiteClient } from '../netsuite/client';
import { FlowError, operationFailure, runOps } from './netsuite';

export type SalesOrderRef = SalesOrderLookup | { by: 'id'; value: string };

export interface SalesOrderFacts {
  salesOrderId: string;
  customerId: string | null;
  billing: BillingFacts;
}

export function refOf(lookup: SalesOrderRef): Extract<Operation, { kind: 'lookup' }>['by'] {
  if (lookup.by === 'id') return { id: lookup.value };
  if (lookup.by === 'externalid') return { externalId: lookup.value };
  return { field: lookup.fieldId, value: lookup.value };
}

const value = (r: LookupResult, column: string): string | null => {
  const v = r.values[column]?.value;
  return v === undefined || v === null || v === '' ? null : String(v);
};

/** Finds the sales order; null when NetSuite has none for the reference. */
export async function findSalesOrder(client: NetSuiteClient, ref: SalesOrderRef): Promise<{ id: string; customerId: string | null } | null> {
  const results = await runOps(client, [{ opId: 'so', kind: 'lookup', recordType: 'salesorder', by: refOf(ref), columns: ['entity'] }]);
  const so = results.get('so') as LookupResult;
  return so.found && so.id ? { id: so.id, customerId: value(so, 'entity') } : null;
}

/**
 * How the sales order was billed, amounts in `currency` minor units: the bundle's `billing` operation (one search
 * for a billed order), or on a bundle older than it (INVALID_OPERATION) the three lookups it replaces.
 */
export async function billingOf(client: NetSuiteClient, salesOrderId: string, currency: string): Promise<BillingFacts> {
  const [result] = await client.run([{ opId: 'billing', kind: 'billing', salesOrderId }]);
  if (result?.status === 'ok' && result.kind === 'billing') {
    if (result.cashSale) return { kind: 'cash_sale', cashSaleId: result.cashSale.id };
    if (result.invoice) return { kind: 'invoice', invoiceId: result.invoice.id, amountRemaining: parseMoney(result.invoice.amountRemaining ?? '0', currency).amount };
    return {
      kind: 'unbilled',
      customerDeposit: result.deposit ? { id: result.deposit.id, unappliedAmount: parseMoney(result.deposit.unapplied ?? '0', currency).amount } : null,
    };
  }
  if (result?.status === 'error' && result.error.code === 'INVALID_OPERATION') return billingByLookups(client, salesOrderId, currency);
  throw (result && operationFailure(result)) ?? new FlowError('netsuite_error', 'NetSuite answered billing with no result.', true);
}

/** The three lookups of bundles older than the `billing` operation. */
async function billingByLookups(client: NetSuiteClient, salesOrderId: string, currency: string): Promise<BillingFacts> {
  const results = await runOps(client, [
    { opId: 'cashsale', kind: 'lookup', recordType: 'cashsale', by: { field: 'createdfrom', value: salesOrderId }, columns: ['total'] },
    { opId: 'invoice', kind: 'lookup', recordType: 'invoice', by: { field: 'createdfrom', value: salesOrderId }, columns: ['amountremaining'] },
    { opId: 'deposit', kind: 'lookup', recordType: 'customerdeposit', by: { field: 'salesorder', value: salesOrderId }, columns: ['unapplied'] },
  ]);
  const cashSale = results.get('cashsale') as LookupResult;
  if (cashSale.found && cashSale.id) return { kind: 'cash_sale', cashSaleId: cashSale.id };
  const invoice = results.get('invoice') as LookupResult;
  if (invoice.found && invoice.id) {
    return { kind: 'invoice', invoiceId: invoice.id, amountRemaining: parseMoney(value(invoice, 'amountremaining') ?? '0', currency).amount };
  }
  const deposit = results.get('deposit') as LookupResult;
  return {
    kind: 'unbilled',
    customerDeposit: deposit.found && deposit.id ? { id: deposit.id, unappliedAmount: parseMoney(value(deposit, 'unapplied') ?? '0', currency).amount } : null,
  };
}
