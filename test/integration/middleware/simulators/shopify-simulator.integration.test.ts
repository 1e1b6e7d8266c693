import { createHmac, timingSafeEqual } from 'node:crypto';
import { money } from '../../../../core/money';
import { buildRefundPosting, storefrontRefundKey } from '../../../../core/refunds';
import { createShopifyClient, mapOrder, mapRefund, parseWebhook } from '../../../../middleware/connectors/shopify';
import { type ShopifySimulator, startShopifySimulator } from '../../../../middleware/simulators/shopify';
import { startWebhookReceiver } from './webhook-receiver';

const SETTINGS = { adjustmentItem: 'LB-REFUND-ADJ', shippingItem: 'LB-SHIPPING' };

describe('Shopify simulator over real HTTP with the Shopify connector', () => {
  let sim: ShopifySimulator;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let client: ReturnType<typeof createShopifyClient>;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    sim = await startShopifySimulator({ webhookUrl: receiver.url, webhookSecret: 'test_secret_key' });
    client = createShopifyClient({ baseUrl: sim.url, accessToken: sim.accessToken, retries: 0 });
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  const orderIds = () => [...sim.state.orders.keys()];

  it('serves sample orders with 64-bit ids that survive the trip exactly', async () => {
    const [id] = orderIds();
    expect(BigInt(id as string) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const order = await client.getOrder(id as string);
    expect(order.ok).toBe(true);
    if (!order.ok) return;
    expect(order.value.id).toBe(id);
    const mapped = mapOrder(order.value, sim.shopDomain);
    expect(mapped.ok && mapped.value.lines.map((l) => [l.sku, l.quantity, l.amount, l.tax])).toEqual([
      ['IPOD2008GREEN', 1, 21094, 1194],
      ['IPOD2008RED', 2, 42188, 2388],
    ]);
    expect(mapped.ok && mapped.value.total).toBe(21094 + 42188 + 500);
  });

  it('a refund made in Shopify arrives as a signed refunds/create webhook that maps and posts to the cent', async () => {
    const [id] = orderIds();
    await sim.issueRefund(id as string, { lines: [{ sku: 'IPOD2008RED', quantity: 1 }], note: 'wrong colour' });
    const [hook] = await receiver.waitFor(1);
    if (!hook) throw new Error('no webhook');

    // The signature verifies with the channel secret, computed independently here.
    const expected = createHmac('sha256', 'test_secret_key').update(hook.rawBody, 'utf8').digest();
    const given = Buffer.from(String(hook.headers['x-shopify-hmac-sha256']), 'base64');
    expect(given.length).toBe(expected.length);
    expect(timingSafeEqual(given, expected)).toBe(true);
    expect(hook.headers['x-shopify-topic']).toBe('refunds/create');
    expect(hook.headers['x-shopify-shop-domain']).toBe(sim.shopDomain);

    const parsed = parseWebhook(hook.rawBody, hook.headers);
    if (!parsed.ok || parsed.value.topic !== 'refunds/create') throw new Error('not a refund webhook');
    expect(BigInt(parsed.value.refund.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const refund = mapRefund(parsed.value.refund, { account: parsed.value.delivery.shopDomain });
    expect(refund.ok).toBe(true);
    if (!refund.ok) return;
    expect(refund.value.lines).toEqual([{ sku: 'IPOD2008RED', lineId: expect.any(String), quantity: 1, amount: 21094, tax: 1194, restock: true }]);
    const posting = buildRefundPosting(refund.value, SETTINGS);
    expect(posting.ok && [posting.value.total, posting.value.difference]).toEqual([21094, 0]);
  });

  it('a refund for less than calculated: the NetSuite total is the money refunded, the gap is an explained line', async () => {
    const [id] = orderIds();
    await sim.issueRefund(id as string, { lines: [{ sku: 'IPOD2008GREEN', quantity: 1 }], amount: '200.00' });
    const [hook] = await receiver.waitFor(1);
    const parsed = parseWebhook(hook?.rawBody ?? '', hook?.headers ?? {});
    if (!parsed.ok || parsed.value.topic !== 'refunds/create') throw new Error('not a refund webhook');
    const refund = mapRefund(parsed.value.refund, { account: sim.shopDomain });
    if (!refund.ok) throw new Error(refund.error.message);
    expect(refund.value.note).toBe('Refund discrepancy');
    const posting = buildRefundPosting(refund.value, SETTINGS);
    expect(posting.ok && posting.value.total).toBe(20000);
    expect(posting.ok && posting.value.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['item', 21094],
      ['adjustment', -1094],
    ]);
  });

  it('tax-inclusive EUR and zero-decimal JPY refunds map to the money that moved', async () => {
    const [, eurId, jpyId] = orderIds();
    await sim.issueRefund(eurId as string, { lines: [{ sku: 'MUG-BLUE', quantity: 1 }], shipping: 'full' });
    await sim.issueRefund(jpyId as string, { lines: [{ sku: 'MATCHA-30G', quantity: 1 }] });
    const hooks = await receiver.waitFor(2);
    const [eur, jpy] = hooks.map((h) => {
      const p = parseWebhook(h.rawBody, h.headers);
      if (!p.ok || p.value.topic !== 'refunds/create') throw new Error('not a refund webhook');
      const r = mapRefund(p.value.refund, { account: sim.shopDomain, taxesIncluded: true });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    });
    expect(eur?.currency).toBe('EUR');
    expect(eur?.lines[0]).toMatchObject({ sku: 'MUG-BLUE', amount: 2499, tax: 399 });
    expect(eur?.shipping).toEqual({ amount: 490, tax: 0 });
    expect(eur && buildRefundPosting(eur, SETTINGS)).toMatchObject({ ok: true, value: { total: 2989, difference: 0 } });
    expect(jpy?.currency).toBe('JPY');
    expect(jpy && buildRefundPosting(jpy, SETTINGS)).toMatchObject({ ok: true, value: { total: 1800, difference: 0 } });
  });

  it('a pending refund transaction is not posted until it settles', async () => {
    const [id] = orderIds();
    const { refund } = await sim.issueRefund(id as string, { lines: [{ sku: 'IPOD2008RED', quantity: 1 }], transactionStatus: 'pending' });
    const fetched = await client.getRefund(id as string, String(refund.id));
    if (!fetched.ok) throw new Error(fetched.error.message);
    const mapped = mapRefund(fetched.value, { account: sim.shopDomain });
    const posting = mapped.ok ? buildRefundPosting(mapped.value, SETTINGS) : undefined;
    expect(posting?.ok === false && posting.error.code).toBe('refund_not_settled');
  });

  it('NetSuite -> Shopify: calculate, then create with refund transactions, exactly once', async () => {
    const [id] = orderIds();
    const order = await client.getOrder(id as string);
    if (!order.ok) throw new Error(order.error.message);
    const green = order.value.line_items.find((l) => l.sku === 'IPOD2008GREEN');
    const request = {
      lines: [{ lineItemId: green?.id as string, quantity: 1, restockType: 'return' as const }],
      shipping: money(500, 'USD'),
      amount: money(21594, 'USD'),
      note: 'NetSuite cash refund CR-1001',
      idempotencyKey: storefrontRefundKey('shopify', sim.shopDomain, 'cashrefund', '4711'),
    };
    const first = await client.refundFromNetSuite(id as string, request);
    expect(first.ok && first.value.created).toBe(true);
    const calls = sim.state.requests.filter((r) => r.method === 'POST').map((r) => r.path.replace(/\d+/g, ':id'));
    expect(calls).toEqual(['/admin/api/:id-:id/orders/:id/refunds/calculate.json', '/admin/api/:id-:id/orders/:id/refunds.json']);
    if (!first.ok) return;
    const mapped = mapRefund(first.value.refund, { account: sim.shopDomain });
    expect(mapped.ok && mapped.value.transactions).toEqual([{ id: expect.any(String), amount: 21594, status: 'success', gateway: 'shopify_payments' }]);
    expect(mapped.ok && mapped.value.shipping).toEqual({ amount: 500, tax: 0 });

    // A retry (say after a timeout) finds the refund it already made instead of refunding again.
    const retry = await client.refundFromNetSuite(id as string, request);
    expect(retry.ok && retry.value).toEqual({ refund: first.value.refund, created: false });
    expect(sim.state.refunds.get(id as string)).toHaveLength(1);
    expect(sim.state.orders.get(id as string)?.refunded).toBe(21594);
  });

  it('refuses to refund more than the order can refund, without creating anything', async () => {
    const [id] = orderIds();
    const order = await client.getOrder(id as string);
    if (!order.ok) throw new Error(order.error.message);
    const r = await client.refundFromNetSuite(id as string, {
      lines: [],
      amount: money(10_000_000, 'USD'),
      idempotencyKey: 'k1',
    });
    expect(!r.ok && r.error.code).toBe('provider_rejected');
    expect(sim.state.refunds.get(id as string)).toHaveLength(0);
  });

  it('answers Shopify-style errors: 401 without the token, 404 for unknown orders, 422 for bad refunds', async () => {
    const [id] = orderIds();
    const bad = createShopifyClient({ baseUrl: sim.url, accessToken: 'wrong', retries: 0 });
    const unauthorized = await bad.getOrder(id as string);
    expect(!unauthorized.ok && [unauthorized.error.code, unauthorized.error.status]).toEqual(['unauthorized', 401]);
    const missing = await client.getOrder('1');
    expect(!missing.ok && missing.error.code).toBe('not_found');
    const suggested = await client.createRefund(id as string, { refund: { transactions: [{ parent_id: 1, amount: '1.00', kind: 'suggested_refund', gateway: 'x' }] } });
    expect(!suggested.ok && [suggested.error.code, suggested.error.status]).toEqual(['provider_rejected', 422]);
    expect(!suggested.ok && JSON.stringify(suggested.error.providerBody)).toMatch(/kind must be refund/);
  });

  it('redelivers a webhook with the same event id (what a retry or a late duplicate looks like)', async () => {
    const [id] = orderIds();
    const { delivery } = await sim.issueRefund(id as string, { lines: [{ sku: 'IPOD2008RED', quantity: 1 }] });
    await sim.redeliver(delivery);
    const hooks = await receiver.waitFor(2);
    expect(hooks[1]?.rawBody).toBe(hooks[0]?.rawBody);
    expect(hooks[1]?.headers['x-shopify-event-id']).toBe(hooks[0]?.headers['x-shopify-event-id']);
  });
});
