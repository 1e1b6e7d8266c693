import { money } from '../../../../core/money';
import { buildRefundPosting, explainWhyNotSynced } from '../../../../core/refunds';
import { createEbayClient, mapOrder, mapOrderRefunds } from '../../../../middleware/connectors/ebay';
import { type EbaySimulator, startEbaySimulator } from '../../../../middleware/simulators/ebay';

const SETTINGS = { adjustmentItem: 'LB-REFUND-ADJ', shippingItem: 'LB-SHIPPING' };
const ACCOUNT = 'ledgerbridge_sandbox';

describe('eBay simulator over real HTTP with the eBay connector', () => {
  let sim: EbaySimulator;
  let client: ReturnType<typeof createEbayClient>;
  let orderId: string;

  beforeEach(async () => {
    sim = await startEbaySimulator();
    client = createEbayClient({ baseUrl: sim.url, accessToken: sim.accessToken, retries: 0 });
    orderId = [...sim.state.orders.keys()][0] as string;
  });
  afterEach(() => sim.close());

  it('maps an order by SKU', async () => {
    const order = await client.getOrder(orderId);
    if (!order.ok) throw new Error(order.error.message);
    const mapped = mapOrder(order.value, ACCOUNT);
    expect(mapped.ok && mapped.value.lines.map((l) => [l.sku, l.quantity, l.amount])).toEqual([
      ['CAM-CANON-AE1', 1, 18999],
      ['LENS-50MM-F18', 2, 9100],
    ]);
    expect(mapped.ok && mapped.value.total).toBe(18999 + 9100 + 1295);
  });

  it('reads line-level refunds found by polling modified orders, and they post to the cent', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    sim.issueRefund(orderId, { lines: [{ sku: 'LENS-50MM-F18', amount: '45.50' }], orderLevelAmount: '6.00' });
    const page = await client.getOrdersModifiedSince(before);
    if (!page.ok) throw new Error(page.error.message);
    const order = page.value.orders.find((o) => o.orderId === orderId);
    if (!order) throw new Error('modified order not found by the poll');
    const mapped = mapOrderRefunds(order, ACCOUNT);
    if (!mapped.ok) throw new Error(mapped.error.message);
    expect(mapped.value.unreadable).toEqual([]);
    const [refund] = mapped.value.refunds;
    expect(refund?.lines).toEqual([{ sku: 'LENS-50MM-F18', lineId: expect.any(String), quantity: 1, amount: 4550, tax: 0, restock: false }]);
    expect(refund?.transactions).toEqual([{ id: refund?.refundId, amount: 5150, status: 'success', gateway: 'ebay_managed_payments' }]);
    const posting = refund && buildRefundPosting(refund, SETTINGS);
    // 6.00 of the refund is not tied to a line: it is booked on the adjustment item with the reason, not lost.
    expect(posting?.ok && posting.value.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['item', 4550],
      ['adjustment', 600],
    ]);
  });

  it('reports a refund the API cannot read with the explanation, and the why-not checker names the fix', async () => {
    sim.issueRefund(orderId, { orderLevelAmount: '20.00', buyerRequested: false });
    const order = await client.getOrder(orderId);
    if (!order.ok) throw new Error(order.error.message);
    expect(order.value.orderPaymentStatus).toBe('PARTIALLY_REFUNDED');
    const mapped = mapOrderRefunds(order.value, ACCOUNT);
    expect(mapped.ok && mapped.value.refunds).toEqual([]);
    expect(mapped.ok && mapped.value.unreadable).toEqual([
      { platform: 'ebay', account: ACCOUNT, orderId, code: 'ebay_refund_unreadable', explanation: expect.stringMatching(/without a buyer request/) },
    ]);
    const why = explainWhyNotSynced({ platform: 'ebay', account: ACCOUNT, direction: 'platform_to_netsuite', origin: 'storefront', refundState: 'unreadable' });
    expect(why.firstFailure).toBe('refund_readable');
  });

  it('issueRefund is asynchronous: pending first, then refunded', async () => {
    const issued = await client.issueOrderRefund(orderId, money(1000, 'USD'), 'OTHER_ADJUSTMENT', 'goodwill');
    expect(issued.ok && issued.value.refundStatus).toBe('PENDING');
    let order = await client.getOrder(orderId);
    const pending = order.ok ? mapOrderRefunds(order.value, ACCOUNT) : undefined;
    const p1 = pending?.ok && pending.value.refunds[0] ? buildRefundPosting(pending.value.refunds[0], SETTINGS) : undefined;
    expect(p1?.ok === false && p1.error.code).toBe('refund_not_settled');
    sim.settleRefunds();
    order = await client.getOrder(orderId);
    const settled = order.ok ? mapOrderRefunds(order.value, ACCOUNT) : undefined;
    const p2 = settled?.ok && settled.value.refunds[0] ? buildRefundPosting(settled.value.refunds[0], SETTINGS) : undefined;
    expect(p2?.ok && p2.value.total).toBe(1000);
  });

  it('answers eBay-style errors', async () => {
    const bad = createEbayClient({ baseUrl: sim.url, accessToken: 'nope', retries: 0 });
    const r = await bad.getOrder(orderId);
    expect(!r.ok && r.error.code).toBe('unauthorized');
    const missing = await client.getOrder('00-00000-00000');
    expect(!missing.ok && missing.error.code).toBe('not_found');
    const tooMuch = await client.issueOrderRefund(orderId, money(10_000_000, 'USD'), 'OTHER_ADJUSTMENT');
    expect(!tooMuch.ok && tooMuch.error.code).toBe('provider_rejected');
  });
});
