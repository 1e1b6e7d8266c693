/**
 * One storefront refund -> the NetSuite records to write, with their lines, totals and externalIds.
 * Pure: the caller supplies the refund, how the order was billed, and settings.
 */
import { type Result, ok } from './errors';
import { type RefundPosting, type RefundPostingSettings, buildRefundPosting } from './posting';
import { type BillingFacts, type PlannedRecord, planRefundRecords } from './record-plan';
import type { CanonicalRefund } from './types';

export interface RefundSyncPlan {
  posting: RefundPosting;
  /** Records in the order they must be written (a customer refund after the credit memo it applies). */
  records: PlannedRecord[];
  /** Set when the refund needs no NetSuite record (zero amount with nothing to restock...). */
  nothingToPost: string | null;
}

export function planRefundSync(
  refund: CanonicalRefund,
  billing: BillingFacts,
  settings: RefundPostingSettings,
): Result<RefundSyncPlan> {
  const posting = buildRefundPosting(refund, settings);
  if (!posting.ok) return posting;
  const records = planRefundRecords(billing, posting.value.total, refund, { hasRestock: posting.value.hasRestock });
  if (!records.ok) return records;
  const nothingToPost =
    records.value.length > 0
      ? null
      : posting.value.hasRestock
        ? 'Zero-amount refund of an unbilled order: no money moved and nothing was billed, so there is no record to write.'
        : 'Zero-amount refund with nothing to restock: no money moved and no stock returns, so there is no record to write.';
  return ok({ posting: posting.value, records: records.value, nothingToPost });
}
