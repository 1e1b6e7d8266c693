/**
 * The middleware's edges over real HTTP on 127.0.0.1, on a real store (PGlite):
 *   - a signature header sent twice is refused with 401 webhook_repeated_header for every scheme (Shopify, Loop,
 *     Standard Webhooks, bearer, eBay); several signatures in ONE Standard Webhooks header are accepted;
 *   - NUL and other control characters never reach the store: webhook paths, /v1 ids and query values, JSON
 *     bodies, signed webhook bodies → 400 with a code, never a 500;
 *   - a body declared over the limit (Content-Length) is answered 413 at once, without sending the body;
 *   - /readyz with a failing store says "database unavailable", the store's error text only in the log.
 */
import { createHmac, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { seedChannel, startTestMiddleware, type LogCapture } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';

const SHARED = randomBytes(24).toString('hex');
const SW_KEY = randomBytes(24);
const SW_SECRET = `whsec_${SW_KEY.toString('base64')}`;
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KID = randomUUID();

let mw: RunningMiddleware;
let logs: LogCapture;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ mw, logs } = await startTestMiddleware({ logLevel: 'info', workers: false }));
  const t = 't-edges';
  ids.shopify = await seedChannel(mw, t, { kind: 'shopify', name: 'S', settings: { shopDomain: 'e.myshopify.com' }, secrets: { webhookSecret: SHARED } });
  ids.loop = await seedChannel(mw, t, { kind: 'loop', name: 'L', secrets: { webhookSecret: SHARED } });
  ids.bearer = await seedChannel(mw, t, { kind: 'payments', name: 'P', secrets: { webhookSecret: SHARED } });
  ids.sw = await seedChannel(mw, t, { kind: 'magento', name: 'M', settings: { baseUrl: 'https://m.example' }, secrets: { webhookSecret: SW_SECRET } });
  const publicPem = ec.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  ids.ebay = await seedChannel(mw, t, { kind: 'ebay', name: 'E', secrets: { publicKeys: { [KID]: { key: publicPem, algorithm: 'ECDSA', digest: 'SHA1' } } } });
  const client = await mw.partners.createClient(t, ['channels:read', 'channels:write', 'connections:read', 'connections:write', 'sync:read', 'sync:write']);
  const res = await fetch(`${mw.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);

afterAll(async () => {
  await mw?.close();
});

interface Answer {
  status: number;
  text: string;
  json: { error?: { code?: string; message?: string } | string; error_description?: string; [k: string]: unknown };
}

/** Raw request: repeated headers (array values), any path as given, any method. */
function send(method: string, path: string, headers: Record<string, string | string[]>, body?: Buffer | string): Promise<Answer> {
  const url = new URL(mw.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Answer['json'] = {};
        try {
          json = JSON.parse(text) as Answer['json'];
        } catch {
          json = {};
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (a: Answer) => (typeof a.json.error === 'string' ? a.json.error : a.json.error?.code);
const hmac = (key: string | Buffer, ...parts: (string | Buffer)[]) => {
  const mac = createHmac('sha256', key);
  for (const p of parts) mac.update(p);
  return mac.digest('base64');
};

describe('a signature header sent twice is refused for every scheme', () => {
  const body = (n: string) => Buffer.from(JSON.stringify({ id: `evt-${n}`, topic: 'refund.created', trigger: 'return.closed', notification: { notificationId: `n-${n}` } }));
  const ts = () => String(Math.floor(Date.now() / 1000));
  const ebayHeader = (b: Buffer) =>
    Buffer.from(JSON.stringify({ alg: 'ecdsa', kid: KID, signature: createSign('sha1').update(b).sign({ key: ec.privateKey, dsaEncoding: 'der' }).toString('base64'), digest: 'SHA1' })).toString('base64');

  const schemes: Array<{ name: string; channel: string; headers: (b: Buffer, n: string) => Record<string, string>; header: string }> = [
    { name: 'Shopify', channel: 'shopify', header: 'x-shopify-hmac-sha256', headers: (b, n) => ({ 'x-shopify-hmac-sha256': hmac(SHARED, b), 'x-shopify-event-id': n, 'x-shopify-topic': 'refunds/create' }) },
    { name: 'Loop', channel: 'loop', header: 'x-loop-signature', headers: (b) => ({ 'x-loop-signature': hmac(SHARED, b) }) },
    { name: 'bearer', channel: 'bearer', header: 'authorization', headers: () => ({ authorization: `Bearer ${SHARED}` }) },
    {
      name: 'Standard Webhooks',
      channel: 'sw',
      header: 'webhook-signature',
      headers: (b, n) => {
        const t = ts();
        return { 'webhook-id': `msg_${n}`, 'webhook-timestamp': t, 'webhook-signature': `v1,${hmac(SW_KEY, `msg_${n}`, '.', t, '.', b)}` };
      },
    },
    { name: 'eBay', channel: 'ebay', header: 'x-ebay-signature', headers: (b) => ({ 'x-ebay-signature': ebayHeader(b) }) },
  ];

  it.each(schemes)('$name: once → 202; twice (one copy valid) → 401 webhook_repeated_header, nothing stored', async ({ channel, headers, header }) => {
    const path = `/webhooks/${channel === 'sw' ? 'magento' : channel === 'bearer' ? 'payments' : channel}/${ids[channel]}`;
    const ok = body(`${channel}-once`);
    const accepted = await send('POST', path, { 'content-type': 'application/json', ...headers(ok, `${channel}-once`) }, ok);
    expect(accepted.status).toBe(202);

    const b = body(`${channel}-twice`);
    const signed = headers(b, `${channel}-twice`);
    const value = signed[header] as string;
    for (const copies of [[value, value], ['x', value], [value, 'x']]) {
      const refused = await send('POST', path, { 'content-type': 'application/json', ...signed, [header]: copies }, b);
      expect(refused.status).toBe(401);
      expect(refused.json).toEqual({ error: { code: 'webhook_repeated_header', message: expect.stringContaining(header) } });
    }
    const { rows } = await mw.db.query<{ n: number }>('select count(*)::int as n from lb_webhook_events where channel_id = $1', [ids[channel]]);
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('Standard Webhooks: several space-separated signatures in ONE header are accepted', async () => {
    const b = body('sw-rotated');
    const t = ts();
    const old = `v1,${hmac(randomBytes(24), 'msg_rot', '.', t, '.', b)}`;
    const current = `v1,${hmac(SW_KEY, 'msg_rot', '.', t, '.', b)}`;
    const res = await send('POST', `/webhooks/magento/${ids.sw}`, { 'content-type': 'application/json', 'webhook-id': 'msg_rot', 'webhook-timestamp': t, 'webhook-signature': `${old} ${current}` }, b);
    expect(res.status).toBe(202);
  });
});

describe('NUL and control characters never reach the store', () => {
  const auth = () => ({ authorization: `Bearer ${token}` });

  it('webhook paths: every kind with %00, control characters, bad percent-encoding or overlong ids → 400 invalid_request', async () => {
    for (const kind of ['shopify', 'magento', 'amazon', 'ebay', 'loop', 'payments']) {
      for (const id of ['%00', 'a%00b', '%01', '%7F', '%C2%85', '%E0%A4%A', '%', '%FF', 'x'.repeat(201), '%20']) {
        const res = await send('POST', `/webhooks/${kind}/${id}`, { 'content-type': 'application/json' }, '{}');
        expect([res.status, codeOf(res), `${kind}/${id.slice(0, 10)}`]).toEqual([400, 'invalid_request', `${kind}/${id.slice(0, 10)}`]);
      }
    }
  });

  it('/v1 ids and query values with NUL or control characters → 400 invalid_request', async () => {
    const cases: Array<[string, string]> = [
      ['GET', '/v1/channels/%00'],
      ['GET', `/v1/channels/${ids.shopify}%00`],
      ['PATCH', '/v1/channels/a%00b'],
      ['GET', '/v1/connections/%00'],
      ['GET', '/v1/sync-records/%00'],
      ['POST', '/v1/sync-records/%00/retry'],
      ['GET', '/v1/sync-records?channelId=%00'],
      ['GET', '/v1/sync-records?topic=a%00b'],
      ['GET', '/v1/sync-records?topic=a%1Bb'],
      ['GET', '/v1/sync-records?cursor=%00'],
      ['GET', '/v1/sync-records?a%00=1'],
      ['GET', '/v1/lookup/%00'],
      ['GET', `/v1/channels/${ids.shopify}/orders/%00/why-not`],
      ['GET', `/v1/channels/${ids.shopify}/orders/1/why-not?refundId=%00`],
      ['GET', '/v1/channels/%E0%A4%A'],
    ];
    for (const [method, path] of cases) {
      const res = await send(method, path, { 'content-type': 'application/json', ...auth() }, method === 'GET' ? undefined : '{}');
      expect([path, res.status, codeOf(res)]).toEqual([path, 400, 'invalid_request']);
    }
  });

  it('JSON bodies with NUL or control characters in any string or key → 400 invalid_request', async () => {
    const bodies = [
      { kind: 'loop', name: 'a\u0000b' },
      { kind: 'loop', name: 'bell\u0007' },
      { kind: 'loop', name: 'ok', settings: { shopDomain: 'x\u0000' } },
      { kind: 'loop', name: 'ok', settings: { 'k\u0000': 'v' } },
      { kind: 'loop', name: 'ok', secrets: { webhookSecret: `${'s'.repeat(20)}\u0000` } },
    ];
    for (const b of bodies) {
      const res = await send('POST', '/v1/channels', { 'content-type': 'application/json', ...auth() }, JSON.stringify(b));
      expect([res.status, codeOf(res)]).toEqual([400, 'invalid_request']);
    }
    const patch = await send('PATCH', `/v1/channels/${ids.loop}`, { 'content-type': 'application/json', ...auth() }, JSON.stringify({ name: 'a\u0000b' }));
    expect([patch.status, codeOf(patch)]).toEqual([400, 'invalid_request']);
    // Tab, line feed and carriage return are ordinary text.
    const fine = await send('POST', '/v1/channels', { 'content-type': 'application/json', ...auth() }, JSON.stringify({ kind: 'loop', name: 'two\tcolumns\r\nline' }));
    expect(fine.status).toBe(201);
  });

  it('a signed webhook whose body holds \\u0000 → 400 invalid_body; an event id with a control character → 400', async () => {
    const b = Buffer.from('{"id":"evt-nul","note":"a\\u0000b"}');
    const res = await send('POST', `/webhooks/payments/${ids.bearer}`, { 'content-type': 'application/json', authorization: `Bearer ${SHARED}` }, b);
    expect([res.status, codeOf(res)]).toEqual([400, 'invalid_body']);
    const badId = Buffer.from('{"id":"evt\\u0001x"}');
    const res2 = await send('POST', `/webhooks/payments/${ids.bearer}`, { 'content-type': 'application/json', authorization: `Bearer ${SHARED}` }, badId);
    expect([res2.status, codeOf(res2)]).toEqual([400, 'invalid_event_id']);
  });

  it('/oauth/token with client_id=a%00b → 400 in OAuth error format', async () => {
    const res = await send('POST', '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials&client_id=a%00b&client_secret=x');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    const query = await send('POST', '/oauth/token?x=%00', { 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
    expect(query.json).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  it('none of it was a 500: no unhandled error in the log', () => {
    expect(logs.lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });
});

describe('a body declared over the limit', () => {
  /** Sends only the head (and a few body bytes) of a request declaring `declared` bytes; resolves with the answer's head. */
  function declare(path: string, declared: number, headers: Record<string, string> = {}): Promise<{ ms: number; head: string; closed: boolean }> {
    const url = new URL(mw.url);
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = net.connect(Number(url.port), url.hostname);
      let data = '';
      let answered: number | undefined;
      socket.on('connect', () => {
        const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        socket.write(`POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n${extra}\r\n{"a":`);
      });
      socket.on('data', (chunk: Buffer) => {
        data += chunk.toString('latin1');
        answered ??= Date.now() - started;
      });
      socket.on('error', () => undefined);
      socket.on('close', () => (answered === undefined ? reject(new Error('closed without an answer')) : resolve({ ms: answered, head: data, closed: true })));
      setTimeout(() => {
        socket.destroy();
        if (answered === undefined) reject(new Error('no answer within 5 s'));
      }, 5_000).unref();
    });
  }

  it.each([
    ['a webhook', () => `/webhooks/shopify/${ids.shopify}`, 'payload_too_large'],
    ['the partner API', () => '/v1/channels', 'payload_too_large'],
    ['the token endpoint', () => '/oauth/token', 'invalid_request'],
  ])('%s: 413 at once from Content-Length, and the connection is closed', async (_name, path, code) => {
    const answer = await declare(path(), 52_428_800, { authorization: `Bearer ${token}` });
    expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.head).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.head).toContain(`"${code}"`);
    expect(answer.ms).toBeLessThan(2_000);
    expect(answer.closed).toBe(true);
  });
});

describe('requests the HTTP parser refuses', () => {
  /** Writes raw bytes on a fresh connection; resolves with everything the server sent before closing. */
  function raw(bytes: string): Promise<string> {
    const url = new URL(mw.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname);
      let data = '';
      socket.on('connect', () => socket.write(bytes, 'latin1'));
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(data));
      setTimeout(() => {
        socket.destroy();
        reject(new Error(`no close within 5 s; received: ${data.slice(0, 200)}`));
      }, 5_000).unref();
    });
  }
  const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };

  it.each([
    ['a header line without a colon', (host: string) => `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nNot a header\r\n\r\n`],
    ['a request line that is not HTTP', () => 'HELLO THERE\r\n\r\n'],
    ['a bad chunk size', (host: string) => `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
    ['a control character in a header value', (host: string) => `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-A: a\u0001b\r\n\r\n`],
  ])('%s: 400 malformed_request in the error format, connection closed', async (_name, request) => {
    const answer = await raw(request(new URL(mw.url).host));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(bodyOf(answer).error.code).toBe('malformed_request');
  });

  it('headers over the size limit: 431 headers_too_large', async () => {
    const answer = await raw(`GET /healthz HTTP/1.1\r\nHost: ${new URL(mw.url).host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(answer).error.code).toBe('headers_too_large');
  });

  it('the server still answers afterwards', async () => {
    expect((await fetch(`${mw.url}/healthz`)).status).toBe(200);
  });
});

describe('/readyz when the store fails', () => {
  it('says "database unavailable"; the store\'s error is only in the log', async () => {
    const { mw: other, logs: otherLogs } = await startTestMiddleware({ logLevel: 'info', workers: false });
    try {
      expect((await fetch(`${other.url}/readyz`)).status).toBe(200);
      await other.db.close();
      const res = await fetch(`${other.url}/readyz`);
      expect(res.status).toBe(503);
      const answer = (await res.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
      expect(answer.checks.database).toEqual({ ok: false, detail: 'database unavailable' });
      const warning = otherLogs.lines.find((l) => l.includes('readiness: the database did not answer'));
      expect(warning).toBeDefined();
      // What the store said is in the log, and nowhere in the answer.
      const logged = (JSON.parse(warning as string) as { err: { message: string } }).err.message;
      expect(logged.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer)).not.toContain(logged);
    } finally {
      await other.close().catch(() => undefined);
    }
  }, 60_000);
});
