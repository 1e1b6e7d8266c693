import { allocate, formatMoney, money, parseMoney } from '../../../../core/money';
import { buildRefundPosting, planRefundSync } from '../../../../core/refunds';
import type { CanonicalRefund, CanonicalRefundLine, RefundPosting } from '../../../../core/refunds';
import { pick, randomInt, seededRandom } from '../prng';
import { SETTINGS, buildRefund } from './build-refund';

function posted(refund: CanonicalRefund): RefundPosting {
  const r = buildRefundPosting(refund, SETTINGS);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const line = (sku: string, quantity: number, amount: number, tax = 0, restock = true): CanonicalRefundLine => ({
  sku,
  lineId: null,
  quantity,
  amount,
  tax,
  restock,
});
const paid = (amount: number, status: 'success' | 'pending' | 'failure' | 'error' = 'success') => ({ id: null, amount, status, gateway: 'shopify_payments' });

describe('refund posting: the NetSuite total is the money actually refunded', () => {
  it('partial refund: one of three units, lines match the money', () => {
    const p = posted(buildRefund({ lines: [line('TSHIRT-M', 1, 2120, 120)], transactions: [paid(2120)] }));
    expect(p.total).toBe(2120);
    expect(p.difference).toBe(0);
    expect(p.lines).toEqual([{ kind: 'item', item: 'TSHIRT-M', quantity: 1, amount: 2120, tax: 120, restock: true, memo: null }]);
  });

  it('counts only successful transactions; failed ones moved no money', () => {
    const p = posted(buildRefund({ lines: [line('A', 1, 1000)], transactions: [paid(1000, 'failure'), paid(1000)] }));
    expect(p.total).toBe(1000);
    expect(p.difference).toBe(0);
  });

  it('waits for pending money and refuses an all-failed refund', () => {
    const pending = buildRefundPosting(buildRefund({ lines: [line('A', 1, 1000)], transactions: [paid(1000, 'pending')] }), SETTINGS);
    expect(!pending.ok && pending.error.code).toBe('refund_not_settled');
    const failed = buildRefundPosting(buildRefund({ lines: [line('A', 1, 1000)], transactions: [paid(1000, 'error')] }), SETTINGS);
    expect(!failed.ok && failed.error.code).toBe('refund_not_settled');
  });

  it('puts the difference between lines and money on the adjustment item with its reason (more refunded)', () => {
    // Shopify's own sample: a line refunded at 0.00 subtotal while 41.94 was refunded.
    const p = posted(buildRefund({ lines: [line('IPOD2008RED', 1, 0, 0, false)], transactions: [paid(4194)], note: 'wrong size' }));
    expect(p.total).toBe(4194);
    expect(p.difference).toBe(4194);
    const adj = p.lines.find((l) => l.kind === 'adjustment');
    expect(adj).toMatchObject({ item: 'LB-REFUND-ADJ', amount: 4194 });
    expect(adj?.memo).toBe('Refunded 41.94 USD vs 0.00 in lines, shipping and stated adjustments: more money refunded than the lines by 41.94 (note: wrong size)');
  });

  it('and when less money was refunded than the lines (e.g. an unstated restocking fee)', () => {
    const p = posted(buildRefund({ lines: [line('A', 2, 5000, 0)], transactions: [paid(4500)] }));
    expect(p.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['item', 5000],
      ['adjustment', -500],
    ]);
    expect(p.lines[1]?.memo).toMatch(/less money refunded than the lines by 5\.00/);
  });

  it('keeps platform-stated adjustments with their own reasons', () => {
    const p = posted(
      buildRefund({
        lines: [line('A', 1, 5000)],
        adjustments: [{ amount: -750, reason: 'Restocking fee' }, { amount: 200, reason: 'Goodwill' }],
        transactions: [paid(4450)],
      }),
    );
    expect(p.difference).toBe(0);
    expect(p.lines.filter((l) => l.kind === 'adjustment').map((l) => [l.amount, l.memo])).toEqual([
      [-750, 'Restocking fee'],
      [200, 'Goodwill'],
    ]);
  });

  it('shipping-only refund: one shipping line, no items', () => {
    const p = posted(buildRefund({ shipping: { amount: 500, tax: 0 }, transactions: [paid(500)] }));
    expect(p.lines).toEqual([{ kind: 'shipping', item: 'LB-SHIPPING', quantity: 1, amount: 500, tax: 0, restock: false, memo: 'Shipping refund' }]);
    expect(p.total).toBe(500);
  });

  it('zero-amount refund (restock only) is explicit and still carries the restock line', () => {
    const p = posted(buildRefund({ lines: [line('A', 2, 0, 0, true)], transactions: [] }));
    expect(p).toMatchObject({ total: 0, zeroAmount: true, hasRestock: true, difference: 0 });
    const plan = planRefundSync(buildRefund({ lines: [line('A', 2, 0, 0, true)] }), { kind: 'cash_sale', cashSaleId: '5' }, SETTINGS);
    expect(plan.ok && plan.value.records.map((r) => [r.kind, r.amount])).toEqual([['cashrefund', 0]]);
    const none = planRefundSync(buildRefund({ lines: [line('A', 2, 0, 0, false)] }), { kind: 'cash_sale', cashSaleId: '5' }, SETTINGS);
    expect(none.ok && none.value.records).toEqual([]);
    expect(none.ok && none.value.nothingToPost).toMatch(/nothing to restock/);
  });

  it('tax-inclusive prices: the gross line is the money, the tax is the part of it that is tax', () => {
    // EUR shop with VAT included: 2 x 24.99 incl. 19% VAT (7.98 of VAT), plus 4.90 shipping incl. 0.78 VAT.
    const p = posted(
      buildRefund({
        currency: 'EUR',
        lines: [line('MUG', 2, parseMoney('49.98', 'EUR').amount, parseMoney('7.98', 'EUR').amount)],
        shipping: { amount: 490, tax: 78 },
        transactions: [paid(parseMoney('54.88', 'EUR').amount)],
      }),
    );
    expect(p.difference).toBe(0);
    expect(formatMoney(money(p.total, p.currency))).toBe('54.88');
    expect(p.lines.reduce((a, l) => a + l.tax, 0)).toBe(876);
  });

  it('several currencies, each in its own precision', () => {
    const jpy = posted(buildRefund({ currency: 'JPY', lines: [line('TEA', 3, 4500, 409)], transactions: [paid(4500)] }));
    expect(formatMoney(money(jpy.total, 'JPY'))).toBe('4500');
    const kwd = posted(buildRefund({ currency: 'kwd', lines: [line('OUD', 1, 12_345)], transactions: [paid(12_346)] }));
    expect(kwd.currency).toBe('KWD');
    expect(kwd.lines[1]?.memo).toMatch(/by 0\.001$/);
    const bad = buildRefundPosting(buildRefund({ currency: 'XX' }), SETTINGS);
    expect(!bad.ok && bad.error.code).toBe('invalid_refund');
  });

  it('groups the same SKU and restock flag, quantities added', () => {
    const p = posted(buildRefund({ lines: [line('A', 1, 100), line('B', 1, 50), line('A', 2, 200), line('A', 1, 100, 0, false)], transactions: [paid(450)] }));
    expect(p.lines.map((l) => [l.item, l.quantity, l.amount, l.restock])).toEqual([
      ['A', 3, 300, true],
      ['B', 1, 50, true],
      ['A', 1, 100, false],
    ]);
  });

  it('100-line refund reconciles exactly', () => {
    const lines = Array.from({ length: 100 }, (_, i) => line(`SKU-${String(i).padStart(3, '0')}`, (i % 4) + 1, 999 + i * 37, i % 7));
    const sumLines = lines.reduce((a, l) => a + l.amount, 0);
    const p = posted(buildRefund({ lines, shipping: { amount: 1250, tax: 0 }, transactions: [paid(sumLines + 1250 - 3)] }));
    expect(p.lines.filter((l) => l.kind === 'item')).toHaveLength(100);
    expect(p.difference).toBe(-3);
    expect(p.lines.reduce((a, l) => a + l.amount, 0)).toBe(p.total);
  });

  it('refuses lines without SKU, bad quantities and tax larger than the line', () => {
    const cases: CanonicalRefundLine[] = [line('', 1, 100), line('A', -1, 100), line('A', 1.5, 100), line('A', 1, 100, 101)];
    for (const l of cases) {
      const r = buildRefundPosting(buildRefund({ lines: [l], transactions: [paid(100)] }), SETTINGS);
      expect(!r.ok && r.error.code).toBe('invalid_refund');
    }
    const noItem = buildRefundPosting(buildRefund(), { adjustmentItem: '', shippingItem: 'S' });
    expect(!noItem.ok && noItem.error.code).toBe('missing_adjustment_item');
  });
});

describe('10,000 generated refunds reconcile to the cent', () => {
  it('NetSuite lines always sum to the successful refund transactions, checked against decimal strings', () => {
    const random = seededRandom(20261123);
    const currencies = ['USD', 'EUR', 'GBP', 'JPY', 'KWD', 'BHD', 'KRW'];
    const failures: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const currency = pick(random, currencies);
      const orderTotal = money(randomInt(random, 0, 5_000_000), currency);
      const n = randomInt(random, 0, 8);
      // Line amounts from an allocation of the total (the way a platform splits an order discount), tax a share.
      const parts = n > 0 ? allocate(orderTotal, Array.from({ length: n }, () => randomInt(random, 1, 1000))) : [];
      const lines = parts.map((m, k) => line(`S${k % 5}`, randomInt(random, 0, 5), m.amount, Math.floor(m.amount * random() * 0.2), random() < 0.5));
      const shipping = random() < 0.3 ? randomInt(random, 0, 3000) : 0;
      const adjustments = random() < 0.2 ? [{ amount: -randomInt(random, 0, 500), reason: 'Restocking fee' }] : [];
      const components = lines.reduce((a, l) => a + l.amount, 0) + shipping + adjustments.reduce((a, x) => a + x.amount, 0);
      // The money: usually the components, sometimes a few units off either way, split over 1-3 transactions.
      const drift = random() < 0.3 ? randomInt(random, -3, 3) : 0;
      const refunded = Math.max(0, components + drift);
      const txCount = randomInt(random, 1, 3);
      const txParts = allocate(money(refunded, currency), Array.from({ length: txCount }, () => randomInt(random, 1, 10)));
      const transactions = [...txParts.map((m) => paid(m.amount)), ...(random() < 0.2 ? [paid(randomInt(random, 1, 9999), 'failure')] : [])];

      const result = buildRefundPosting(buildRefund({ currency, lines, shipping: { amount: shipping, tax: 0 }, adjustments, transactions }), SETTINGS);
      if (!result.ok) {
        failures.push(`#${i}: ${result.error.code}`);
        continue;
      }
      const p = result.value;
      // Independent check on decimal strings: digits only, summed with bigint.
      const toUnits = (s: string) => BigInt(s.replace('.', ''));
      const linesSum = p.lines.reduce((a, l) => a + toUnits(formatMoney(money(l.amount, currency))), 0n);
      const moneySum = txParts.reduce((a, m) => a + toUnits(formatMoney(m)), 0n);
      if (linesSum !== moneySum || BigInt(p.total) !== moneySum) failures.push(`#${i}: lines ${linesSum} vs money ${moneySum}`);
      if (p.difference !== refunded - components) failures.push(`#${i}: difference ${p.difference}`);
      if (p.lines.filter((l) => l.kind === 'adjustment' && l.memo?.startsWith('Refunded')).length !== (p.difference === 0 ? 0 : 1)) {
        failures.push(`#${i}: balancing line`);
      }
    }
    expect(failures).toEqual([]);
  });
});
