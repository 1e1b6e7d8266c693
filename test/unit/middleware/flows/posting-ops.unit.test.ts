// The RESTlet lines a refund becomes: every line's quantity × rate is exact, and across 10,000 generated refunds
// (random lines, tax, shipping, fees, partial money, several currencies) the lines reconcile to the refunded money
// to the minor unit.
import { planRefundSync, type CanonicalRefund } from '../../../../core/refunds';
import { itemLinesOf, linesTotal, operationFor, postedLines } from '../../../../middleware/flows/refunds/posting-ops';
import { resolveChannelRefundDirection } from '../../../../middleware/flows/refunds/settings';

/** Deterministic random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const settings = { adjustmentItem: 'ADJ', shippingItem: 'SHIP' };
const ctx = (currency: string, refund: CanonicalRefund) => ({
  currency,
  refundLines: refund.lines,
  platformRef: 'shopify:1',
  memo: 'm',
  customerId: '7',
  nonRestockLocationId: '9',
  adjustmentItem: 'ADJ',
});

function generated(random: () => number, i: number): CanonicalRefund {
  const currency = (['USD', 'EUR', 'JPY', 'KWD'] as const)[i % 4] as string;
  const int = (max: number) => Math.floor(random() * max);
  const lines = Array.from({ length: 1 + int(8) }, (_, j) => {
    const quantity = int(5);
    const amount = quantity === 0 && random() < 0.5 ? 0 : int(500_000);
    return { sku: `SKU-${int(4)}`, lineId: String(j), quantity, amount, tax: Math.floor(amount * 0.1), restock: random() < 0.5 };
  });
  const shipping = random() < 0.4 ? int(2_000) : 0;
  const components = lines.reduce((a, l) => a + l.amount, 0) + shipping;
  const fee = random() < 0.3 ? -int(1_000) : 0;
  const refunded = Math.max(0, components + fee + (random() < 0.2 ? int(300) - 150 : 0));
  const parts = random() < 0.3 ? [Math.floor(refunded / 2), refunded - Math.floor(refunded / 2)] : [refunded];
  return {
    platform: 'shopify',
    account: 'shop',
    refundId: String(i),
    orderId: 'o',
    currency,
    lines,
    shipping: { amount: shipping, tax: 0 },
    adjustments: fee ? [{ amount: fee, reason: 'Restocking fee' }] : [],
    transactions: parts.map((amount, k) => ({ id: String(k), amount, status: 'success' as const, gateway: 'g' })),
    note: null,
    createdAt: '2026-01-01T00:00:00Z',
  };
}

describe('refund lines for the RESTlet', () => {
  it('reconcile to the cent across 10,000 generated refunds', () => {
    const random = rng(20261123);
    let posted = 0;
    for (let i = 0; i < 10_000; i++) {
      const refund = generated(random, i);
      const plan = planRefundSync(refund, { kind: 'cash_sale', cashSaleId: '5' }, settings);
      if (!plan.ok) throw new Error(`${i}: ${plan.error.message}`);
      if (plan.value.nothingToPost) continue;
      const lines = itemLinesOf(postedLines(plan.value, refund.lines), ctx(refund.currency, refund));
      const refunded = refund.transactions.reduce((a, t) => a + t.amount, 0);
      expect(linesTotal(lines, refund.currency)).toBe(refunded);
      posted += 1;
    }
    expect(posted).toBeGreaterThan(9_000);
  });

  it('splits a line whose amount does not divide by its quantity into two exact lines', () => {
    const lines = itemLinesOf([{ kind: 'item', item: 'A', quantity: 3, amount: 1000, tax: 0, restock: true, memo: null }], { currency: 'USD', nonRestockLocationId: null, adjustmentItem: 'ADJ' });
    expect(lines).toEqual([
      { sku: 'A', quantity: 2, rate: '3.33' },
      { sku: 'A', quantity: 1, rate: '3.34' },
    ]);
  });

  it('sends goods that are not restocked to the holding location and names the tax inside', () => {
    const [line] = itemLinesOf([{ kind: 'item', item: 'A', quantity: 1, amount: 1190, tax: 190, restock: false, memo: null }], { currency: 'EUR', nonRestockLocationId: '9', adjustmentItem: 'ADJ' });
    expect(line).toEqual({ sku: 'A', quantity: 1, rate: '11.90', values: { description: 'includes tax 1.90; not restocked', location: '9' } });
  });

  it('a customer refund of a credit memo applies exactly the memo it follows', () => {
    const refund = generated(rng(1), 0);
    const plan = planRefundSync(refund, { kind: 'invoice', invoiceId: '3', amountRemaining: 0 }, settings);
    if (!plan.ok) throw new Error(plan.error.message);
    const payout = plan.value.records.find((r) => r.kind === 'customerrefund');
    if (!payout) throw new Error('no customer refund planned');
    const op = operationFor(payout, plan.value, ctx(refund.currency, refund), '42');
    expect(op).toMatchObject({ kind: 'create', recordType: 'customerrefund', values: { customer: '7' }, apply: [{ sublist: 'apply', docId: '42' }] });
  });
});

describe('channel refund direction', () => {
  it('defaults per platform and refuses both directions or an Amazon push', () => {
    expect(resolveChannelRefundDirection('ebay', {})).toEqual({ ok: true, value: 'platform_to_netsuite' });
    expect(resolveChannelRefundDirection('shopify', {})).toEqual({ ok: true, value: 'netsuite_to_platform' });
    expect(resolveChannelRefundDirection('magento', { refundDirection: 'off' })).toEqual({ ok: true, value: 'off' });
    const both = resolveChannelRefundDirection('shopify', { refunds: { importStorefrontRefunds: true, exportNetSuiteRefunds: true } });
    expect(both).toMatchObject({ ok: false, error: { code: 'contradictory_settings' } });
    const mixed = resolveChannelRefundDirection('magento', { refundDirection: 'netsuite_to_platform', refunds: { importStorefrontRefunds: true } });
    expect(mixed).toMatchObject({ ok: false, error: { code: 'contradictory_settings' } });
    expect(resolveChannelRefundDirection('amazon', { refundDirection: 'netsuite_to_platform' })).toMatchObject({ ok: false, error: { code: 'contradictory_settings' } });
  });
});
