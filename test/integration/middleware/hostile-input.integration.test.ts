/**
 * 1,000 malformed or hostile requests at the intake and the partner API: wrong types, huge, deeply nested, bad
 * UTF-8, missing or repeated headers, bad JSON, odd methods and paths. Every answer is a 4xx with a code; no 5xx;
 * the process keeps serving.
 */
import { createHmac, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { seedChannel, startTestMiddleware } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';

const SECRET = randomBytes(24).toString('hex');
const PAY_SECRET = randomBytes(24).toString('hex');
let mw: RunningMiddleware;
let shopify: string;
let payments: string;

beforeAll(async () => {
  ({ mw } = await startTestMiddleware({ logLevel: 'error', workers: false }));
  shopify = await seedChannel(mw, 't-hostile', { kind: 'shopify', name: 'S', settings: { shopDomain: 'h.myshopify.com' }, secrets: { webhookSecret: SECRET } });
  payments = await seedChannel(mw, 't-hostile', { kind: 'payments', name: 'P', secrets: { webhookSecret: PAY_SECRET } });
}, 30_000);

afterAll(async () => {
  await mw?.close();
});

/** Raw request so we can send what fetch refuses to (bad framing, repeated headers, any method). */
function send(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: Buffer): Promise<{ status: number; text: string }> {
  const url = new URL(mw.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const sign = (body: Buffer): string => createHmac('sha256', SECRET).update(body).digest('base64');

function rnd(n: number): number {
  return Math.floor(Math.random() * n);
}

function hostileBody(i: number): Buffer {
  switch (i % 12) {
    case 0:
      return Buffer.from('['.repeat(5000 + rnd(50_000)) + ']'.repeat(10));
    case 1:
      return Buffer.from('{"a":' + '{"b":'.repeat(200) + '1' + '}'.repeat(201));
    case 2:
      return Buffer.concat([Buffer.from('{"x":"'), randomBytes(50 + rnd(500)), Buffer.from('"}')]);
    case 3:
      return Buffer.from(JSON.stringify([1, 'two', null, { three: 3 }]));
    case 4:
      return Buffer.from(String(rnd(1e9)));
    case 5:
      return Buffer.from('"just a string"');
    case 6:
      return Buffer.from('{"id":1,"id":2,"__proto__":{"admin":true},' + '"k":'.repeat(3) + '}');
    case 7:
      return Buffer.from([0xef, 0xbb, 0xbf, 0xc0, 0x80, 0x7b, 0x7d]);
    case 8:
      return Buffer.alloc(0);
    case 9:
      return Buffer.from('{"a":"' + '\\u'.repeat(100) + '"}');
    case 10:
      return Buffer.from('null');
    default:
      return randomBytes(1 + rnd(2000));
  }
}

it('answers 1,000 hostile requests with 4xx and a code, never 5xx, and keeps serving', async () => {
  const statuses = new Map<number, number>();
  const codes = new Set<string>();
  const problems: string[] = [];
  const cases: Array<() => Promise<{ status: number; text: string }>> = [];
  for (let i = 0; i < 1000; i++) {
    const body = hostileBody(i);
    switch (i % 10) {
      case 0: // correctly signed hostile body: passes verification, must fail validation
      case 1:
        cases.push(() => send('POST', `/webhooks/shopify/${shopify}`, { 'x-shopify-hmac-sha256': sign(body), 'x-shopify-event-id': `e${i}`, 'x-shopify-topic': 'refunds/create', 'content-type': 'application/json' }, body));
        break;
      case 2: // missing headers
        cases.push(() => send('POST', `/webhooks/shopify/${shopify}`, { 'content-type': 'application/json' }, body));
        break;
      case 3: // repeated signature header
        cases.push(() => send('POST', `/webhooks/shopify/${shopify}`, { 'x-shopify-hmac-sha256': [sign(body), sign(body)], 'x-shopify-event-id': `e${i}` }, body));
        break;
      case 4: // signature of the wrong type or garbage
        cases.push(() => send('POST', `/webhooks/shopify/${shopify}`, { 'x-shopify-hmac-sha256': i % 20 < 10 ? '!!!' : randomBytes(32).toString('base64'), 'x-shopify-event-id': 'x' }, body));
        break;
      case 5: // payments: valid bearer, hostile body
        cases.push(() => send('POST', `/webhooks/payments/${payments}`, { authorization: `Bearer ${PAY_SECRET}`, 'content-type': 'application/json' }, body));
        break;
      case 6: // partner API: hostile JSON with and without token
        cases.push(() => send('POST', '/v1/connections', { 'content-type': 'application/json', authorization: i % 20 < 10 ? 'Bearer x.y.z' : 'Basic Zm9vOmJhcg==' }, body));
        break;
      case 7: // token endpoint with hostile form/JSON
        cases.push(() => send('POST', '/oauth/token', { 'content-type': i % 20 < 10 ? 'application/json' : 'application/x-www-form-urlencoded' }, body));
        break;
      case 8: // odd paths and methods
        cases.push(() => send(['GET', 'PUT', 'DELETE', 'PATCH'][rnd(4)] as string, [`/webhooks/shopify/${shopify}`, '/webhooks/%E0%A4%A', '/v1/sync-records/%ZZ', `/webhooks/${'a'.repeat(300)}/x`][rnd(4)] as string, {}, body));
        break;
      default: // unknown channel kinds and ids, bad content-encoding
        cases.push(() =>
          i % 20 < 10
            ? send('POST', `/webhooks/shopify/${'9'.repeat(i % 3 === 0 ? 500 : 36)}`, { 'x-shopify-hmac-sha256': sign(body) }, body)
            : send('POST', `/webhooks/shopify/${shopify}`, { 'content-encoding': 'gzip', 'x-shopify-hmac-sha256': sign(body) }, body),
        );
    }
  }
  // A few oversized bodies (over the 1 MiB webhook limit and the partner JSON limit).
  const huge = Buffer.alloc(1024 * 1024 + 1, 0x61);
  cases.push(() => send('POST', `/webhooks/shopify/${shopify}`, { 'x-shopify-hmac-sha256': sign(huge) }, huge));
  cases.push(() => send('POST', '/v1/channels', { 'content-type': 'application/json', authorization: 'Bearer a.b.c' }, huge));

  // 8 at a time keeps the test quick without starving the two cores.
  for (let i = 0; i < cases.length; i += 8) {
    const batch = await Promise.all(cases.slice(i, i + 8).map((c) => c()));
    for (const [j, res] of batch.entries()) {
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      let code: unknown;
      try {
        const parsed = JSON.parse(res.text) as { error?: { code?: unknown } | string };
        code = typeof parsed.error === 'string' ? parsed.error : parsed.error?.code;
      } catch {
        code = undefined;
      }
      if (res.status < 400 || res.status >= 500 || typeof code !== 'string') problems.push(`case ${i + j}: ${res.status} ${res.text.slice(0, 120)}`);
      else codes.add(code);
    }
  }
  expect(problems).toEqual([]);
  expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  // The codes say what was wrong.
  expect([...codes]).toEqual(
    expect.arrayContaining(['invalid_utf8', 'json_too_deep', 'invalid_body', 'invalid_json', 'webhook_missing_signature', 'webhook_bad_signature', 'payload_too_large', 'channel_not_found']),
  );
  // Still serving, and nothing hostile was stored.
  expect((await fetch(`${mw.url}/healthz`)).status).toBe(200);
  const stored = await mw.db.query<{ n: number }>('select count(*)::int as n from lb_webhook_events');
  expect(stored.rows[0]?.n).toBe(0);
}, 60_000);
