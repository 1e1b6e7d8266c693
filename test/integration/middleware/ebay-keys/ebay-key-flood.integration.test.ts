/**
 * Unsigned eBay notifications must not cost calls to eBay. Against the simulated eBay (real HTTP on 127.0.0.1),
 * counting its getPublicKey calls:
 *   - 1,200 forged notifications, each naming a new random key id, reach the running middleware: malformed ones
 *     (header, key id, signature or body shape wrong) cost no call; well-formed ones cost at most the channel's
 *     budget of lookups per minute, the rest are answered 503 without a call;
 *   - the genuine key stays cached through the flood (the next genuine notification costs no call);
 *   - in the key source itself, unknown ids never push a known key out, and an unknown id is asked about once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../../../middleware/config';
import { startMiddleware, type RunningMiddleware } from '../../../../middleware/runtime/server';
import { createLogger } from '../../../../middleware/observability/logger';
import { startEbaySimulator, EBAY_SIM_DEFAULTS, type EbaySimulator } from '../../../../middleware/simulators/ebay';
import { createEbayKeySource, EbayKeyUnavailableError, EBAY_PUBLIC_KEY_PATH } from '../../../../middleware/webhooks/ebay-keys';
import { ensureTenant } from '../../../../middleware/store/sql/tenants';
import { createChannel } from '../../../../middleware/tenancy/tenancy-service';

let sim: EbaySimulator;
const keyCalls = () => sim.state.requests.filter((r) => r.path.startsWith(EBAY_PUBLIC_KEY_PATH)).length;

/** A DER-shaped ECDSA signature (SEQUENCE of two 32-byte INTEGERs) that verifies for nothing. */
function derShapedSignature(): string {
  const int = () => Buffer.concat([Buffer.from([0x02, 0x20]), randomBytes(32)]);
  const body = Buffer.concat([int(), int()]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64');
}

const header = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64');

beforeAll(async () => {
  sim = await startEbaySimulator({ seedSampleOrders: false });
});

afterAll(async () => {
  await sim?.close();
});

describe('a flood of forged eBay notifications at the running middleware', () => {
  let mw: RunningMiddleware;
  let channelId: string;

  beforeAll(async () => {
    const config = loadConfig({
      mode: 'production',
      env: {
        LEDGERBRIDGE_MASTER_KEY: randomBytes(32).toString('base64'),
        LEDGERBRIDGE_EBAY_API_URL: sim.url,
        LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'true',
        LEDGERBRIDGE_EBAY_CLIENT_ID: sim.clientId,
        LEDGERBRIDGE_EBAY_CLIENT_SECRET: sim.clientSecret,
      },
      overrides: { database: { kind: 'pglite', dataDir: 'memory://' }, http: { host: '127.0.0.1', port: 0 }, jobs: { workers: false } },
    });
    mw = await startMiddleware(config, { logger: createLogger({ level: 'silent' }) });
    await ensureTenant(mw.db, { id: 't-flood', name: 't-flood' });
    const created = await createChannel(mw.db, mw.secretBox, 't-flood', { kind: 'ebay', name: 'eBay', secrets: { clientId: 'seller-app', clientSecret: 'seller-secret' } });
    if (!created.ok) throw new Error(created.error.message);
    channelId = created.value.id;
  }, 60_000);

  afterAll(async () => {
    await mw?.close();
  });

  it('1,200 forged notifications with new key ids cost at most the lookup budget; the genuine key stays cached', async () => {
    const url = `${mw.url}/webhooks/ebay/${channelId}`;
    const genuine = await sim.notifications.deliver(url, { topic: 'ITEM_MARKED_SHIPPED', data: { orderId: 'before' } });
    expect(genuine.status).toBe(202);
    const afterGenuine = keyCalls();

    const envelope = () => JSON.stringify(sim.notifications.envelope({ topic: 'ITEM_MARKED_SHIPPED', data: {} }));
    const forged: Array<{ headers: Record<string, string>; body: string; malformed: boolean }> = [];
    for (let i = 0; i < 1200; i++) {
      const kid = randomUUID();
      const sig = { alg: 'ecdsa', kid, signature: derShapedSignature(), digest: 'SHA1' };
      switch (i % 6) {
        case 0: // key id that cannot be eBay's
          forged.push({ headers: { 'x-ebay-signature': header({ ...sig, kid: `kid-${i}` }) }, body: envelope(), malformed: true });
          break;
        case 1: // signature that is not DER
          forged.push({ headers: { 'x-ebay-signature': header({ ...sig, signature: randomBytes(64).toString('base64') }) }, body: envelope(), malformed: true });
          break;
        case 2: // body that is not an eBay notification
          forged.push({ headers: { 'x-ebay-signature': header(sig) }, body: i % 12 === 2 ? 'not json' : '{"hello":"world"}', malformed: true });
          break;
        case 3: // header that is not base64 JSON
          forged.push({ headers: { 'x-ebay-signature': `${kid}!` }, body: envelope(), malformed: true });
          break;
        default: // well-formed in every way, but signed by nobody
          forged.push({ headers: { 'x-ebay-signature': header(sig) }, body: envelope(), malformed: false });
      }
    }
    const statuses = new Map<number, number>();
    const firstMinute = Math.floor(Date.now() / 60_000);
    for (let i = 0; i < forged.length; i += 10) {
      const batch = await Promise.all(
        forged.slice(i, i + 10).map(async (f) => {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...f.headers }, body: f.body });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      for (const s of batch) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    const calls = keyCalls() - afterGenuine;
    // 400 well-formed forgeries, each with a new id: at most the default budget (20 per channel and clock minute)
    // reached eBay, for each minute the flood lasted into; none of the 800 malformed ones did.
    const budget = 20 * (Math.floor(Date.now() / 60_000) - firstMinute + 1);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(budget);
    expect(mw.ebayKeys?.stats().overBudget).toBeGreaterThanOrEqual(400 - budget);
    expect(statuses.get(202) ?? 0).toBe(0);
    expect([...statuses.keys()].every((s) => s === 400 || s === 401 || s === 503)).toBe(true);

    // The genuine key was not pushed out: the next genuine notification costs no call.
    const before = keyCalls();
    const next = await sim.notifications.deliver(url, { topic: 'ITEM_MARKED_SHIPPED', data: { orderId: 'after' } });
    expect(next.status).toBe(202);
    expect(keyCalls()).toBe(before);
  }, 120_000);
});

describe('the key source under made-up ids', () => {
  const appToken = async () => EBAY_SIM_DEFAULTS.applicationToken;

  it('unknown ids never evict a known key, and each unknown id is asked about once while remembered', async () => {
    const keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: appToken, maxEntries: 3, maxUnknownEntries: 50, lookupsPerScopePerMinute: 10_000 });
    const start = keyCalls();
    expect(await keys.getPublicKey(sim.notifications.keyId)).not.toBeNull();
    const made = Array.from({ length: 200 }, () => randomUUID());
    for (const kid of made) expect(await keys.getPublicKey(kid)).toBeNull();
    expect(keyCalls() - start).toBe(201);
    // The known key is still cached (no call), the most recent unknown ids too.
    expect(await keys.getPublicKey(sim.notifications.keyId)).not.toBeNull();
    for (const kid of made.slice(-50)) expect(await keys.getPublicKey(kid)).toBeNull();
    expect(keyCalls() - start).toBe(201);
  });

  it('spends at most the budget of calls per scope and minute; other scopes keep theirs; the budget renews', async () => {
    let t = 0;
    const keys = createEbayKeySource({ baseUrl: sim.url, getAccessToken: appToken, lookupsPerScopePerMinute: 5, now: () => t });
    const start = keyCalls();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => keys.getPublicKey(randomUUID(), 'channel-a')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const r of results.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(EbayKeyUnavailableError);
    expect(keyCalls() - start).toBe(5);
    // Cached answers cost nothing, so they are not refused when the budget is spent.
    expect(await keys.getPublicKey(sim.notifications.keyId, 'channel-b')).not.toBeNull();
    expect(await keys.getPublicKey(sim.notifications.keyId, 'channel-a')).not.toBeNull();
    t += 60_000;
    expect(await keys.getPublicKey(randomUUID(), 'channel-a')).toBeNull();
    expect(keyCalls() - start).toBe(7);
    expect(keys.stats()).toMatchObject({ fetches: 7, overBudget: 3 });
  });
});
