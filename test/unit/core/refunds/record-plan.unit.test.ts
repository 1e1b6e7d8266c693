import { planRefundRecords, refundExternalId } from '../../../../core/refunds';

const source = { platform: 'shopify' as const, account: 'shop1.myshopify.com', refundId: '929361472' };

describe('NetSuite record plan from how the order was billed', () => {
  it('cash sale -> cash refund transformed from the cash sale', () => {
    const r = planRefundRecords({ kind: 'cash_sale', cashSaleId: '501' }, 4194, source);
    expect(r).toEqual({
      ok: true,
      value: [
        {
          kind: 'cashrefund',
          externalId: refundExternalId(source, 'cashrefund'),
          transformFrom: { type: 'cashsale', id: '501' },
          appliesCreditMemo: false,
          carriesLines: true,
          amount: 4194,
        },
      ],
    });
  });

  it('open invoice -> credit memo only (it reduces what the customer owes)', () => {
    const r = planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 10_000 }, 4194, source);
    expect(r.ok && r.value.map((p) => [p.kind, p.amount, p.transformFrom?.type])).toEqual([['creditmemo', 4194, 'invoice']]);
  });

  it('paid invoice -> credit memo plus a customer refund that applies it', () => {
    const r = planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 0 }, 4194, source);
    expect(r.ok && r.value.map((p) => [p.kind, p.amount, p.appliesCreditMemo])).toEqual([
      ['creditmemo', 4194, false],
      ['customerrefund', 4194, true],
    ]);
  });

  it('partly paid invoice -> the customer refund pays out only what the open balance does not absorb', () => {
    const r = planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 1000 }, 4194, source);
    expect(r.ok && r.value.map((p) => [p.kind, p.amount])).toEqual([
      ['creditmemo', 4194],
      ['customerrefund', 3194],
    ]);
  });

  it('unbilled with a customer deposit -> customer refund against the deposit', () => {
    const r = planRefundRecords({ kind: 'unbilled', customerDeposit: { id: '9', unappliedAmount: 5000 } }, 4194, source);
    expect(r.ok && r.value).toEqual([
      {
        kind: 'customerrefund',
        externalId: refundExternalId(source, 'customerrefund'),
        transformFrom: { type: 'customerdeposit', id: '9' },
        appliesCreditMemo: false,
        carriesLines: false,
        amount: 4194,
      },
    ]);
  });

  it('unbilled without a deposit -> nothing_to_refund_against with what to do', () => {
    const r = planRefundRecords({ kind: 'unbilled', customerDeposit: null }, 4194, source);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('nothing_to_refund_against');
      expect(r.error.message).toMatch(/Bill the order or record the customer deposit/);
    }
  });

  it('refuses a deposit refund larger than what is left of the deposit', () => {
    const r = planRefundRecords({ kind: 'unbilled', customerDeposit: { id: '9', unappliedAmount: 4193 } }, 4194, source);
    expect(!r.ok && r.error.code).toBe('deposit_insufficient');
  });

  it('zero-amount refunds: a restock still posts the line-bearing record at zero; otherwise nothing', () => {
    const restock = planRefundRecords({ kind: 'invoice', invoiceId: '77', amountRemaining: 0 }, 0, source, { hasRestock: true });
    expect(restock.ok && restock.value.map((p) => [p.kind, p.amount])).toEqual([['creditmemo', 0]]);
    const cash = planRefundRecords({ kind: 'cash_sale', cashSaleId: '1' }, 0, source, { hasRestock: true });
    expect(cash.ok && cash.value.map((p) => [p.kind, p.amount])).toEqual([['cashrefund', 0]]);
    expect(planRefundRecords({ kind: 'cash_sale', cashSaleId: '1' }, 0, source)).toEqual({ ok: true, value: [] });
    const deposit = planRefundRecords({ kind: 'unbilled', customerDeposit: { id: '9', unappliedAmount: 0 } }, 0, source, { hasRestock: true });
    expect(deposit).toEqual({ ok: true, value: [] });
  });
});
