// The sandbox's refund console over real HTTP on loopback: a cross-site form-style POST (text/plain, another Origin,
// Sec-Fetch-Site cross-site) makes no refund, a request under another Host name is refused even with the token, and
// the page's own flow (token from the page, JSON, same origin) works.
import * as http from 'node:http';
import { startSandbox, type SandboxHandle } from '../../../middleware/cli/sandbox-command';

let sandbox: SandboxHandle;
let port: number;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, memory: true }, { logToStderr: false });
  port = Number(new URL(sandbox.ready.refunds.consoleUrl).port);
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** A raw request to the console (node:http lets the test set Host, Origin and Sec-Fetch-Site as a browser would). */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as ReturnType<Answer['json']> });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function ebayOrder(billing: string): string {
  const order = sandbox.ready.refunds.sampleOrders.find((o) => o.platform === 'ebay' && o.billing === billing);
  if (!order) throw new Error(`no eBay ${billing} sample order`);
  return order.orderId;
}

async function pageToken(host = `127.0.0.1:${port}`): Promise<string> {
  const page = await send('GET', '/', { host });
  expect(page.status).toBe(200);
  const m = /<meta name="ledgerbridge-console-token" content="([A-Za-z0-9_-]+)">/.exec(page.text);
  if (!m?.[1]) throw new Error('the console page carries no token');
  return m[1];
}

const own = () => `http://127.0.0.1:${port}`;
const refundBody = JSON.stringify({ amount: '49.50' });

it('the page carries a token of this start and sends it on its POSTs', async () => {
  const token = await pageToken();
  expect(token.length).toBeGreaterThanOrEqual(32);
  const page = await send('GET', '/', { host: `127.0.0.1:${port}` });
  expect(page.text).toContain("'x-ledgerbridge-console-token': TOKEN");
  // The script's CSP hash stays valid: the token is outside the script.
  expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-/);
});

it('refuses a cross-site text/plain POST and makes no refund; the page flow then refunds the order in full', async () => {
  const orderId = ebayOrder('invoice_open');
  const path = `/orders/ebay/${orderId}/refund`;
  const token = await pageToken();

  // What a form on another site can send: text/plain, no custom header, the browser's Origin and Sec-Fetch-Site.
  const crossSite = await send('POST', path, { host: `127.0.0.1:${port}`, 'content-type': 'text/plain', origin: 'https://shop.attacker.example', 'sec-fetch-site': 'cross-site' }, refundBody);
  expect(crossSite.status).toBe(403);
  expect(crossSite.json().error?.code).toBe('cross_site_request');
  // The same without the browser's headers (an older browser): still refused, for the body type.
  const plain = await send('POST', path, { host: `127.0.0.1:${port}`, 'content-type': 'text/plain' }, refundBody);
  expect(plain.status).toBe(415);
  expect(plain.json().error?.code).toBe('unsupported_media_type');
  // Another Origin with everything else right (a token leaked to another page is still bound to this origin).
  const otherOrigin = await send('POST', path, { host: `127.0.0.1:${port}`, 'content-type': 'application/json', origin: 'http://127.0.0.1:1', 'x-ledgerbridge-console-token': token }, refundBody);
  expect(otherOrigin.status).toBe(403);
  expect(otherOrigin.json().error?.code).toBe('cross_origin_request');
  // JSON without the token, and with a wrong one.
  const noToken = await send('POST', path, { host: `127.0.0.1:${port}`, 'content-type': 'application/json' }, refundBody);
  expect(noToken.status).toBe(403);
  expect(noToken.json().error?.code).toBe('console_token_missing');
  const wrong = await send('POST', path, { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-ledgerbridge-console-token': `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` }, refundBody);
  expect(wrong.status).toBe(403);
  expect(wrong.json().error?.code).toBe('console_token_invalid');

  // The page's own requests: the order (2 × 49.50) takes exactly two refunds of 49.50, so none of the refused
  // requests made one; a third is over the order's total.
  const pageHeaders = { host: `127.0.0.1:${port}`, 'content-type': 'application/json', origin: own(), 'sec-fetch-site': 'same-origin', 'x-ledgerbridge-console-token': token };
  const first = await send('POST', path, pageHeaders, refundBody);
  expect(first.status).toBe(201);
  const second = await send('POST', path, pageHeaders, refundBody);
  expect(second.status).toBe(201);
  const third = await send('POST', path, pageHeaders, refundBody);
  expect(third.status).toBe(422);
  expect(third.json().error?.code).toBe('refund_refused');
});

it('refuses another Host name (DNS rebinding) on every route, token or not; answers at localhost and [::1] names', async () => {
  const token = await pageToken();
  for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1:${port + 1 === 65536 ? 1 : port + 1}`, `localhost.attacker.example:${port}`]) {
    const page = await send('GET', '/', { host });
    expect(page.status).toBe(421);
    expect(page.json().error?.code).toBe('misdirected_request');
    expect(page.text).not.toContain(token);
    const orders = await send('GET', '/orders', { host });
    expect(orders.status).toBe(421);
    const post = await send('POST', `/orders/ebay/${ebayOrder('cash_sale')}/refund`, { host, 'content-type': 'application/json', 'x-ledgerbridge-console-token': token }, refundBody);
    expect(post.status).toBe(421);
  }
  for (const host of [`localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
    expect((await send('GET', '/orders', { host })).status).toBe(200);
  }
});

it('a NetSuite refund from the page flow is made; the same without the token is not', async () => {
  const order = sandbox.ready.refunds.sampleOrders.find((o) => o.platform === 'shopify' && o.billing === 'cash_sale');
  if (!order) throw new Error('no Shopify cash-sale sample order');
  const path = `/orders/shopify/${order.orderId}/netsuite-refund`;
  const refused = await send('POST', path, { host: `localhost:${port}`, 'content-type': 'application/json', origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin' }, '{}');
  expect(refused.status).toBe(403);
  const made = await send('POST', path, { host: `localhost:${port}`, 'content-type': 'application/json; charset=utf-8', origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin', 'x-ledgerbridge-console-token': await pageToken(`localhost:${port}`) }, '{}');
  expect(made.status).toBe(201);
  expect(made.json()).toMatchObject({ recordType: 'cashrefund' });
});
