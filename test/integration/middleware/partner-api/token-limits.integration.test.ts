/**
 * POST /oauth/token against guessing and probing, over real HTTP on 127.0.0.1:
 *   - wrong secrets for one client id: 401 up to the limit, then 429 with Retry-After in OAuth's error shape (even
 *     for the right secret), and the limit lifts when the window ends;
 *   - many client ids from one address: the per-address limit;
 *   - an unknown client id costs what a known one with a wrong secret costs (median of many tries each);
 *   - a client id holding NUL or another control character: 400 invalid_request in OAuth's shape, store untouched;
 *   - two Authorization headers: 400 invalid_request;
 *   - on PostgreSQL two middleware processes share the counters (a limit reached through A holds on B), and the
 *     429s are counted on /metrics.
 */
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { requestToken, startHarness, type Harness } from './harness';
import { startTestMiddleware } from '../harness';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';
import type { RunningMiddleware } from '../../../../middleware/runtime/server';

const LIMITS = { perClientId: 5, perAddress: 12, windowSeconds: 60 };

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Raw POST so a header can be sent twice. */
function rawPost(baseUrl: string, path: string, headers: http.OutgoingHttpHeaders | Record<string, string | string[]>, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('token endpoint limits (PGlite: counters in memory)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tokenLimits: LIMITS });
  }, 60_000);
  afterAll(() => h.close());

  it('answers 401 up to the per-client limit, then 429 with Retry-After (even for the right secret) until the window ends', async () => {
    const client = await h.auth.createClient('tenant-a', ['sync:read']);
    for (let i = 0; i < LIMITS.perClientId; i++) {
      const wrong = await requestToken(h.baseUrl, client.clientId, `lbs_wrong_${i}`);
      expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    }
    const limited = await requestToken(h.baseUrl, client.clientId, 'lbs_wrong_again');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= LIMITS.windowSeconds).toBe(true);
    expect(limited.headers.get('cache-control')).toBe('no-store');
    // The right secret is refused too while the limit holds: guessing gains nothing from it.
    expect((await requestToken(h.baseUrl, client.clientId, client.clientSecret)).status).toBe(429);

    h.clock.advance(retryAfter);
    try {
      expect((await requestToken(h.baseUrl, client.clientId, client.clientSecret)).status).toBe(200);
    } finally {
      h.clock.advance(-retryAfter);
    }
  });

  it('successes do not use up the limit: only failures accumulate', async () => {
    h.clock.advance(LIMITS.windowSeconds); // a fresh window
    const client = await h.auth.createClient('tenant-a', ['sync:read']);
    for (let i = 0; i < LIMITS.perClientId * 2; i++) expect((await requestToken(h.baseUrl, client.clientId, client.clientSecret)).status).toBe(200);
  });

  it('limits failures from one address across client ids', async () => {
    h.clock.advance(LIMITS.windowSeconds);
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.perAddress + 3; i++) statuses.push((await requestToken(h.baseUrl, `lbc_guess_${i}`, 'lbs_guess')).status);
    expect(statuses.slice(0, LIMITS.perAddress)).toEqual(Array(LIMITS.perAddress).fill(401));
    expect(statuses.slice(LIMITS.perAddress)).toEqual([429, 429, 429]);
  });

  it('refuses a client id with NUL or another control character with 400 invalid_request (OAuth shape), and two Authorization headers', async () => {
    h.clock.advance(LIMITS.windowSeconds);
    for (const body of ['grant_type=client_credentials&client_id=a%00b&client_secret=x', 'grant_type=client_credentials&client_id=a%01b&client_secret=x', 'grant_type=client_credentials&client_id=a%20b&client_secret=x']) {
      const res = await rawPost(h.baseUrl, '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' }, body);
      expect(res).toEqual({ status: 400, json: { error: 'invalid_request', error_description: expect.stringContaining('client_id') } });
    }
    const json = await rawPost(h.baseUrl, '/oauth/token', { 'content-type': 'application/json' }, JSON.stringify({ grant_type: 'client_credentials', client_id: 'a\u0000b', client_secret: 'x' }));
    expect(json).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    const basicNul = await rawPost(h.baseUrl, '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('a\u0000b', 'x') }, 'grant_type=client_credentials');
    expect(basicNul).toMatchObject({ status: 400, json: { error: 'invalid_request' } });

    const client = await h.auth.createClient('tenant-a', ['sync:read']);
    const twice = await rawPost(
      h.baseUrl,
      '/oauth/token',
      { 'content-type': 'application/x-www-form-urlencoded', authorization: [basic('lbc_someone_else', 'x'), basic(client.clientId, client.clientSecret)] },
      'grant_type=client_credentials',
    );
    expect(twice).toMatchObject({ status: 400, json: { error: 'invalid_request', error_description: expect.stringContaining('more than once') } });
  });
});

describe('token endpoint timing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tokenLimits: { perClientId: 100_000, perAddress: 100_000 } });
  }, 60_000);
  afterAll(() => h.close());

  async function median(run: () => Promise<unknown>, n: number): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = process.hrtime.bigint();
      await run();
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(n / 2)] as number;
  }

  it('an unknown client id answers in about the time a known id with a wrong secret does', async () => {
    const client = await h.auth.createClient('tenant-a', ['sync:read']);
    const known = () => requestToken(h.baseUrl, client.clientId, 'lbs_wrong');
    const unknown = () => requestToken(h.baseUrl, `lbc_${randomBytes(12).toString('base64url')}`, 'lbs_wrong');
    expect((await known()).status).toBe(401);
    expect((await unknown()).status).toBe(401);
    // Interleaved rounds, so load on the machine falls on both alike.
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let round = 0; round < 5; round++) {
      knownTimes.push(await median(known, 5));
      unknownTimes.push(await median(unknown, 5));
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const [k, u] = [med(knownTimes), med(unknownTimes)];
    // Both verify one scrypt hash (tens of ms); before, the unknown id skipped it (a few ms).
    expect(Math.abs(k - u) / Math.max(k, u)).toBeLessThan(0.3);
  }, 120_000);
});

describe('token endpoint limits on PostgreSQL: shared by every process, counted on /metrics', () => {
  let pg: TestPostgres;
  let a: RunningMiddleware;
  let b: RunningMiddleware;

  beforeAll(async () => {
    pg = await startPostgres();
    const url = pg.createDatabase('token_limits');
    const masterKey = randomBytes(32).toString('base64');
    ({ mw: a } = await startTestMiddleware({ database: { kind: 'postgres', url }, workers: false, logLevel: 'warn', masterKey }));
    ({ mw: b } = await startTestMiddleware({ database: { kind: 'postgres', url }, workers: false, logLevel: 'warn', masterKey }));
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    pg?.stop();
  });

  it('failures through A and B count together; the 429 is counted on /metrics', async () => {
    const client = await a.partners.createClient('t-limits', ['sync:read']);
    // Windows are whole minutes on the wall clock: start well inside one, so all attempts fall in the same window.
    const toBoundary = 60_000 - (Date.now() % 60_000);
    if (toBoundary < 15_000) await new Promise((r) => setTimeout(r, toBoundary + 200));
    // The default limit: 10 failures per client id per minute.
    for (let i = 0; i < 10; i++) {
      const via = i % 2 === 0 ? a : b;
      expect((await requestToken(via.url, client.clientId, `lbs_wrong_${i}`)).status).toBe(401);
    }
    const limited = await requestToken(b.url, client.clientId, 'lbs_wrong');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await requestToken(a.url, client.clientId, client.clientSecret)).status).toBe(429);

    const metricsOf = async (mw: RunningMiddleware) => (await fetch(`${mw.url}/metrics`)).text();
    expect(await metricsOf(b)).toMatch(/ledgerbridge_oauth_token_rate_limited_total\{limit="client_id"\} 1\b/);
    expect(await metricsOf(a)).toMatch(/ledgerbridge_oauth_token_rate_limited_total\{limit="client_id"\} 1\b/);
    const { rows } = await a.db.query<{ attempts: number }>('select attempts from lb_token_attempts where bucket = $1', [`client:${client.clientId}`]);
    expect(Number(rows[0]?.attempts)).toBe(12);
  }, 60_000);
});

describe('the limits are configuration', () => {
  let mw: RunningMiddleware;
  beforeAll(async () => {
    ({ mw } = await startTestMiddleware({ workers: false, logLevel: 'warn', settings: { partnerApi: { tokenLimits: { perClientId: 2, windowSeconds: 600 } } } }));
  }, 60_000);
  afterAll(() => mw?.close());

  it('partnerApi.tokenLimits.perClientId = 2: the third wrong secret is answered 429', async () => {
    const client = await mw.partners.createClient('t-configured', ['sync:read']);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await requestToken(mw.url, client.clientId, `lbs_wrong_${i}`)).status);
    expect(statuses).toEqual([401, 401, 429]);
  });
});
