/**
 * eBay's documented scheme wired into the running middleware, over real HTTP on 127.0.0.1:
 *   - the application token (client-credentials grant) against the simulated eBay token endpoint;
 *   - configuration (LEDGERBRIDGE_EBAY_* variables, both-or-neither, the secret redacted in logs);
 *   - `startMiddleware` configured with the simulator's URL and client credentials: a simulator-signed notification
 *     is accepted through a fetched key, the next one from the cache, an unknown kid is refused, an outage of the
 *     key endpoint answers 503 and the retry is accepted;
 *   - without eBay credentials an eBay channel that stores no keys is refused (fail closed).
 */
import { generateKeyPairSync, createSign, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ConfigError, ENV_VARS, loadConfig } from '../../../../middleware/config';
import { startMiddleware, type RunningMiddleware } from '../../../../middleware/runtime/server';
import { createLogger } from '../../../../middleware/observability/logger';
import { startEbaySimulator, EBAY_SIM_DEFAULTS, type EbaySimulator } from '../../../../middleware/simulators/ebay';
import { createEbayAppTokenSource, EbayTokenError, EBAY_PUBLIC_KEY_PATH, EBAY_TOKEN_PATH } from '../../../../middleware/webhooks/ebay-keys';
import { ensureTenant } from '../../../../middleware/store/sql/tenants';
import { createChannel } from '../../../../middleware/tenancy/tenancy-service';

class Lines extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

let sim: EbaySimulator;
const calls = (prefix: string) => sim.state.requests.filter((r) => r.path.startsWith(prefix)).length;

beforeAll(async () => {
  sim = await startEbaySimulator({ seedSampleOrders: false, clientId: 'app-id-123', clientSecret: `cert-${randomBytes(12).toString('hex')}`, applicationTokenTtlSeconds: 600 });
});

afterAll(async () => {
  await sim?.close();
});

describe('createEbayAppTokenSource against the simulated token endpoint', () => {
  it('mints one token, shares it between concurrent callers, and renews it shortly before expires_in', async () => {
    let t = 1_000_000;
    const tokens = createEbayAppTokenSource({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, now: () => t });
    const before = calls(EBAY_TOKEN_PATH);
    const answers = await Promise.all(Array.from({ length: 8 }, () => tokens.getAccessToken()));
    expect(new Set(answers).size).toBe(1);
    expect(calls(EBAY_TOKEN_PATH) - before).toBe(1);
    const first = answers[0] as string;
    expect(sim.oauth.isApplicationToken(first)).toBe(true);

    t += 539_000; // 600 s lifetime, renewed 60 s (a tenth) before it ends
    expect(await tokens.getAccessToken()).toBe(first);
    expect(calls(EBAY_TOKEN_PATH) - before).toBe(1);
    t += 2_000;
    const second = await tokens.getAccessToken();
    expect(second).not.toBe(first);
    expect(calls(EBAY_TOKEN_PATH) - before).toBe(2);
    expect(tokens.stats()).toEqual({ minted: 2 });
  });

  it('wrong client credentials fail with a clear error that never carries the secret, and nothing is cached', async () => {
    const wrongSecret = `wrong-${randomBytes(16).toString('hex')}`;
    const tokens = createEbayAppTokenSource({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: wrongSecret });
    const failure = await tokens.getAccessToken().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EbayTokenError);
    const message = (failure as Error).message;
    expect(message).toMatch(/HTTP 401 invalid_client/);
    expect(message).toMatch(/client id and client secret/);
    expect(message).not.toContain(wrongSecret);
    expect(message).not.toContain(Buffer.from(`${sim.clientId}:${wrongSecret}`).toString('base64'));
    await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(EbayTokenError);
    expect(tokens.stats()).toEqual({ minted: 0 });
  });

  it('an unreachable endpoint and a scope eBay does not grant are errors too', async () => {
    const dead = createEbayAppTokenSource({ baseUrl: 'http://127.0.0.1:9', clientId: 'a', clientSecret: 'b' });
    await expect(dead.getAccessToken()).rejects.toThrow(/unreachable/);
    const badScope = createEbayAppTokenSource({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, scope: 'https://api.ebay.com/oauth/api_scope/sell.finances' });
    await expect(badScope.getAccessToken()).rejects.toThrow(/HTTP 400 invalid_scope/);
  });

  it('the simulator stops accepting a minted token once it expires', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const shortSim = await startEbaySimulator({ seedSampleOrders: false, applicationTokenTtlSeconds: 60, now: () => new Date(clock) });
    try {
      const token = await createEbayAppTokenSource({ baseUrl: shortSim.url, clientId: EBAY_SIM_DEFAULTS.clientId, clientSecret: EBAY_SIM_DEFAULTS.clientSecret }).getAccessToken();
      const keyUrl = `${shortSim.url}${EBAY_PUBLIC_KEY_PATH}${shortSim.notifications.keyId}`;
      expect((await fetch(keyUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      clock += 61_000;
      expect((await fetch(keyUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await shortSim.close();
    }
  });
});

describe('eBay configuration', () => {
  const base = { LEDGERBRIDGE_MASTER_KEY: randomBytes(32).toString('base64') };

  it('reads LEDGERBRIDGE_EBAY_* and lists them for `start --help`', () => {
    const config = loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_EBAY_API_URL: 'https://api.sandbox.ebay.com', LEDGERBRIDGE_EBAY_CLIENT_ID: 'id', LEDGERBRIDGE_EBAY_CLIENT_SECRET: 'secret' } });
    expect(config.ebay).toEqual({ apiBaseUrl: 'https://api.sandbox.ebay.com', clientId: 'id', clientSecret: 'secret', keyLookupsPerMinute: 20, unknownKeyCacheMinutes: 10 });
    expect(loadConfig({ mode: 'production', env: base }).ebay).toEqual({ apiBaseUrl: 'https://api.ebay.com', keyLookupsPerMinute: 20, unknownKeyCacheMinutes: 10 });
    for (const name of ['LEDGERBRIDGE_EBAY_API_URL', 'LEDGERBRIDGE_EBAY_CLIENT_ID', 'LEDGERBRIDGE_EBAY_CLIENT_SECRET']) expect(ENV_VARS).toHaveProperty(name);
  });

  it('refuses a client id without a secret (and the reverse), naming the missing setting', () => {
    expect(() => loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_EBAY_CLIENT_ID: 'id' } })).toThrow(/ebay\.clientSecret: eBay clientId and clientSecret must be set together/);
    expect(() => loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_EBAY_CLIENT_SECRET: 'secret' } })).toThrow(ConfigError);
    expect(() => loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_EBAY_API_URL: 'not a url' } })).toThrow(/ebay\.apiBaseUrl/);
  });

  it('never logs the client secret', () => {
    const secret = `cert-${randomBytes(16).toString('hex')}`;
    const config = loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_EBAY_CLIENT_ID: 'id', LEDGERBRIDGE_EBAY_CLIENT_SECRET: secret } });
    const out = new Lines();
    createLogger({ level: 'info', destination: out }).info({ config }, 'configuration');
    expect(out.text).toContain('"clientId":"id"');
    expect(out.text).not.toContain(secret);
  });
});

describe('the running middleware verifies eBay notifications through getPublicKey', () => {
  let mw: RunningMiddleware;
  let bare: RunningMiddleware;
  let misconfigured: RunningMiddleware;
  let channelId: string;
  let bareChannelId: string;
  let misconfiguredChannelId: string;
  const logs = new Lines();
  const misconfiguredLogs = new Lines();
  const wrongSecret = `cert-wrong-${randomBytes(12).toString('hex')}`;

  async function ebayChannel(running: RunningMiddleware): Promise<string> {
    await ensureTenant(running.db, { id: 'tenant-ebay', name: 'tenant-ebay' });
    // Refund-polling credentials only: no public keys stored, so verification goes to the key source.
    const created = await createChannel(running.db, running.secretBox, 'tenant-ebay', { kind: 'ebay', name: 'eBay US', secrets: { clientId: 'seller-app', clientSecret: 'seller-secret' } });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.id;
  }

  function configFor(env: Record<string, string>) {
    return loadConfig({
      mode: 'production',
      env: { LEDGERBRIDGE_MASTER_KEY: randomBytes(32).toString('base64'), LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'true', ...env },
      overrides: { database: { kind: 'pglite', dataDir: 'memory://' }, http: { host: '127.0.0.1', port: 0 }, jobs: { workers: false } },
    });
  }

  beforeAll(async () => {
    mw = await startMiddleware(
      configFor({ LEDGERBRIDGE_EBAY_API_URL: sim.url, LEDGERBRIDGE_EBAY_CLIENT_ID: sim.clientId, LEDGERBRIDGE_EBAY_CLIENT_SECRET: sim.clientSecret }),
      { logDestination: logs },
    );
    channelId = await ebayChannel(mw);
    bare = await startMiddleware(configFor({}), { logger: createLogger({ level: 'silent' }) });
    bareChannelId = await ebayChannel(bare);
    misconfigured = await startMiddleware(
      configFor({ LEDGERBRIDGE_EBAY_API_URL: sim.url, LEDGERBRIDGE_EBAY_CLIENT_ID: sim.clientId, LEDGERBRIDGE_EBAY_CLIENT_SECRET: wrongSecret }),
      { logDestination: misconfiguredLogs },
    );
    misconfiguredChannelId = await ebayChannel(misconfigured);
  }, 60_000);

  afterAll(async () => {
    await mw?.close();
    await bare?.close();
    await misconfigured?.close();
  });

  const webhookUrl = () => `${mw.url}/webhooks/ebay/${channelId}`;
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it('accepts a signed notification through a key fetched with a minted token, then the next from the cache', async () => {
    const tokensBefore = calls(EBAY_TOKEN_PATH);
    const keysBefore = calls(EBAY_PUBLIC_KEY_PATH);
    const first = await sim.notifications.deliver(webhookUrl(), { topic: 'ITEM_MARKED_SHIPPED', data: { orderId: '01-10001-30001' } });
    expect(first.status).toBe(202);
    expect(calls(EBAY_TOKEN_PATH) - tokensBefore).toBe(1);
    expect(calls(EBAY_PUBLIC_KEY_PATH) - keysBefore).toBe(1);
    // The middleware knows only the client credentials: the key endpoint accepted the token it minted with them.
    expect(sim.state.requests.filter((r) => r.path.startsWith(EBAY_PUBLIC_KEY_PATH)).at(-1)?.status).toBe(200);

    const second = await sim.notifications.deliver(webhookUrl(), { topic: 'ITEM_MARKED_SHIPPED', data: { orderId: '01-10001-30002' } });
    expect(second.status).toBe(202);
    expect(calls(EBAY_TOKEN_PATH) - tokensBefore).toBe(1);
    expect(calls(EBAY_PUBLIC_KEY_PATH) - keysBefore).toBe(1);
    expect(mw.ebayKeys?.stats()).toMatchObject({ fetches: 1, cacheHits: 1 });

    const { rows } = await mw.db.query<{ platform_event_id: string }>('select platform_event_id from lb_webhook_events where channel_id = $1', [channelId]);
    expect(rows.map((r) => r.platform_event_id).sort()).toEqual([first.notificationId, second.notificationId].sort());
    expect(logs.text).not.toContain(sim.clientSecret);
  });

  it('refuses a notification naming a key id eBay does not know with 401', async () => {
    const signed = sim.notifications.sign(sim.notifications.envelope({ topic: 'ITEM_MARKED_SHIPPED', data: {} }));
    const header = JSON.parse(Buffer.from(signed.headers['x-ebay-signature'] ?? '', 'base64').toString('utf8')) as Record<string, string>;
    const forged = Buffer.from(JSON.stringify({ ...header, kid: randomUUID() }), 'utf8').toString('base64');
    const res = await fetch(webhookUrl(), { method: 'POST', headers: { ...signed.headers, 'x-ebay-signature': forged }, body: signed.body });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('webhook_unknown_key');
  });

  it('answers 503 while the key endpoint is down (eBay delivers again) and accepts the retry', async () => {
    // A second key, rotated in by eBay, so the running middleware has not cached it.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const kid = randomUUID();
    sim.notifications.publishKey(kid, { key: (publicKey.export({ type: 'spki', format: 'pem' }) as string).replace(/\n/g, ''), algorithm: 'ECDSA', digest: 'SHA1' });
    const body = JSON.stringify(sim.notifications.envelope({ topic: 'ITEM_MARKED_SHIPPED', data: { orderId: 'rotated' } }));
    const signature = createSign('sha1').update(body).sign({ key: privateKey, dsaEncoding: 'der' }).toString('base64');
    const headers = { 'content-type': 'application/json', 'x-ebay-signature': Buffer.from(JSON.stringify({ alg: 'ecdsa', kid, signature, digest: 'SHA1' })).toString('base64') };

    sim.notifications.keyEndpointOutage(true);
    try {
      const refused = await fetch(webhookUrl(), { method: 'POST', headers, body });
      expect(refused.status).toBe(503);
      // The caller learns to retry, not why fetching the key failed (that goes to the operator's log).
      const answer = (await refused.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('webhook_key_unavailable');
      expect(answer.error.message).toBe('The signing key could not be fetched right now; deliver this notification again later.');
    } finally {
      sim.notifications.keyEndpointOutage(false);
    }
    const retried = await fetch(webhookUrl(), { method: 'POST', headers, body });
    expect(retried.status).toBe(202);
  });

  it('with client credentials eBay refuses, notifications are answered 503 and the operator is told why (without the secret)', async () => {
    const res = await sim.notifications.deliver(`${misconfigured.url}/webhooks/ebay/${misconfiguredChannelId}`, { topic: 'ITEM_MARKED_SHIPPED', data: {} });
    expect(res.status).toBe(503);
    const warning = misconfiguredLogs.text.split('\n').find((line) => line.includes('eBay application token unavailable'));
    expect(warning).toMatch(/HTTP 401 invalid_client/);
    expect(misconfiguredLogs.text).not.toContain(wrongSecret);
    const { rows } = await misconfigured.db.query<{ n: number }>('select count(*)::int as n from lb_webhook_events');
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('without eBay credentials an eBay channel that stores no keys is refused (fail closed), eBay is not asked', async () => {
    const before = sim.state.requests.length;
    const res = await sim.notifications.deliver(`${bare.url}/webhooks/ebay/${bareChannelId}`, { topic: 'ITEM_MARKED_SHIPPED', data: {} });
    expect(res.status).toBe(401);
    expect(bare.ebayKeys).toBeUndefined();
    expect(sim.state.requests.length).toBe(before);
    const { rows } = await bare.db.query<{ n: number }>('select count(*)::int as n from lb_webhook_events');
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
