import { money, parseMoney } from '../../../../core/money';
import { buildRefundPosting, storefrontRefundKey } from '../../../../core/refunds';
import { createMagentoClient, mapCreditMemo, mapOrder } from '../../../../middleware/connectors/magento';
import { type MagentoSimulator, startMagentoSimulator } from '../../../../middleware/simulators/magento';

const SETTINGS = { adjustmentItem: 'LB-REFUND-ADJ', shippingItem: 'LB-SHIPPING' };

describe('Magento simulator over real HTTP with the Magento connector', () => {
  let sim: MagentoSimulator;
  let client: ReturnType<typeof createMagentoClient>;

  beforeEach(async () => {
    sim = await startMagentoSimulator();
    client = createMagentoClient({ baseUrl: sim.restUrl, accessToken: sim.accessToken, retries: 0 });
  });
  afterEach(() => sim.close());

  it('maps orders by SKU, counting a configurable product once', async () => {
    const order = await client.getOrder('1');
    if (!order.ok) throw new Error(order.error.message);
    const mapped = mapOrder(order.value, sim.restUrl);
    expect(mapped.ok && mapped.value.lines.map((l) => [l.sku, l.quantity, l.amount, l.tax])).toEqual([
      ['MH01-XS-Black', 2, 11258, 858],
      ['24-MB01', 1, 3681, 281],
    ]);
    expect(mapped.ok && mapped.value.total).toBe(11258 + 3681 + 1000);
  });

  it('polls new credit memos with a cursor and maps them to the cent, adjustments with their reasons', async () => {
    const empty = await client.pollCreditMemos('0');
    expect(empty.ok && empty.value).toEqual({ creditMemos: [], cursor: '0', more: false });

    sim.issueRefund('1', { items: [{ sku: 'MH01-XS-Black', qty: 1 }], shipping: '10.00', adjustmentNegative: '5.00', comment: 'Returned, restocking fee' });
    const page = await client.pollCreditMemos('0');
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.cursor).toBe('1');
    expect(page.value.creditMemos).toHaveLength(1);

    const refund = mapCreditMemo(page.value.creditMemos[0] as never, { account: sim.restUrl, restockedOrderItemIds: new Set(['1']) });
    if (!refund.ok) throw new Error(refund.error.message);
    expect(refund.value.lines).toEqual([{ sku: 'MH01-XS-Black', lineId: '1', quantity: 1, amount: 5629, tax: 429, restock: true }]);
    expect(refund.value.shipping).toEqual({ amount: 1000, tax: 0 });
    expect(refund.value.adjustments).toEqual([{ amount: -500, reason: 'Adjustment fee' }]);
    expect(refund.value.transactions).toEqual([{ id: '1', amount: 6129, status: 'success', gateway: 'magento_offline' }]);
    const posting = buildRefundPosting(refund.value, SETTINGS);
    expect(posting.ok && [posting.value.total, posting.value.difference]).toEqual([6129, 0]);

    const next = await client.pollCreditMemos(page.value.cursor);
    expect(next.ok && next.value.creditMemos).toEqual([]);
  });

  it('pages through many credit memos in id order', async () => {
    sim.issueRefund('1', { items: [{ sku: '24-MB01', qty: 1 }] });
    sim.issueRefund('2', { items: [{ sku: '24-WG080', qty: 1 }] });
    sim.issueRefund('1', { items: [{ sku: 'MH01-XS-Black', qty: 1 }] });
    const seen: string[] = [];
    let cursor = '0';
    for (let i = 0; i < 5; i += 1) {
      const page = await client.pollCreditMemos(cursor, 2);
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.value.creditMemos.map((m) => m.entity_id));
      cursor = page.value.cursor;
      if (!page.value.more) break;
    }
    expect(seen).toEqual(['1', '2', '3']);
  });

  it('NetSuite -> Magento: POST /V1/order/{id}/refund once, even when retried', async () => {
    const request = {
      items: [{ orderItemId: '3', qty: 1, restock: true }],
      shipping: money(500, 'USD'),
      idempotencyKey: storefrontRefundKey('magento', sim.restUrl, 'creditmemo', '812'),
    };
    const first = await client.refundOrder('1', request);
    expect(first.ok && first.value).toEqual({ creditMemoId: '1', created: true });
    const again = await client.refundOrder('1', request);
    expect(again.ok && again.value).toEqual({ creditMemoId: '1', created: false });
    expect(sim.state.creditMemos.size).toBe(1);
    const memo = await client.getCreditMemo('1');
    expect(memo.ok && parseMoney(memo.value.grand_total ?? 'missing', 'USD').amount).toBe(3681 + 500);
  });

  it('answers Magento-style errors', async () => {
    const bad = createMagentoClient({ baseUrl: sim.restUrl, accessToken: 'nope', retries: 0 });
    const unauthorized = await bad.getOrder('1');
    expect(!unauthorized.ok && unauthorized.error.code).toBe('unauthorized');
    const missing = await client.getOrder('999');
    expect(!missing.ok && missing.error.code).toBe('not_found');
    const tooMuch = await client.refundOrder('2', { items: [], shipping: money(10_000, 'EUR'), idempotencyKey: 'k' });
    expect(!tooMuch.ok && tooMuch.error.code).toBe('provider_rejected');
    expect(!tooMuch.ok && JSON.stringify(tooMuch.error.providerBody)).toMatch(/Maximum shipping amount allowed to refund/);
  });
});
