// The middleware's NetSuite client against the local account's HTTP host on 127.0.0.1: real TBA signatures and
// OAuth 2.0 M2M assertions, the shared concurrency budget in a real store (PGlite), and fault injection (limit
// errors, 5xx, responses lost after the write committed) ending with exactly one NetSuite record per operation.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import type { CreateOperation, OperationResult } from '../../../core/contracts/restlet';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type NetSuiteHost, type RunningNetSuiteHost } from '../../../emulator/http';
import { m2mAssertion } from '../../../middleware/netsuite/auth';
import { createNetSuiteConnection, tokenUrl, type NetSuiteConnectionSettings } from '../../../middleware/netsuite/connection';
import { NetSuiteAuthError } from '../../../middleware/netsuite/errors';
import { createHttpClient } from '../../../middleware/netsuite/http';
import { openDb, type StoreHandle } from '../../../middleware/store/open-db';
import { migrate } from '../../../middleware/store/migrate';
import { seededAccount, type Seeded } from '../bundle/local-account';

const ACCOUNT = '7654321_SB1';
const creds = generateSandboxCredentials();
let s: Seeded;
let host: NetSuiteHost;
let running: RunningNetSuiteHost;
let db: StoreHandle;

/** Deterministic random numbers for fault injection (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  s = seededAccount({ accountId: ACCOUNT });
  host = createNetSuiteHost({
    accountId: ACCOUNT,
    runner: s.account.restlets,
    records: s.account.engine,
    credentials: hostCredentialsFor(creds),
    concurrencyLimit: 5,
    random: seededRandom(42),
  });
  running = await host.listen();
  db = await openDb({ kind: 'pglite', dataDir: 'memory://' });
  await migrate(db);
}, 30_000);
afterAll(async () => {
  await running?.close();
  await s?.account.close();
  await db?.close();
});
beforeEach(() => {
  host.configure({ latencyMs: 0, faults: {}, concurrencyLimit: 5 });
  host.resetCounters();
});

function settings(overrides: Partial<NetSuiteConnectionSettings> = {}): NetSuiteConnectionSettings {
  return {
    accountId: ACCOUNT,
    credentials: { kind: 'tba', tba: creds.tba },
    restletBaseUrl: running.url,
    concurrencyLimit: 5,
    timeoutMs: 10_000,
    backoff: { baseMs: 5, capMs: 50, maxAttempts: 12 },
    ...overrides,
  };
}

const m2m = { kind: 'm2m' as const, m2m: { clientId: creds.m2m.clientId, certificateId: creds.m2m.certificateId, privateKey: creds.m2m.privateKeyPem } };

function countByExternalId(externalId: string): number {
  return s.account.engine.search({ type: 'cashsale', filters: [['externalid', 'anyof', externalId], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).length;
}

describe('authentication against the local account', () => {
  it('signs RESTlet calls with TBA that the host verifies', async () => {
    const { client } = createNetSuiteConnection(settings(), { db });
    const health = await client.health();
    expect(health).toMatchObject({ ok: true, accountId: ACCOUNT, apiVersion: 1 });
    expect(host.loginAudit().at(-1)).toMatchObject({ scheme: 'TBA', ok: true });
  });

  it('uses OAuth 2.0 M2M and caches the bearer token across calls', async () => {
    const { client } = createNetSuiteConnection(settings({ credentials: m2m }), { db });
    await client.health();
    await client.health();
    const issued = host.loginAudit().filter((e) => e.scheme === 'OAuth2' && e.detail === 'TokenIssued');
    expect(issued).toHaveLength(1);
    expect(host.counters().authFailures).toBe(0);
  });

  it('fails closed with NETSUITE_AUTH_FAILED on a wrong TBA secret, after one attempt', async () => {
    const { client } = createNetSuiteConnection(settings({ credentials: { kind: 'tba', tba: { ...creds.tba, tokenSecret: 'f'.repeat(64) } } }), { db });
    await expect(client.health()).rejects.toBeInstanceOf(NetSuiteAuthError);
    expect(host.counters().authFailures).toBe(1);
  });

  describe('assertions the token endpoint must refuse', () => {
    const url = () => tokenUrl(settings());
    const http = createHttpClient({ timeoutMs: 5_000 });
    async function exchange(assertion: string) {
      const res = await http.send({
        method: 'POST',
        url: url(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }).toString(),
      });
      return { status: res.status, body: JSON.parse(res.body) as { error?: string; access_token?: string } };
    }
    const base = () => ({ clientId: creds.m2m.clientId, certificateId: creds.m2m.certificateId, privateKeyPem: creds.m2m.privateKeyPem, tokenUrl: url() });

    it('accepts the client\'s own assertion', async () => {
      expect((await exchange(await m2mAssertion(base(), Date.now()))).body.access_token).toEqual(expect.any(String));
    });

    it.each([
      ['exp more than 60 minutes after iat', { assertionSeconds: 3601 }, 'invalid_grant'],
    ])('refuses %s', async (_name, extra, error) => {
      // m2mAssertion caps its own lifetime at 3600 s, so build the over-long one by hand with the same key.
      const key = await importPKCS8(creds.m2m.privateKeyPem, 'ES256');
      const iat = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({ scope: 'restlets' })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: creds.m2m.certificateId })
        .setIssuer(creds.m2m.clientId)
        .setAudience(url())
        .setIssuedAt(iat)
        .setExpirationTime(iat + extra.assertionSeconds)
        .setJti(randomUUID())
        .sign(key);
      expect(await exchange(jwt)).toMatchObject({ status: 400, body: { error } });
    });

    it('refuses an assertion for another audience, an unknown kid, and one signed with another key', async () => {
      expect((await exchange(await m2mAssertion({ ...base(), tokenUrl: 'https://example.com/token' }, Date.now()))).body.error).toBe('invalid_grant');
      expect((await exchange(await m2mAssertion({ ...base(), certificateId: 'not-registered' }, Date.now()))).body.error).toBe('invalid_client');
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect((await exchange(await m2mAssertion({ ...base(), privateKeyPem: other }, Date.now()))).body.error).toBe('invalid_grant');
    });

    it('the client reports a refused assertion as an auth failure', async () => {
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const { client } = createNetSuiteConnection(settings({ credentials: { kind: 'm2m', m2m: { ...m2m.m2m, privateKey: other } } }), { db });
      await expect(client.health()).rejects.toMatchObject({ name: 'TokenRequestError', oauthError: 'invalid_grant' });
    });
  });
});

describe('exactly once under faults', () => {
  function op(i: number, prefix: string): Omit<CreateOperation, 'opId'> {
    return { kind: 'create', recordType: 'cashsale', externalId: `${prefix}:${i}`, values: { entity: s.customerId }, items: [{ sku: 'SKU-A', quantity: 1, rate: '1.00' }] };
  }

  it('limit errors, 5xx and lost responses on committed writes end with one record per operation', async () => {
    host.configure({ faults: { limitErrorRate: 0.15, serverErrorRate: 0.1, lostResponseRate: 0.25 } });
    const { client, queue } = createNetSuiteConnection(settings({ batch: { maxOps: 4, maxWaitMs: 2 } }), { db });
    const prefix = `faults-${randomUUID()}`;
    const results: OperationResult[] = await Promise.all(Array.from({ length: 40 }, (_, i) => queue.submit(op(i, prefix))));
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    for (let i = 0; i < 40; i++) expect(countByExternalId(`${prefix}:${i}`)).toBe(1);
    const c = host.counters();
    expect(c.lostResponses).toBeGreaterThan(0);
    expect(c.injectedLimitErrors + c.injectedServerErrors).toBeGreaterThan(0);
    // Every lost answer was settled by a lookup before anything was sent again.
    expect(client.stats.unknownOutcomes).toBeGreaterThan(0);
    expect(client.stats.recoveredByLookup).toBeGreaterThan(0);
  }, 30_000);

  it('two processes\' clients sharing the budget in the store never exceed the account limit', async () => {
    host.configure({ latencyMs: 40 });
    const a = createNetSuiteConnection(settings(), { db });
    const b = createNetSuiteConnection(settings({ credentials: m2m }), { db });
    await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).client.health()));
    expect(host.counters().limitRejections).toBe(0);
    expect(host.counters().maxInFlight).toBeLessThanOrEqual(5);
    expect(host.counters().maxInFlight).toBeGreaterThanOrEqual(4);
    expect(a.client.stats.limitErrors + b.client.stats.limitErrors).toBe(0);
  }, 30_000);
});
