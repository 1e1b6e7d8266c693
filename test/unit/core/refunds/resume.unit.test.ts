import {
  planRefundRecords,
  readStoredPlan,
  refundExternalId,
  refundLookupIds,
  refundRecordKinds,
  resumeFrom,
  storedPlanOf,
  type FoundRecord,
} from '../../../../core/refunds';

const source = { platform: 'shopify' as const, account: 'shop1.myshopify.com', refundId: '929361472' };
const memo = (amount: number, unapplied: number | null): FoundRecord => ({ kind: 'creditmemo', id: '900', externalId: refundExternalId(source, 'creditmemo'), amount, unapplied });
const payout = (amount: number): FoundRecord => ({ kind: 'customerrefund', id: '901', externalId: refundExternalId(source, 'customerrefund'), amount, unapplied: null });

describe('what an attempt looks up before writing', () => {
  it('every record kind the billing can produce, first record first, by the refund externalIds', () => {
    expect(refundRecordKinds('cash_sale')).toEqual(['cashrefund']);
    expect(refundRecordKinds('invoice')).toEqual(['creditmemo', 'customerrefund']);
    expect(refundRecordKinds('unbilled')).toEqual(['customerrefund']);
    expect(refundLookupIds(source, 'invoice')).toEqual([
      { kind: 'creditmemo', externalId: refundExternalId(source, 'creditmemo') },
      { kind: 'customerrefund', externalId: refundExternalId(source, 'customerrefund') },
    ]);
  });
});

describe('resuming from the records found', () => {
  it('nothing found: a fresh plan from the billing facts', () => {
    expect(resumeFrom(source, [], null)).toEqual({ kind: 'fresh' });
  });

  it('a cash refund found: complete', () => {
    const cash: FoundRecord = { kind: 'cashrefund', id: '5', externalId: refundExternalId(source, 'cashrefund'), amount: 4950, unapplied: null };
    expect(resumeFrom(source, [cash], null)).toEqual({ kind: 'complete', records: [cash] });
  });

  it('a customer refund against a deposit found: complete, whatever the deposit has left now', () => {
    const stored = storedPlanOf('unbilled', unwrap(planRefundRecords({ kind: 'unbilled', customerDeposit: { id: '44', unappliedAmount: 19_900 } }, 15_000, source)));
    // A re-plan on what the deposit has left after that customer refund fails.
    expect(planRefundRecords({ kind: 'unbilled', customerDeposit: { id: '44', unappliedAmount: 4900 } }, 15_000, source)).toMatchObject({ ok: false, error: { code: 'deposit_insufficient' } });
    expect(resumeFrom(source, [payout(15_000)], stored)).toEqual({ kind: 'complete', records: [payout(15_000)] });
  });

  it('credit memo and customer refund found (either order): complete, credit memo first', () => {
    expect(resumeFrom(source, [payout(4950), memo(4950, 0)], null)).toEqual({ kind: 'complete', records: [memo(4950, 0), payout(4950)] });
  });

  it('credit memo of a paid invoice found, payout missing: only the customer refund, for the stored amount', () => {
    // Planned when the invoice was paid in full; the credit memo has since changed nothing the stored plan holds.
    const stored = storedPlanOf('invoice', unwrap(planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 0 }, 4950, source)));
    const decision = resumeFrom(source, [memo(4950, 4950)], stored);
    expect(decision).toEqual({
      kind: 'finish',
      found: [memo(4950, 4950)],
      missing: [{ kind: 'customerrefund', externalId: refundExternalId(source, 'customerrefund'), transformFrom: null, appliesCreditMemo: true, carriesLines: false, amount: 4950 }],
    });
  });

  it('partly open invoice: the payout is the stored amount, not what a re-plan on the lowered balance would pay', () => {
    // Invoice had 30.00 open; refund 100.00 -> credit memo 100.00, payout 70.00. After the memo the invoice has 0 open,
    // and a re-plan would pay out 100.00.
    const stored = storedPlanOf('invoice', unwrap(planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 3000 }, 10_000, source)));
    const replan = unwrap(planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 0 }, 10_000, source));
    expect(replan.map((r) => r.amount)).toEqual([10_000, 10_000]);
    const decision = resumeFrom(source, [memo(10_000, 7000)], stored);
    expect(decision.kind === 'finish' && decision.missing.map((m) => [m.kind, m.amount])).toEqual([['customerrefund', 7000]]);
  });

  it('open invoice fully absorbing the credit memo: the stored plan has no payout, so complete', () => {
    const stored = storedPlanOf('invoice', unwrap(planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 10_000 }, 9900, source)));
    expect(resumeFrom(source, [memo(9900, 0)], stored)).toEqual({ kind: 'complete', records: [memo(9900, 0)] });
  });

  it('no stored plan: the payout is what the credit memo has not applied (nothing when it is all applied)', () => {
    const finish = resumeFrom(source, [memo(10_000, 7000)], null);
    expect(finish.kind === 'finish' && finish.missing.map((m) => m.amount)).toEqual([7000]);
    expect(resumeFrom(source, [memo(10_000, 0)], null).kind).toBe('complete');
    expect(resumeFrom(source, [memo(10_000, null)], null).kind).toBe('complete');
  });
});

describe('the stored plan', () => {
  it('round-trips kinds, externalIds and amounts', () => {
    const stored = storedPlanOf('invoice', unwrap(planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 0 }, 4950, source)));
    expect(readStoredPlan(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('anything else reads as no plan', () => {
    for (const bad of [undefined, null, 'x', 5, {}, { billing: 'other', records: [] }, { billing: 'invoice' }, { billing: 'invoice', records: [{ kind: 'check', externalId: 'a', amount: 1 }] }, { billing: 'invoice', records: [{ kind: 'creditmemo', externalId: 'a', amount: 1.5 }] }, { billing: 'invoice', records: [{ kind: 'creditmemo', externalId: 'a', amount: -1 }] }, { billing: 'invoice', records: [null] }]) {
      expect(readStoredPlan(bad)).toBeNull();
    }
  });
});

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error('expected a plan');
  return r.value;
}
