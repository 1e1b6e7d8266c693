/**
 * The Magento simulator speaks what Magento's REST schema names: every field the connector's order and credit
 * memo readers know is present in the simulator's answers (Magento publishes no example payloads to compare
 * against; see test/fixtures/conformance/magento/README.md), and its orders' total parts reproduce grand_total.
 */
import { createMagentoClient, magentoCreditMemo, magentoOrder, mapOrder } from '../../../../middleware/connectors/magento';
import { startMagentoSimulator, type MagentoSimulator } from '../../../../middleware/simulators/magento';
import { parseJsonSafe } from '../../../../middleware/lib/safe-json';
import { schemaLevels } from '../../../fixtures/conformance/load';

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
