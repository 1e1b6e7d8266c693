/**
 * Seeded fuzzing of the running middleware (real HTTP on 127.0.0.1, PGlite store): 2,000 requests over paths,
 * headers and bodies, at every webhook kind and every /v1 route (read from the app's own OpenAPI document) and the
 * token endpoint. Every answer is below 500, every refusal carries a machine-readable code
 * (`{error: {code, message}}`, or OAuth's `{error, error_description}` on /oauth/token), nothing is logged as an
 * unhandled error, and afterwards the process is healthy and still accepts a genuine delivery.
 *
 * The generator is a seeded PRNG: a failure names its case number, and the same SEED replays the same requests.
 */
import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { seedChannel, startTestMiddleware, type LogCapture } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { CHANNEL_KINDS } from '../../../middleware/tenancy/channel-kinds';

const SEED = 0x1edb_71d9;
const REQUESTS = 2_000;

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number): boolean => next() < p;
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, chance, bytes };
}
type Rng = ReturnType<typeof prng>;

const SECRET = 'fuzz-shared-secret-0123456789';
const SW_KEY = Buffer.from('fuzz-standard-webhooks-key-bytes');
const SW_SECRET = `whsec_${SW_KEY.toString('base64')}`;
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KID = randomUUID();

let mw: RunningMiddleware;
let logs: LogCapture;
let token: string;
const channels: Record<string, string> = {};
let routes: Array<{ method: string; path: string }> = [];

beforeAll(async () => {
  ({ mw, logs } = await startTestMiddleware({ logLevel: 'error', workers: false }));
  const t = 't-fuzz';
  channels.shopify = await seedChannel(mw, t, { kind: 'shopify', name: 'S', settings: { shopDomain: 'f.myshopify.com' }, secrets: { webhookSecret: SECRET } });
  channels.magento = await seedChannel(mw, t, { kind: 'magento', name: 'M', settings: { baseUrl: 'https://m.example' }, secrets: { webhookSecret: SW_SECRET } });
  channels.amazon = await seedChannel(mw, t, { kind: 'amazon', name: 'A', settings: { marketplaceId: 'ATVPDKIKX0DER' } });
  const pem = ec.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  channels.ebay = await seedChannel(mw, t, { kind: 'ebay', name: 'E', secrets: { publicKeys: { [KID]: { key: pem, algorithm: 'ECDSA', digest: 'SHA1' } } } });
  channels.loop = await seedChannel(mw, t, { kind: 'loop', name: 'L', secrets: { webhookSecret: SECRET } });
  channels.payments = await seedChannel(mw, t, { kind: 'payments', name: 'P', secrets: { webhookSecret: SECRET } });
  const client = await mw.partners.createClient(t, ['channels:read', 'channels:write', 'connections:read', 'connections:write', 'sync:read', 'sync:write']);
  const res = await fetch(`${mw.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;

  // Every route the app documents.
  const document = (await (await fetch(`${mw.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}, 60_000);

afterAll(async () => {
  await mw?.close();
});

const HOSTILE_SEGMENTS = [
  '%', '%%', '%E0%A4%A', '%E0%A4', '%C0%80', '%FF', '%FE%FF', '%ED%A0%80', '%00', 'a%00b', '%01', '%1F', '%7F', '%C2%80', '%C2%9F',
  '%2F', '%2e%2e', '..', '.', '%20', '+', '~', '%25', '%u0041', '%F0%9F%98%80', '%E2%80%AE', ';', ':', '@', '!', '$', '*', '%27', '(', ')', ',', '=', '&',
  '%23', '%3F', '%5C', '%0D%0A', '%09', '-1', '0', '1e400', 'null', 'undefined', '__proto__', 'constructor', '%5B%5D',
];
const HOSTILE_STRINGS = ['', '\u0000', 'a\u0000b', '\u0001', '\u001b[31m', '\u007f', '\u0085', '\u2028', '\ud800', '\udc00x', '😀', 'é', '\t\r\n', "'; drop table x; --", '${x}', '{{x}}', '%00', '../../etc/passwd', 'x'.repeat(5000)];

function percentEncode(bytes: Buffer): string {
  return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}

function segment(rng: Rng, real: readonly string[]): string {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return rng.pick(real);
    case 2:
      return rng.pick(HOSTILE_SEGMENTS);
    case 3:
      return rng.pick([rng.pick(real), 'x']) + rng.pick(HOSTILE_SEGMENTS);
    case 4:
      return 'a'.repeat(rng.pick([199, 200, 201, 1000, 6000]));
    default:
      return percentEncode(rng.bytes(1 + rng.int(30)));
  }
}

function query(rng: Rng): string {
  if (rng.chance(0.6)) return '';
  const names = ['state', 'channelId', 'topic', 'createdAfter', 'limit', 'cursor', 'refundId', 'parkedAfterSeconds', 'stuckAfterSeconds', 'x', '__proto__', 'a[b]', rng.pick(HOSTILE_SEGMENTS)];
  const parts = Array.from({ length: 1 + rng.int(4) }, () => `${rng.pick(names)}=${rng.chance(0.5) ? rng.pick(HOSTILE_SEGMENTS) : encodeURIComponent(rng.pick(['1', 'failed', 'posted,failed', '2026-01-01T00:00:00Z', '-5', '99999999999', 'abc']))}`);
  return `?${parts.join('&')}`;
}

function jsonValue(rng: Rng, depth: number): unknown {
  switch (depth > 5 ? rng.int(4) : rng.int(7)) {
    case 0:
      return rng.pick(HOSTILE_STRINGS);
    case 1:
      return rng.pick([0, -1, 1.5, 1e308, -1e-308, 9007199254740993, 2 ** 64]);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return randomUUID();
    case 4:
      return Array.from({ length: rng.int(4) }, () => jsonValue(rng, depth + 1));
    default: {
      const keys = ['kind', 'name', 'role', 'settings', 'secrets', 'connectionId', 'enabled', 'reason', 'credentials', 'accountId', 'authKind', 'id', 'topic', 'notification', 'data', '__proto__', rng.pick(HOSTILE_STRINGS)];
      return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [rng.pick(keys), jsonValue(rng, depth + 1)]));
    }
  }
}

function body(rng: Rng): Buffer | undefined {
  switch (rng.int(9)) {
    case 0:
      return undefined;
    case 1:
      return Buffer.alloc(0);
    case 2:
      return rng.bytes(1 + rng.int(3000));
    case 3: {
      const depth = rng.pick([70, 500, 5000]);
      return Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    }
    case 4:
      // Route-shaped bodies carrying hostile strings.
      return Buffer.from(JSON.stringify({ kind: rng.pick([...CHANNEL_KINDS, 'x']), name: rng.pick(HOSTILE_STRINGS), settings: { shopDomain: rng.pick(HOSTILE_STRINGS) }, reason: rng.pick(HOSTILE_STRINGS) }));
    case 5:
      return Buffer.from(`grant_type=${rng.pick(['client_credentials', '%00', 'x'])}&client_id=${rng.pick(HOSTILE_SEGMENTS)}&client_secret=${rng.pick(HOSTILE_SEGMENTS)}`);
    case 6:
      return Buffer.from(JSON.stringify(jsonValue(rng, 0)).replace(/"/g, rng.chance(0.1) ? "'" : '"'));
    default:
      return Buffer.from(JSON.stringify(jsonValue(rng, 0)));
  }
}

/** Printable ASCII, and now and then Latin-1 (what Node lets a client send in a header value). */
function headerText(rng: Rng, max: number): string {
  const n = rng.int(max);
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(rng.chance(0.05) ? 0xa0 + rng.int(0x60) : 0x20 + rng.int(0x5f));
  return out;
}

function headers(rng: Rng, path: string, raw: Buffer | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const b = raw ?? Buffer.alloc(0);
  const value = (valid: () => string): string | string[] => {
    switch (rng.int(5)) {
      case 0:
        return valid();
      case 1:
        return [valid(), valid()];
      case 2:
        return [valid(), headerText(rng, 60)];
      case 3:
        return Buffer.from(headerText(rng, 300)).toString('base64');
      default:
        return headerText(rng, rng.chance(0.1) ? 4000 : 80);
    }
  };
  if (rng.chance(0.8)) out['content-type'] = rng.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=bogus', '*/*', headerText(rng, 40)]);
  if (rng.chance(0.1)) out['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'identity', 'bogus, gzip']);
  if (path.startsWith('/v1') && rng.chance(0.75)) out.authorization = rng.chance(0.9) ? `Bearer ${token}` : value(() => `Bearer ${token}`);
  else if (rng.chance(0.4)) out.authorization = value(() => rng.pick([`Bearer ${SECRET}`, `Basic ${Buffer.from(`lbc_x:${headerText(rng, 20)}`).toString('base64')}`, 'Bearer a.b.c']));
  if (rng.chance(0.4)) out['x-shopify-hmac-sha256'] = value(() => createHmac('sha256', SECRET).update(b).digest('base64'));
  if (rng.chance(0.2)) out['x-shopify-event-id'] = value(() => headerText(rng, 40));
  if (rng.chance(0.3)) out['x-loop-signature'] = value(() => createHmac('sha256', SECRET).update(b).digest('base64'));
  if (rng.chance(0.3)) {
    const ts = String(Math.floor(Date.now() / 1000) + rng.pick([0, -400, 400, 1e9]));
    const id = rng.pick(['msg_1', 'a.b', headerText(rng, 30)]);
    out['webhook-id'] = value(() => id);
    out['webhook-timestamp'] = value(() => ts);
    out['webhook-signature'] = value(() => `v1,${createHmac('sha256', SW_KEY).update(`${id}.${ts}.`).update(b).digest('base64')} v1,${Buffer.from(headerText(rng, 32)).toString('base64')}`);
  }
  if (rng.chance(0.3)) {
    out['x-ebay-signature'] = value(() => {
      const signature = rng.chance(0.5) ? createSign('sha1').update(b).sign({ key: ec.privateKey, dsaEncoding: 'der' }).toString('base64') : Buffer.from(headerText(rng, 72)).toString('base64');
      return Buffer.from(JSON.stringify({ alg: rng.pick(['ecdsa', 'ECDSA', 'none', 'hs256']), kid: rng.pick([KID, randomUUID(), headerText(rng, 30)]), signature, digest: rng.pick(['SHA1', 'SHA256', 'MD5']) })).toString('base64');
    });
  }
  if (rng.chance(0.2)) out['x-request-id'] = headerText(rng, 200);
  if (rng.chance(0.1)) out.accept = headerText(rng, 50);
  if (raw && rng.chance(0.3)) out['content-length'] = String(raw.length);
  return out;
}

/** Node's client sends a GET/HEAD/DELETE/OPTIONS body unframed unless told its length (the rest would read as a new request). */
function framed(method: string, h: Record<string, string | string[]>, raw: Buffer | undefined): Record<string, string | string[]> {
  if (raw === undefined || h['content-length'] !== undefined || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method)) return h;
  return { ...h, 'content-length': String(raw.length) };
}

interface Case {
  describe: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
  /** Declare a body this large and send none of it. */
  declared?: number;
}

function makeCase(rng: Rng, i: number): Case {
  const channelIds = Object.values(channels);
  let method: string;
  let path: string;
  const target = rng.int(10);
  if (target < 5) {
    const kind = rng.chance(0.9) ? rng.pick(CHANNEL_KINDS) : rng.pick(['unknown', ...HOSTILE_SEGMENTS]);
    const id = rng.chance(0.5) ? ((Object.hasOwn(channels, kind) ? channels[kind] : undefined) ?? rng.pick(channelIds)) : segment(rng, channelIds);
    path = `/webhooks/${kind}/${id}${rng.chance(0.1) ? `/${segment(rng, channelIds)}` : ''}${rng.chance(0.05) ? '/' : ''}${query(rng)}`;
    method = rng.chance(0.85) ? 'POST' : rng.pick(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
  } else if (target < 9) {
    const route = rng.pick(routes.filter((r) => r.path.startsWith('/v1')));
    path = route.path.replace(/\{[^}]+\}/g, () => segment(rng, channelIds)) + query(rng);
    method = rng.chance(0.85) ? route.method : rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
  } else {
    path = `/oauth/token${query(rng)}`;
    method = rng.chance(0.9) ? 'POST' : rng.pick(['GET', 'PUT']);
  }
  const b = method === 'GET' || method === 'HEAD' ? (rng.chance(0.1) ? body(rng) : undefined) : body(rng);
  const h = framed(method, headers(rng, path, b), b);
  const declared = rng.chance(0.01) ? rng.pick([2 * 1024 * 1024, 52_428_800]) : undefined;
  return { describe: `case ${i}: ${method} ${path.slice(0, 120)}`, method, path, headers: h, body: declared ? undefined : b, ...(declared ? { declared } : {}) };
}

function send(c: Case): Promise<{ status: number; text: string }> {
  const url = new URL(mw.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: c.method, path: c.path, headers: c.declared ? { ...c.headers, 'content-length': String(c.declared) } : c.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        if (c.declared) res.on('end', () => req.destroy());
      },
    );
    req.on('error', (error) => reject(new Error(`${c.describe}: ${error.message}`)));
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    if (c.declared) req.flushHeaders();
    else req.end(c.body);
  });
}

it(`answers ${REQUESTS} seeded hostile requests below 500, each refusal with a code, and stays healthy`, async () => {
  expect(routes.filter((r) => r.path.startsWith('/v1')).length).toBeGreaterThanOrEqual(10);
  expect(routes.some((r) => r.path.startsWith('/webhooks/'))).toBe(true);
  const rng = prng(SEED);
  const cases = Array.from({ length: REQUESTS }, (_, i) => makeCase(rng, i));
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < cases.length; i += 8) {
    const batch = cases.slice(i, i + 8);
    const answers = await Promise.all(batch.map((c) => send(c).catch((error: unknown) => ({ status: 0, text: String(error) }))));
    answers.forEach((answer, j) => {
      const c = batch[j] as Case;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 0 || answer.status >= 500) {
        problems.push(`${c.describe} → ${answer.status} ${answer.text.slice(0, 160)}`);
        return;
      }
      if (answer.status >= 400 && c.method !== 'HEAD') {
        let code: unknown;
        try {
          const parsed = JSON.parse(answer.text) as { error?: { code?: unknown } | string };
          code = typeof parsed.error === 'string' ? parsed.error : parsed.error?.code;
        } catch {
          code = undefined;
        }
        if (typeof code !== 'string' || code === '') problems.push(`${c.describe} → ${answer.status} without a code: ${answer.text.slice(0, 160)}`);
      }
    });
  }
  expect(problems).toEqual([]);
  expect(logs.lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
  // The mix reached well past the edge: refusals of many kinds, and some requests the routes answered with 2xx.
  expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(5);
  expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);

  expect((await fetch(`${mw.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${mw.url}/readyz`)).status).toBe(200);
  const genuine = Buffer.from('{"id":"fuzz-after","topic":"refunds/create"}');
  const accepted = await fetch(`${mw.url}/webhooks/shopify/${channels.shopify}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(genuine).digest('base64'), 'x-shopify-event-id': 'fuzz-after' },
    body: genuine,
  });
  expect(accepted.status).toBe(202);
}, 300_000);
