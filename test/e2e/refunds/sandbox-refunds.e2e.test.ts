// The sandbox, as a user runs it: sample orders of each billing kind on the simulated platforms match orders in the
// local NetSuite account; a refund made in NetSuite reaches Shopify, and a refund made on eBay reaches NetSuite,
// each watched through the partner API (real HTTP, real TBA-signed RESTlet calls, real PGlite).
import { startSandbox, type SandboxHandle } from '../../../middleware/cli/sandbox-command';
import { SHOPIFY_SIM_DEFAULTS } from '../../../middleware/simulators/shopify';

let sandbox: SandboxHandle;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, memory: true }, { logToStderr: false });
  const { partnerApi } = sandbox.ready;
  const res = await fetch(partnerApi.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: partnerApi.clientId, client_secret: partnerApi.clientSecret }).toString(),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The console's POSTs carry its token (from its page, or the ready line). */
const consoleHeaders = (): Record<string, string> => ({ 'x-ledgerbridge-console-token': sandbox.ready.refunds.consoleToken });
const lookup = async (id: string) => (await call('GET', `${sandbox.ready.middleware.url}/v1/lookup/${id}`, undefined, { authorization: `Bearer ${token}` })).json.items as Json[];

it('lists sample orders of each billing kind on every simulated platform', async () => {
  const { status, json } = await call('GET', `${sandbox.ready.refunds.consoleUrl}/orders`);
  expect(status).toBe(200);
  for (const platform of ['shopify', 'magento', 'ebay', 'amazon']) {
    expect(json.orders.filter((o: Json) => o.platform === platform).map((o: Json) => o.billing).sort()).toEqual(['cash_sale', 'deposit', 'invoice_open', 'invoice_paid']);
  }
});

it('a cash refund made in NetSuite is refunded on Shopify once, and the lookup links both ids', async () => {
  const order = sandbox.ready.refunds.sampleOrders.find((o) => o.platform === 'shopify' && o.billing === 'cash_sale');
  if (!order) throw new Error('no sample order');
  const made = await call('POST', `${sandbox.ready.refunds.consoleUrl}/orders/shopify/${order.orderId}/netsuite-refund`, {}, consoleHeaders());
  expect(made).toMatchObject({ status: 201, json: { recordType: 'cashrefund' } });
  const match = await until(async () => (await lookup(made.json.id)).find((m) => m.state === 'posted'), 'NetSuite refund posted to Shopify');
  expect(match).toMatchObject({ kind: 'refund', direction: 'outbound', netsuite: { recordType: 'cashrefund', internalId: made.json.id, total: '99.00' } });
  const shopify = sandbox.ready.refunds.simulators.shopify?.url as string;
  const res = await fetch(`${shopify}/admin/api/2025-07/orders/${order.orderId}/refunds.json`, { headers: { 'x-shopify-access-token': SHOPIFY_SIM_DEFAULTS.accessToken } });
  // Shopify ids exceed 2^53: read them from the raw text, not through JSON.parse.
  const text = await res.text();
  expect(text.match(/"refund_line_items"/g)).toHaveLength(1);
  expect(text).toContain(`"id":${match.platformId},"order_id":${order.orderId}`);
});

it('a refund made on eBay reaches NetSuite as a credit memo (open invoice)', async () => {
  const order = sandbox.ready.refunds.sampleOrders.find((o) => o.platform === 'ebay' && o.billing === 'invoice_open');
  if (!order) throw new Error('no sample order');
  const made = await call('POST', `${sandbox.ready.refunds.consoleUrl}/orders/ebay/${order.orderId}/refund`, { amount: '49.50' }, consoleHeaders());
  expect(made.status).toBe(201);
  const refundId = String(made.json.refund.refundId);
  const match = await until(async () => (await lookup(refundId)).find((m) => m.state === 'posted'), 'eBay refund posted to NetSuite');
  expect(match).toMatchObject({ kind: 'refund', direction: 'inbound', orderId: order.orderId, netsuite: { recordType: 'creditmemo', total: '49.50' } });
});
