/**
 * A refund sync plan (core/refunds planRefundSync) -> the RESTlet operations that write it. Pure.
 *
 * Exact amounts: the item lines come from middleware/ports/lines.ts (explicit rates, uneven amounts split in two
 * lines), so the record total equals the refunded money to the cent; nothing is rounded.
 * Tax: canonical amounts are gross (tax included); they are posted as such and the tax inside is named in the
 * line's description. (Posting net + tax codes needs the account's tax setup, which the plan does not know.)
 * Restock: lines whose goods do not come back go to the configured non-restock location (a non-nettable holding
 * location) when one is set; restocked lines keep the source line's location.
 */
import type { ApplyLineInput, Operation } from '../../../core/contracts/restlet';
import { formatMoney, money } from '../../../core/money';
import type { CanonicalRefundLine, PostingLine, PlannedRecord, RefundSyncPlan } from '../../../core/refunds';
import { itemLinesOf, linesTotal } from '../../ports/lines';

export interface OpsContext {
  currency: string;
  /**
   * The refund's own item lines, one per storefront line. Posted line by line (not grouped by SKU) so that each
   * matches its own line on the source cash sale or invoice, which NetSuite refunds up to that line's quantity.
   */
  refundLines: readonly CanonicalRefundLine[];
  /** Written on every record: `${platform}:${refundId}` (custbody_lb_platform_ref). */
  platformRef: string;
  memo: string;
  customerId: string | null;
  nonRestockLocationId: string | null;
  adjustmentItem: string;
}

export const PLATFORM_REF_FIELD = 'custbody_lb_platform_ref';

const fmt = (amount: number, currency: string) => formatMoney(money(amount, currency));

export { itemLinesOf, linesTotal };

/**
 * The posting's lines with its SKU-grouped item lines replaced by the refund's own lines: the same money (a group's
 * amount is the sum of its lines), but each line stays the size of the storefront line it refunds.
 */
export function postedLines(plan: RefundSyncPlan, refundLines: readonly CanonicalRefundLine[]): PostingLine[] {
  const items: PostingLine[] = refundLines.map((l) => ({ kind: 'item', item: l.sku, quantity: l.quantity, amount: l.amount, tax: l.tax, restock: l.restock, memo: null }));
  const grouped = plan.posting.lines.filter((l) => l.kind === 'item').reduce((a, l) => a + l.amount, 0);
  if (items.reduce((a, l) => a + l.amount, 0) !== grouped) throw new Error('refund lines do not add up to the posting item lines');
  return [...items, ...plan.posting.lines.filter((l) => l.kind !== 'item')];
}

/** The operation that writes one planned record. `creditMemoId` is the credit memo written before it, if any. */
export function operationFor(record: PlannedRecord, plan: RefundSyncPlan, ctx: OpsContext, creditMemoId: string | null): Operation {
  const values = { memo: ctx.memo.slice(0, 999), [PLATFORM_REF_FIELD]: ctx.platformRef };
  const amount = fmt(record.amount, ctx.currency);
  if (record.carriesLines && record.transformFrom) {
    return {
      opId: record.kind,
      kind: 'transform',
      fromType: record.transformFrom.type,
      from: { id: record.transformFrom.id },
      toType: record.kind,
      externalId: record.externalId,
      values,
      items: itemLinesOf(postedLines(plan, ctx.refundLines), ctx),
    };
  }
  if (record.transformFrom) {
    // Customer refund against a customer deposit: exactly the refunded amount, not the whole deposit.
    const apply: ApplyLineInput[] = [{ sublist: 'deposit', docId: record.transformFrom.id, amount }];
    return { opId: record.kind, kind: 'transform', fromType: record.transformFrom.type, from: { id: record.transformFrom.id }, toType: record.kind, externalId: record.externalId, values, apply };
  }
  if (!creditMemoId || !ctx.customerId) throw new Error('a customer refund of a credit memo needs the credit memo and the customer');
  return {
    opId: record.kind,
    kind: 'create',
    recordType: record.kind,
    externalId: record.externalId,
    values: { ...values, customer: ctx.customerId },
    apply: [{ sublist: 'apply', docId: creditMemoId, amount }],
  };
}
