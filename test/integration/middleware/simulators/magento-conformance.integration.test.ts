/**
 * The Magento simulator speaks what Magento's REST schema names: every field the connector's order and credit
 * memo readers know is present in the simulator's answers, with the JSON types of Adobe's published answers
 * (test/fixtures/conformance/magento/rest-2.4, sources in its README), and its orders' total parts reproduce
 * grand_total. Published answers given to the simulator are served byte for byte.
 */
import { createMagentoClient, magentoCreditMemo, magentoOrder, mapOrder } from '../../../../middleware/connectors/magento';
import { startMagentoSimulator, type MagentoSimulator } from '../../../../middleware/simulators/magento';
import { parseJsonSafe } from '../../../../middleware/lib/safe-json';
import { loadConformance, readConformanceText, schemaLevels, shapeDifferences } from '../../../fixtures/conformance/load';

type Obj = Record<string, unknown>;

/** Keys the reader knows at a level that an object of `actual` lacks. */
function missingKeys(levels: Map<string, string[]>, level: string, objects: Obj[], optional: readonly string[] = []): string[] {
  const keys = (levels.get(level) ?? []).filter((k) => !optional.includes(k));
  return objects.flatMap((o) => keys.filter((k) => !(k in o)).map((k) => `${level || '(root)'}.${k}`));
}

describe('Magento simulator answers carry every field the connector reads', () => {
  let sim: MagentoSimulator;
  beforeEach(async () => {
    sim = await startMagentoSimulator();
  });
  afterEach(() => sim.close());

  async function get(path: string): Promise<Obj> {
    const res = await fetch(`${sim.restUrl}${path}`, { headers: { Authorization: `Bearer ${sim.accessToken}` } });
    expect(res.status).toBe(200);
    return parseJsonSafe(await res.text(), 64) as Obj;
  }

  it('GET /V1/orders/{id}: the order and item fields, and totals that add up', async () => {
    const levels = schemaLevels(magentoOrder);
    const client = createMagentoClient({ baseUrl: sim.restUrl, accessToken: sim.accessToken, retries: 0 });
    for (const id of sim.state.orders.keys()) {
      const body = await get(`/V1/orders/${id}`);
      // Coupon and discount text exist only on discounted orders in Magento, customer_id only for registered customers.
      expect(missingKeys(levels, '', [body], ['coupon_code', 'discount_description', 'customer_id'])).toEqual([]);
      expect(missingKeys(levels, 'items[]', body.items as Obj[])).toEqual([]);
      const order = await client.getOrder(id);
      if (!order.ok) throw new Error(order.error.message);
      const mapped = mapOrder(order.value, sim.restUrl);
      if (!mapped.ok) throw new Error(mapped.error.message);
      const t = mapped.value.totals;
      if (!t) throw new Error('no totals');
      expect(t.lineItems - t.lineDiscounts - t.orderDiscount + t.shipping + t.tax).toBe(t.total);
      expect(mapped.value.lines.reduce((a, l) => a + l.amount, 0) + mapped.value.shipping.amount).toBe(t.total);
    }
  });

  it('credit memos carry the credit memo and item fields the reader knows', async () => {
    const [order] = sim.state.orders.values();
    const sku = order?.items[0]?.sku;
    if (!order || !sku) throw new Error('no seeded order');
    const memo = sim.issueRefund(String(order.entityId), { items: [{ sku, qty: 1 }], comment: 'conformance' });
    const body = await get(`/V1/creditmemo/${String(memo.entity_id)}`);
    const levels = schemaLevels(magentoCreditMemo);
    // Store and base currency are fallbacks for older stores; invoice and transaction ids exist for invoiced and online refunds.
    expect(missingKeys(levels, '', [body], ['store_currency_code', 'invoice_id', 'transaction_id', 'updated_at'])).toEqual([]);
    expect(missingKeys(levels, 'items[]', body.items as Obj[])).toEqual([]);
  });
});

describe("Magento simulator answers have the shape of Adobe's published answers", () => {
  const memoText = readConformanceText('magento', 'rest-2.4', 'creditmemo-get.200.json');
  const orderText = readConformanceText('magento', 'rest-2.4', 'order-get.200.json');
  const publishedMemo = loadConformance('magento', 'rest-2.4', 'creditmemo-get.200.json') as Obj;
  const publishedOrder = loadConformance('magento', 'rest-2.4', 'order-get.200.json') as Obj;
  let sim: MagentoSimulator;
  beforeEach(async () => {
    sim = await startMagentoSimulator({ seedSampleOrders: false, publishedCreditMemos: [memoText], publishedOrders: [orderText] });
  });
  afterEach(() => sim.close());

  async function getText(path: string): Promise<string> {
    const res = await fetch(`${sim.restUrl}${path}`, { headers: { Authorization: `Bearer ${sim.accessToken}` } });
    expect(res.status).toBe(200);
    return res.text();
  }

  it('an order and an offline credit memo of its own: the keys the readers use, with the published JSON types', async () => {
    const order = sim.createOrder({ customerId: 7, lines: [{ sku: 'simple_1', qty: 2, price: '100.00' }], shipping: '5.00' });
    const memo = sim.issueRefund(String(order.entityId), { items: [{ sku: 'simple_1', qty: 1 }], shipping: '5.00' });
    const orderBody = parseJsonSafe(await getText(`/V1/orders/${order.entityId}`), 64);
    const memoBody = parseJsonSafe(await getText(`/V1/creditmemo/${String(memo.entity_id)}`), 64) as Obj;
    expect(shapeDifferences([publishedOrder], orderBody, schemaLevels(magentoOrder))).toEqual([]);
    expect(shapeDifferences([publishedMemo], memoBody, schemaLevels(magentoCreditMemo))).toEqual([]);
    // An offline refund not made from an invoice states no invoice or transaction id, as in the published answer.
    expect(['invoice_id', 'transaction_id'].filter((k) => k in memoBody)).toEqual(['invoice_id', 'transaction_id'].filter((k) => k in publishedMemo));
  });

  it('serves the published answers verbatim: by id, and among the credit memo search results before its own', async () => {
    expect(await getText(`/V1/creditmemo/${String(publishedMemo.entity_id)}`)).toBe(memoText);
    expect(await getText(`/V1/orders/${String(publishedOrder.entity_id)}`)).toBe(orderText);
    const order = sim.createOrder({ lines: [{ sku: 'simple_1', qty: 1, price: '100.00' }] });
    expect(order.entityId).toBeGreaterThan(Number(publishedOrder.entity_id));
    const own = sim.issueRefund(String(order.entityId), { items: [{ sku: 'simple_1', qty: 1 }] });
    expect(own.entity_id).toBeGreaterThan(Number(publishedMemo.entity_id));
    const client = createMagentoClient({ baseUrl: sim.restUrl, accessToken: sim.accessToken, retries: 0 });
    const page = await client.pollCreditMemos('0');
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.creditMemos.map((m) => m.entity_id)).toEqual([String(publishedMemo.entity_id), String(own.entity_id)]);
    const after = await client.pollCreditMemos(page.value.creditMemos[0]?.entity_id ?? '');
    expect(after.ok && after.value.creditMemos.map((m) => m.entity_id)).toEqual([String(own.entity_id)]);
    const search = await getText(`/V1/creditmemos?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=${String(publishedMemo.order_id)}`);
    expect(search).toContain(memoText);
  });
});
