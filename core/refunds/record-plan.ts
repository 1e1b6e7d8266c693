/**
 * Which NetSuite records a refund becomes, from how the order was billed (the same choice NetSuite's own Refund
 * button makes):
 *   cash sale                 -> cash refund (transform cashsale -> cashrefund)
 *   invoice                   -> credit memo (transform invoice -> creditmemo), plus a customer refund paying out
 *                                whatever the credit memo does not absorb from the invoice's open balance
 *                                (all of it when the invoice was paid in full)
 *   unbilled, customer deposit -> customer refund against the deposit (transform customerdeposit -> customerrefund)
 *   unbilled, no deposit       -> nothing to refund against: an exception, never a guess.
 * creditmemo -> customerrefund is not in SuiteScript's documented transform list (UNCONFIRMED), so the customer
 * refund is planned as a create with an apply line on the credit memo, the documented-safe way.
 */
import { type NetSuiteRefundRecordKind, type RefundSource, refundExternalId } from './external-id';
import { type Result, fail, ok } from './errors';

export type BillingFacts =
  | { kind: 'cash_sale'; cashSaleId: string }
  | {
      kind: 'invoice';
      invoiceId: string;
      /** What is still open on the invoice, minor units (0 when paid in full). */
      amountRemaining: number;
    }
  | {
      kind: 'unbilled';
      /** The sales order's customer deposit and how much of it is not yet applied or refunded, if any. */
      customerDeposit: { id: string; unappliedAmount: number } | null;
    };

export type BillingKind = BillingFacts['kind'];

export interface PlannedRecord {
  kind: NetSuiteRefundRecordKind;
  externalId: string;
  /** Transform source; null for a plain create. */
  transformFrom: { type: 'cashsale' | 'invoice' | 'customerdeposit'; id: string } | null;
  /** A customer refund paying out a credit memo planned in the same plan. */
  appliesCreditMemo: boolean;
  /** True when the record carries the refund's item lines (cash refund, credit memo). */
  carriesLines: boolean;
  /** Record total, minor units. */
  amount: number;
}

/**
 * Plans the records for a refund of `total` minor units. `hasRestock` makes a zero-amount refund still post the
 * line-bearing record (so stock comes back); a zero-amount refund with nothing to restock plans no record.
 */
export function planRefundRecords(
  billing: BillingFacts,
  total: number,
  source: RefundSource,
  options: { hasRestock: boolean } = { hasRestock: false },
): Result<PlannedRecord[]> {
  const record = (kind: NetSuiteRefundRecordKind, fields: Omit<PlannedRecord, 'kind' | 'externalId'>): PlannedRecord => ({
    kind,
    externalId: refundExternalId(source, kind),
    ...fields,
  });
  if (total === 0 && !options.hasRestock) return ok([]);

  switch (billing.kind) {
    case 'cash_sale':
      return ok([
        record('cashrefund', { transformFrom: { type: 'cashsale', id: billing.cashSaleId }, appliesCreditMemo: false, carriesLines: true, amount: total }),
      ]);
    case 'invoice': {
      const memo = record('creditmemo', {
        transformFrom: { type: 'invoice', id: billing.invoiceId },
        appliesCreditMemo: false,
        carriesLines: true,
        amount: total,
      });
      const payout = total - Math.min(total, Math.max(0, billing.amountRemaining));
      if (payout === 0) return ok([memo]);
      return ok([memo, record('customerrefund', { transformFrom: null, appliesCreditMemo: true, carriesLines: false, amount: payout })]);
    }
    case 'unbilled': {
      const deposit = billing.customerDeposit;
      if (!deposit) {
        return fail(
          'nothing_to_refund_against',
          'The NetSuite sales order is not billed (no cash sale or invoice) and has no customer deposit, so there is ' +
            'nothing to refund against. Bill the order or record the customer deposit in NetSuite, then retry.',
        );
      }
      if (total === 0) return ok([]); // a deposit refund carries no lines; stock was never shipped from a bill
      if (deposit.unappliedAmount < total) {
        return fail(
          'deposit_insufficient',
          `The customer deposit ${deposit.id} has ${deposit.unappliedAmount} minor units left, less than the ` +
            `${total} refunded. Check for deposits already applied or refunded in NetSuite.`,
        );
      }
      return ok([
        record('customerrefund', {
          transformFrom: { type: 'customerdeposit', id: deposit.id },
          appliesCreditMemo: false,
          carriesLines: false,
          amount: total,
        }),
      ]);
    }
  }
}
