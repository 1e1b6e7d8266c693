/**
 * The Shopify simulator speaks the shapes of Shopify's published samples (test/fixtures/conformance/shopify): at
 * every level the connector reads, its orders and refunds have the samples' keys with the samples' JSON types
 * (nulls only where a sample has null), and what it serves maps with totals that add up.
 */
import { mapOrder, mapRefund, orderEnvelope, parseWebhook, refundEnvelope, shopifyOrder, shopifyRefund } from '../../../../middleware/connectors/shopify';
import { parsePayload } from '../../../../middleware/connectors/shared/parse';
import { type ShopifySimulator, startShopifySimulator } from '../../../../middleware/simulators/shopify';
import { parseJsonSafe } from '../../../../middleware/lib/safe-json';
import { loadConformance, schemaLevels, shapeDifferences } from '../../../fixtures/conformance/load';
import { startWebhookReceiver } from './webhook-receiver';

type Obj = Record<string, unknown>;
const ID_KEYS = ['id', 'order_id', 'line_item_id', 'parent_id', 'location_id', 'shipping_line_id', 'refund_id'];

const restOrder = () => (loadConformance('shopify', 'rest-2026-07', 'get-order.response.json') as Obj).order;
const webhookOrder = () => loadConformance('shopify', 'webhooks-2026-04', 'orders-create.json');
const refundSamples = () => [
  loadConformance('shopify', 'webhooks-2026-04', 'refunds-create.json'),
  (loadConformance('shopify', 'rest-2026-07', 'create-refund.line-item.response.json') as Obj).refund,
  (loadConformance('shopify', 'rest-2026-07', 'create-refund.shipping.response.json') as Obj).refund,
  (loadConformance('shopify', 'rest-2026-07', 'get-refund.response.json') as Obj).refund,
];

describe('Shopify simulator output has the shapes of Shopify published samples', () => {
  let sim: ShopifySimulator;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    sim = await startShopifySimulator({ webhookUrl: receiver.url, webhookTransactionCurrency: 'null' });
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  async function getRaw(path: string): Promise<string> {
    const res = await fetch(`${sim.url}${path}`, { headers: { 'X-Shopify-Access-Token': sim.accessToken } });
    expect(res.status).toBe(200);
    return res.text();
  }

  it('GET orders/{id}.json: the keys the connector reads, with the sample JSON types, for every seeded order and a discounted one', async () => {
    const discounted = sim.createOrder({
      lines: [
        { sku: 'IPOD2008GREEN', quantity: 1, price: '199.00', taxRateBps: 600, discount: '3.34' },
        { sku: 'IPOD2008RED', quantity: 2, price: '199.00', taxRateBps: 600, discount: '6.66' },
      ],
      shipping: '5.00',
      discountCode: 'TENOFF',
    });
    const levels = schemaLevels(shopifyOrder);
    for (const id of sim.state.orders.keys()) {
      const raw = await getRaw(`/admin/api/2026-07/orders/${id}.json`);
      const order = (parseJsonSafe(raw, 256) as Obj).order;
      expect(shapeDifferences([restOrder(), webhookOrder()], order, levels, { idKeys: ID_KEYS })).toEqual([]);
      const parsed = parsePayload(orderEnvelope, raw, 'simulated order');
      if (!parsed.ok) throw new Error(parsed.error.message);
      const mapped = mapOrder(parsed.value.order, sim.shopDomain);
      if (!mapped.ok) throw new Error(mapped.error.message);
      const t = mapped.value.totals;
      if (!t) throw new Error('no totals');
      expect(t.lineItems - t.lineDiscounts - t.orderDiscount + t.shipping + (mapped.value.taxesIncluded ? 0 : t.tax) + t.duties + t.tip).toBe(t.total);
      expect(mapped.value.lines.reduce((a, l) => a + l.amount, 0) + mapped.value.shipping.amount).toBe(t.total);
    }
    const mapped = mapOrder((parsePayload(orderEnvelope, await getRaw(`/admin/api/2026-07/orders/${discounted.id}.json`), 'x') as { ok: true; value: { order: never } }).value.order, sim.shopDomain);
    expect(mapped.ok && mapped.value.totals).toMatchObject({ lineItems: 59700, lineDiscounts: 1000, discounts: 1000, orderDiscount: 0 });
    expect(mapped.ok && mapped.value.discountApplications?.[0]?.label).toBe('TENOFF');
  });

  it('a cancelled order states cancelled_at, cancel_reason and financial_status as the webhook sample does', async () => {
    const [id] = [...sim.state.orders.keys()];
    sim.cancelOrder(id as string, 'customer');
    const raw = await getRaw(`/admin/api/2026-07/orders/${id as string}.json`);
    const order = (parseJsonSafe(raw, 256) as Obj).order as Obj;
    const sample = webhookOrder() as Obj;
    expect(shapeDifferences([sample], order, schemaLevels(shopifyOrder), { idKeys: ID_KEYS })).toEqual([]);
    expect([order.financial_status, order.cancel_reason]).toEqual([sample.financial_status, sample.cancel_reason]);
    const parsed = parsePayload(orderEnvelope, raw, 'simulated order');
    const mapped = parsed.ok ? mapOrder(parsed.value.order, sim.shopDomain) : undefined;
    expect(mapped?.ok && mapped.value.cancelledAt).toBe(order.cancelled_at);
  });

  it('refunds/create webhooks and REST refunds have the sample shapes; currency: null in the webhook still maps', async () => {
    const [id] = [...sim.state.orders.keys()];
    await sim.issueRefund(id as string, { lines: [{ sku: 'IPOD2008RED', quantity: 1 }], shipping: 'full', note: 'conformance' });
    const [hook] = await receiver.waitFor(1);
    if (!hook) throw new Error('no webhook');
    const levels = schemaLevels(shopifyRefund);
    const body = parseJsonSafe(hook.rawBody, 256) as Obj;
    expect(shapeDifferences(refundSamples(), body, levels, { idKeys: ID_KEYS })).toEqual([]);
    expect((body.transactions as Obj[]).map((t) => t.currency)).toEqual([null]);

    const parsed = parseWebhook(hook.rawBody, hook.headers);
    if (!parsed.ok || parsed.value.topic !== 'refunds/create') throw new Error('not a refund webhook');
    const mapped = mapRefund(parsed.value.refund, { account: sim.shopDomain });
    if (!mapped.ok) throw new Error(mapped.error.message);
    expect(mapped.value.currency).toBe('USD');
    const paid = mapped.value.transactions.reduce((a, t) => a + t.amount, 0);
    expect(paid).toBe(mapped.value.lines.reduce((a, l) => a + l.amount, 0) + mapped.value.shipping.amount);

    const refundId = String(body.id);
    const rest = await getRaw(`/admin/api/2026-07/orders/${id as string}/refunds/${refundId}.json`);
    const restRefund = (parseJsonSafe(rest, 256) as Obj).refund;
    expect(shapeDifferences(refundSamples(), restRefund, levels, { idKeys: ID_KEYS })).toEqual([]);
    const restParsed = parsePayload(refundEnvelope, rest, 'simulated refund');
    expect(restParsed.ok && restParsed.value.refund.transactions.map((t) => t.currency)).toEqual(['USD']);
  });

  it('the shape check catches a missing key and a wrong type (so the comparisons above can fail)', () => {
    const sample = restOrder() as Obj;
    const lines = sample.line_items as Obj[];
    const firstLine = lines[0] as Obj;
    const brokenLine: Obj = { ...firstLine, tax_lines: [{ ...((firstLine.tax_lines as Obj[])[0] as Obj), price: null }] };
    delete brokenLine.discount_allocations;
    const broken: Obj = { ...sample, total_price: 598.94, line_items: [brokenLine, ...lines.slice(1)] };
    delete broken.financial_status;
    const problems = shapeDifferences([sample], broken, schemaLevels(shopifyOrder), { idKeys: ID_KEYS });
    expect(problems).toEqual(
      expect.arrayContaining([
        'financial_status: missing (the samples have string)',
        'total_price: number, the samples have string',
        'line_items[].discount_allocations: missing (the samples have array)',
        'line_items[].tax_lines[].price: null, the samples have string',
      ]),
    );
  });
});
