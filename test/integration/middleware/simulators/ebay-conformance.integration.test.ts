/**
 * The eBay simulator's Notification API deliveries have the shape of eBay's published notification (eBay's SDK
 * test data, test/fixtures/conformance/ebay): the same keys with the same JSON types in the envelope, its
 * metadata and its notification.
 */
import { createEbayClient, mapOrder } from '../../../../middleware/connectors/ebay';
import { startEbaySimulator, type EbaySimulator } from '../../../../middleware/simulators/ebay';
import { parseJsonSafe } from '../../../../middleware/lib/safe-json';
import { loadConformance, shapeDifferences } from '../../../fixtures/conformance/load';
import { startWebhookReceiver } from './webhook-receiver';

type Obj = Record<string, unknown>;

describe('eBay simulator notifications have the shape of eBay published notification', () => {
  let sim: EbaySimulator;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    sim = await startEbaySimulator();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  it('envelope, metadata and notification carry the sample keys with the sample JSON types', async () => {
    const sample = loadConformance('ebay', 'notification', 'marketplace-account-deletion.json') as Obj;
    const data = (sample.notification as Obj).data as Obj;
    const sent = await sim.notifications.deliver(receiver.url, { topic: 'MARKETPLACE_ACCOUNT_DELETION', data });
    expect(sent.status).toBe(200);
    const [hook] = await receiver.waitFor(1);
    if (!hook) throw new Error('no notification');
    expect(hook.headers['x-ebay-signature']).toBeDefined();
    const body = parseJsonSafe(hook.rawBody, 64) as Obj;
    const levels = new Map<string, string[]>([
      ['', Object.keys(sample)],
      ['metadata', Object.keys(sample.metadata as Obj)],
      ['notification', Object.keys(sample.notification as Obj)],
    ]);
    expect(shapeDifferences([sample], body, levels)).toEqual([]);
    expect((body.metadata as Obj).topic).toBe((sample.metadata as Obj).topic);
    // eBay signs the compact serialisation: the simulator sends exactly that.
    expect(hook.rawBody).toBe(JSON.stringify(body));
  });

  it('getOrder answers map to orders whose total parts reproduce pricingSummary.total', async () => {
    const client = createEbayClient({ baseUrl: sim.url, accessToken: sim.accessToken, retries: 0 });
    for (const id of sim.state.orders.keys()) {
      const order = await client.getOrder(id);
      if (!order.ok) throw new Error(order.error.message);
      const mapped = mapOrder(order.value, 'seller');
      if (!mapped.ok) throw new Error(mapped.error.message);
      const t = mapped.value.totals;
      if (!t) throw new Error('no totals');
      expect(t.lineItems - t.lineDiscounts - t.orderDiscount + t.shipping + t.tax + t.duties).toBe(t.total);
      expect(mapped.value.lines.reduce((a, l) => a + l.amount, 0) + mapped.value.shipping.amount).toBe(t.total);
      expect(mapped.value.financialStatus).toBe(order.value.orderPaymentStatus);
    }
  });
});
