/**
 * eBay's documented scheme end to end over real HTTP on 127.0.0.1: the simulated eBay signs notifications and
 * serves GET /commerce/notification/v1/public_key/{id}; the key source fetches and caches keys; the webhook intake
 * verifies through it (eBay channels that store no key), answers 503 when the key cannot be fetched, and refuses
 * unknown key ids. eBay's own published vector verifies through a key fetched the same way.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import pino from 'pino';
import { createEbayKeySource, EbayKeyUnavailableError, EBAY_PUBLIC_KEY_PATH } from '../../../../middleware/webhooks/ebay-keys/ebay-key-source';
import { startEbaySimulator, EBAY_SIM_DEFAULTS, type EbaySimulator } from '../../../../middleware/simulators/ebay';
import { verifyEbay, type EbayKeySource } from '../../../../middleware/webhooks/verify';
import { createWebhookIntake } from '../../../../middleware/webhooks/intake/intake-handler';
import { errorHandler } from '../../../../middleware/http/error-handler';
import { openDb, type StoreHandle } from '../../../../middleware/store/open-db';
import { migrate } from '../../../../middleware/store/migrate';
import { createPgBossQueue } from '../../../../middleware/jobs/pg-boss-queue';
import type { JobQueue } from '../../../../middleware/jobs/job-queue';
import { syncQueues } from '../../../../middleware/sync/queues';
import { createSecretBox } from '../../../../middleware/security/secret-box';
import { ensureTenant } from '../../../../middleware/store/sql/tenants';
import { createChannel } from '../../../../middleware/tenancy/tenancy-service';
import { readFixtureJson } from '../../../helpers/fixtures';

interface Vector {
  signature: string;
  message: unknown;
  response: { key: string; algorithm: string; digest: string };
  public_key: string;
}
const VECTORS = readFixtureJson<Record<'VALID', Vector>>('vectors', 'ebay-notification-signature', 'notification-x-ebay-signature-vectors.event-notification-nodejs-sdk.json');

const appToken = async () => EBAY_SIM_DEFAULTS.applicationToken;
let sim: EbaySimulator;

/** How many times the simulator was asked for a public key. */
const keyFetches = () => sim.state.requests.filter((r) => r.path.startsWith(EBAY_PUBLIC_KEY_PATH)).length;

/** A server that answers every request with one status and body. */
async function fixedServer(status: number, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header like the simulator's but naming another key id (same signature bytes). */
function withKid(header: string, kid: string): string {
  const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, string>;
  return Buffer.from(JSON.stringify({ ...parsed, kid }), 'utf8').toString('base64');
}

beforeAll(async () => {
  sim = await startEbaySimulator({ seedSampleOrders: false });
});

afterAll(async () => {
  await sim?.close();
});

describe('createEbayKeySource against the simulated Notification API', () => {
  it('fetches a key once, then answers from the cache until the TTL passes', async () => {
    let t = 1_000_000;
    const keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: appToken, ttlMs: 60_000, now: () => t });
    const before = keyFetches();
    const first = await keys.getPublicKey(sim.notifications.keyId);
    expect(first).toMatchObject({ algorithm: 'ECDSA', digest: 'SHA1' });
    expect(first?.key).toMatch(/^-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=]+-----END PUBLIC KEY-----$/);
    t += 59_000;
    expect(await keys.getPublicKey(sim.notifications.keyId)).toEqual(first);
    expect(keyFetches() - before).toBe(1);
    expect(keys.stats()).toEqual({ fetches: 1, cacheHits: 1, refusedIds: 0, overBudget: 0 });
    t += 2_000; // past the TTL
    expect(await keys.getPublicKey(sim.notifications.keyId)).toEqual(first);
    expect(keyFetches() - before).toBe(2);
  });

  it('concurrent lookups of one id share one call', async () => {
    const keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: appToken });
    const before = keyFetches();
    const answers = await Promise.all(Array.from({ length: 10 }, () => keys.getPublicKey(sim.notifications.keyId)));
    expect(new Set(answers.map((a) => a?.key)).size).toBe(1);
    expect(keyFetches() - before).toBe(1);
  });

  it('an unknown id is null, remembered for the negative TTL only; an id that cannot be eBay\'s is not asked about', async () => {
    let t = 0;
    const keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: appToken, negativeTtlMs: 10_000, now: () => t });
    const before = keyFetches();
    const unknown = randomUUID();
    expect(await keys.getPublicKey(unknown)).toBeNull();
    expect(await keys.getPublicKey(unknown)).toBeNull();
    expect(keyFetches() - before).toBe(1);
    t += 10_001;
    expect(await keys.getPublicKey(unknown)).toBeNull();
    expect(keyFetches() - before).toBe(2);
    for (const bad of ['../../sell/fulfillment/v1/order', 'a b', '', 'x'.repeat(129), 'kid?x=1']) expect(await keys.getPublicKey(bad)).toBeNull();
    expect(keyFetches() - before).toBe(2);
  });

  it('a refused token, a dead server, a 5xx or an answer without a key throw key_unavailable and cache nothing', async () => {
    let token = 'not-the-application-token';
    const keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: async () => token });
    await expect(keys.getPublicKey(sim.notifications.keyId)).rejects.toBeInstanceOf(EbayKeyUnavailableError);
    token = EBAY_SIM_DEFAULTS.applicationToken; // nothing was cached: the next lookup asks again and succeeds
    await expect(keys.getPublicKey(sim.notifications.keyId)).resolves.toMatchObject({ algorithm: 'ECDSA' });

    const noToken = createEbayKeySource({ baseUrl: sim.url, getAccessToken: async () => Promise.reject(new Error('token endpoint down')) });
    await expect(noToken.getPublicKey(sim.notifications.keyId)).rejects.toThrow(/no eBay application token/);

    const dead = await fixedServer(200, '{}');
    await dead.close();
    await expect(createEbayKeySource({ baseUrl: dead.url, getAccessToken: appToken }).getPublicKey(randomUUID())).rejects.toMatchObject({ code: 'key_unavailable' });

    for (const [status, body] of [[500, '{"errors":[]}'], [429, '{}'], [200, '{"algorithm":"ECDSA"}'], [200, 'not json']] as const) {
      const server = await fixedServer(status, body);
      try {
        const source = createEbayKeySource({ baseUrl: server.url, getAccessToken: appToken });
        const kid = randomUUID();
        await expect(source.getPublicKey(kid)).rejects.toBeInstanceOf(EbayKeyUnavailableError);
        await expect(source.getPublicKey(kid)).rejects.toBeInstanceOf(EbayKeyUnavailableError);
        expect(source.stats()).toEqual({ fetches: 2, cacheHits: 0, refusedIds: 0, overBudget: 0 });
      } finally {
        await server.close();
      }
    }
  });

  it("eBay's published vector verifies through a key fetched from the Notification API", async () => {
    const vector = VECTORS.VALID;
    sim.notifications.publishKey(vector.public_key, vector.response);
    const keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: appToken });
    const body = Buffer.from(JSON.stringify(vector.message), 'utf8');
    const result = await verifyEbay({ 'x-ebay-signature': vector.signature }, body, keys);
    expect(result).toMatchObject({ ok: true, eventId: '49feeaeb-4982-42d9-a377-9645b8479411_33f7e043-fed8-442b-9d44-791923bd9a6d' });
    const tampered = Buffer.from(JSON.stringify({ ...(vector.message as object), extra: 1 }), 'utf8');
    expect(await verifyEbay({ 'x-ebay-signature': vector.signature }, tampered, keys)).toMatchObject({ ok: false, code: 'bad_signature' });
  });
});

describe('webhook intake verifying eBay notifications through the key source', () => {
  let store: StoreHandle;
  let jobs: JobQueue;
  let servers: http.Server[] = [];
  let keys: ReturnType<typeof createEbayKeySource>;
  let intakeUrl: string;
  let brokenIntakeUrl: string;
  let channelId: string;
  let pinnedChannelId: string;

  async function serve(ebayKeySource: EbayKeySource): Promise<string> {
    const app = express();
    app.post(
      '/webhooks/:channelKind/:channelId',
      express.raw({ type: () => true, limit: 1_000_000 }),
      createWebhookIntake({ db: store, jobs, secretBox, logger: pino({ level: 'silent' }), ebayKeySource }),
    );
    app.use(errorHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const secretBox = createSecretBox(randomBytes(32).toString('base64'));

  beforeAll(async () => {
    store = await openDb({ kind: 'pglite', dataDir: 'memory://' });
    await migrate(store);
    jobs = await createPgBossQueue(store, { supervise: false });
    await jobs.start();
    await jobs.ensureQueues(syncQueues());
    await ensureTenant(store, { id: 'tenant-ebay', name: 'tenant-ebay' });
    const plain = await createChannel(store, secretBox, 'tenant-ebay', { kind: 'ebay', name: 'eBay US', secrets: { clientId: 'app-id', clientSecret: 'app-secret' } });
    const pinned = await createChannel(store, secretBox, 'tenant-ebay', { kind: 'ebay', name: 'eBay pinned', secrets: { publicKeys: { [VECTORS.VALID.public_key]: VECTORS.VALID.response } } });
    if (!plain.ok || !pinned.ok) throw new Error('channel set-up failed');
    channelId = plain.value.id;
    pinnedChannelId = pinned.value.id;

    keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: appToken, ttlMs: 3_600_000 });
    intakeUrl = await serve(keys);
    // Same store, but eBay's key endpoint cannot be reached.
    const dead = await fixedServer(200, '{}');
    await dead.close();
    brokenIntakeUrl = await serve(createEbayKeySource({ baseUrl: dead.url, getAccessToken: appToken }));
  }, 30_000);

  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    servers = [];
    await jobs?.stop({ timeoutMs: 1_000 });
    await store?.close();
  });

  async function syncRecordCount(): Promise<number> {
    const { rows } = await store.query<{ n: number }>('select count(*)::int as n from lb_sync_records');
    return Number(rows[0]?.n ?? 0);
  }

  it('a signed notification verifies through the fetched key; the second uses the cache', async () => {
    const before = keyFetches();
    const first = await sim.notifications.deliver(`${intakeUrl}/webhooks/ebay/${channelId}`, { topic: 'ITEM_MARKED_SHIPPED', data: { orderId: '01-10001-30001' } });
    expect(first.status).toBe(202);
    expect(keyFetches() - before).toBe(1);

    const second = await sim.notifications.deliver(`${intakeUrl}/webhooks/ebay/${channelId}`, { topic: 'ITEM_MARKED_SHIPPED', data: { orderId: '01-10001-30002' } });
    expect(second.status).toBe(202);
    expect(keyFetches() - before).toBe(1);
    expect(keys.stats().cacheHits).toBeGreaterThanOrEqual(1);

    const { rows } = await store.query<{ platform_event_id: string }>('select platform_event_id from lb_webhook_events where channel_id = $1', [channelId]);
    expect(rows.map((r) => r.platform_event_id).sort()).toEqual([first.notificationId, second.notificationId].sort());
  });

  it('an unknown key id is refused with 401 and nothing is stored', async () => {
    const signed = sim.notifications.sign(sim.notifications.envelope({ topic: 'ITEM_MARKED_SHIPPED', data: {} }));
    const headers = { ...signed.headers, 'x-ebay-signature': withKid(signed.headers['x-ebay-signature'] ?? '', randomUUID()) };
    const before = await syncRecordCount();
    const res = await fetch(`${intakeUrl}/webhooks/ebay/${channelId}`, { method: 'POST', headers, body: signed.body });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('webhook_unknown_key');
    expect(await syncRecordCount()).toBe(before);
  });

  it('a body altered after signing is refused with 401', async () => {
    const signed = sim.notifications.sign(sim.notifications.envelope({ topic: 'ITEM_MARKED_SHIPPED', data: { orderId: 'A' } }));
    const res = await fetch(`${intakeUrl}/webhooks/ebay/${channelId}`, { method: 'POST', headers: signed.headers, body: signed.body.replace('"A"', '"B"') });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('webhook_bad_signature');
  });

  it('when the key cannot be fetched the intake answers 503 (eBay retries), stores nothing, and the retry is accepted', async () => {
    const signed = sim.notifications.sign(sim.notifications.envelope({ topic: 'ITEM_MARKED_SHIPPED', data: { orderId: 'retry-me' } }));
    const before = await syncRecordCount();
    const refused = await fetch(`${brokenIntakeUrl}/webhooks/ebay/${channelId}`, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('webhook_key_unavailable');
    expect(await syncRecordCount()).toBe(before);

    const retried = await fetch(`${intakeUrl}/webhooks/ebay/${channelId}`, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(retried.status).toBe(202);
    expect(((await retried.json()) as { duplicate: boolean }).duplicate).toBe(false);
  });

  it('a channel that stores its own keys is pinned to them: the key source is not consulted', async () => {
    const before = keyFetches();
    const signed = sim.notifications.sign(sim.notifications.envelope({ topic: 'ITEM_MARKED_SHIPPED', data: {} }));
    const res = await fetch(`${intakeUrl}/webhooks/ebay/${pinnedChannelId}`, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(res.status).toBe(401);
    expect(keyFetches()).toBe(before);
    // …and eBay's vector, signed by the key it stores, is accepted there.
    const vector = VECTORS.VALID;
    const ok = await fetch(`${intakeUrl}/webhooks/ebay/${pinnedChannelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ebay-signature': vector.signature },
      body: JSON.stringify(vector.message),
    });
    expect(ok.status).toBe(202);
  });
});
