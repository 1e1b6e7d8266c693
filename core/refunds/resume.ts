/**
 * Finishing a refund from what NetSuite already holds. Before writing, an attempt looks up every record the refund
 * can have become (by the externalIds refundExternalId derives from it). An earlier attempt may have written some of
 * them and died before it heard back, and its own write has since changed the billing facts (a credit memo lowers
 * the invoice's open balance, a customer refund the deposit's unapplied amount), so a plan made again from those
 * facts would be wrong. This module decides, from the records found and the plan the earlier attempt stored:
 *   nothing found                         -> plan from the billing facts as usual ('fresh')
 *   every record of the refund found      -> posted with those records ('complete')
 *   a credit memo without its payout      -> write only the customer refund, for the stored plan's amount, else
 *                                            what the credit memo still has unapplied ('finish')
 * Pure: the caller does the lookup and the writes.
 */
import type { BillingKind, PlannedRecord } from './record-plan';
import { type NetSuiteRefundRecordKind, type RefundSource, refundExternalId } from './external-id';

/** A record of the refund found in NetSuite by its externalId. */
export interface FoundRecord {
  kind: NetSuiteRefundRecordKind;
  id: string;
  externalId: string;
  /** Record total, minor units. */
  amount: number;
  /** Credit memo: what it has not applied yet, minor units (null for other kinds or when unknown). */
  unapplied: number | null;
}

/** What an attempt stores before its first write: the records it is about to write, with their amounts. */
export interface StoredRecordPlan {
  billing: BillingKind;
  records: Array<{ kind: NetSuiteRefundRecordKind; externalId: string; amount: number }>;
}

export type ResumeDecision =
  | { kind: 'fresh' }
  | { kind: 'complete'; records: FoundRecord[] }
  | { kind: 'finish'; found: FoundRecord[]; missing: PlannedRecord[] };

/**
 * The record kinds a refund of an order billed `billing` can have been written as, first record first. An invoice
 * refund may also have its customer refund; an unbilled order's refund is a customer refund against the deposit.
 */
export function refundRecordKinds(billing: BillingKind): NetSuiteRefundRecordKind[] {
  switch (billing) {
    case 'cash_sale':
      return ['cashrefund'];
    case 'invoice':
      return ['creditmemo', 'customerrefund'];
    case 'unbilled':
      return ['customerrefund'];
  }
}

/** The externalIds to look up for a refund of an order billed `billing`, by kind. */
export function refundLookupIds(source: RefundSource, billing: BillingKind): Array<{ kind: NetSuiteRefundRecordKind; externalId: string }> {
  return refundRecordKinds(billing).map((kind) => ({ kind, externalId: refundExternalId(source, kind) }));
}

/** Reads a plan stored as storedPlanOf made it; null when absent or not of that shape. */
export function readStoredPlan(value: unknown): StoredRecordPlan | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as { billing?: unknown; records?: unknown };
  if (v.billing !== 'cash_sale' && v.billing !== 'invoice' && v.billing !== 'unbilled') return null;
  if (!Array.isArray(v.records)) return null;
  const records: StoredRecordPlan['records'] = [];
  for (const r of v.records as unknown[]) {
    if (!r || typeof r !== 'object') return null;
    const { kind, externalId, amount } = r as { kind?: unknown; externalId?: unknown; amount?: unknown };
    if (kind !== 'cashrefund' && kind !== 'creditmemo' && kind !== 'customerrefund') return null;
    if (typeof externalId !== 'string' || typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) return null;
    records.push({ kind, externalId, amount });
  }
  return { billing: v.billing, records };
}

/** The plan to store before writing: kinds, externalIds and amounts, nothing that changes once money moves. */
export function storedPlanOf(billing: BillingKind, records: readonly PlannedRecord[]): StoredRecordPlan {
  return { billing, records: records.map((r) => ({ kind: r.kind, externalId: r.externalId, amount: r.amount })) };
}

/**
 * Decides how an attempt goes on, given the refund's records found in NetSuite (any order) and the plan an earlier
 * attempt stored (null when none was stored). Never uses the billing facts: once a record exists they include it.
 */
export function resumeFrom(source: RefundSource, found: readonly FoundRecord[], stored: StoredRecordPlan | null): ResumeDecision {
  if (found.length === 0) return { kind: 'fresh' };
  const byKind = new Map(found.map((f) => [f.kind, f]));
  const ordered = (['cashrefund', 'creditmemo', 'customerrefund'] as const).flatMap((k) => (byKind.get(k) ? [byKind.get(k) as FoundRecord] : []));
  const memo = byKind.get('creditmemo');
  // A cash refund, or a customer refund (against a deposit, or the payout written after its credit memo): the
  // last record of its plan is there.
  if (!memo || byKind.has('customerrefund')) return { kind: 'complete', records: ordered };
  // The credit memo of an invoice refund is there; its payout may be missing.
  const plannedPayout = stored?.records.find((r) => r.kind === 'customerrefund');
  const payout = stored && stored.records.some((r) => r.kind === 'creditmemo') ? (plannedPayout?.amount ?? 0) : (memo.unapplied ?? 0);
  if (payout <= 0) return { kind: 'complete', records: ordered };
  return {
    kind: 'finish',
    found: ordered,
    missing: [
      {
        kind: 'customerrefund',
        externalId: plannedPayout?.externalId ?? refundExternalId(source, 'customerrefund'),
        transformFrom: null,
        appliesCreditMemo: true,
        carriesLines: false,
        amount: payout,
      },
    ],
  };
}
