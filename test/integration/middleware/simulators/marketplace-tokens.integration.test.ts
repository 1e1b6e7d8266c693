// OAuth access tokens for eBay (refresh-token grant) and Amazon (Login with Amazon) over real HTTP: the connectors'
// token sources against the simulators, which issue expiring tokens and refuse API calls without one.
import { createEbayClient, createEbayUserTokenSource } from '../../../../middleware/connectors/ebay';
import { createAmazonClient, createLwaTokenSource } from '../../../../middleware/connectors/amazon';
import { type EbaySimulator, startEbaySimulator } from '../../../../middleware/simulators/ebay';
import { type AmazonSimulator, startAmazonSimulator } from '../../../../middleware/simulators/amazon';

const MINUTE = 60_000;

describe('eBay user access tokens (refresh-token grant)', () => {
  let clock: number;
  let sim: EbaySimulator;
  let orderId: string;
  const tokensFor = (overrides: { refreshToken?: string; clientSecret?: string } = {}) =>
    createEbayUserTokenSource({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: overrides.clientSecret ?? sim.clientSecret, refreshToken: overrides.refreshToken ?? sim.refreshToken, now: () => clock });

  beforeEach(async () => {
    clock = Date.parse('2026-11-20T10:00:00Z');
    sim = await startEbaySimulator({ userTokenTtlSeconds: 600, now: () => new Date(clock) });
    orderId = [...sim.state.orders.keys()][0] as string;
  });
  afterEach(() => sim.close());

  it('gets a token once, caches it across calls, and shares one refresh among concurrent callers', async () => {
    const tokens = tokensFor();
    const client = createEbayClient({ baseUrl: sim.url, tokens, retries: 0 });
    const results = await Promise.all([client.getOrder(orderId), client.getOrder(orderId), tokens.getAccessToken()]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect((await client.getOrdersModifiedSince('2020-01-01T00:00:00Z')).ok).toBe(true);
    expect(sim.oauth.userMinted()).toBe(1);
    const token = await tokens.getAccessToken();
    expect(token.ok && token.value).toMatch(/^v\^1\.1#/);
    expect(token.ok && sim.oauth.isUserToken(token.value)).toBe(true);
  });

  it('refreshes shortly before expiry; the expired token is refused by the API', async () => {
    const tokens = tokensFor();
    const client = createEbayClient({ baseUrl: sim.url, tokens, retries: 0 });
    const first = await tokens.getAccessToken();
    clock += 8 * MINUTE; // 2 minutes left of 10: still cached
    expect(await tokens.getAccessToken()).toEqual(first);
    expect(sim.oauth.userMinted()).toBe(1);
    clock += 1.5 * MINUTE; // within the last minute: refreshed
    expect((await client.getOrder(orderId)).ok).toBe(true);
    expect(sim.oauth.userMinted()).toBe(2);
    const second = await tokens.getAccessToken();
    expect(second.ok && first.ok && second.value !== first.value).toBe(true);
    clock += 1 * MINUTE; // the first token has now expired on eBay's side
    const stale = createEbayClient({ baseUrl: sim.url, accessToken: first.ok ? first.value : '', retries: 0 });
    const refused = await stale.getOrder(orderId);
    expect(!refused.ok && refused.error.code).toBe('unauthorized');
  });

  it('a token eBay stopped accepting is dropped and the call made again with a fresh one', async () => {
    const client = createEbayClient({ baseUrl: sim.url, tokens: tokensFor(), retries: 0 });
    expect((await client.getOrder(orderId)).ok).toBe(true);
    sim.oauth.revokeAll();
    expect((await client.getOrder(orderId)).ok).toBe(true);
    expect(sim.oauth.userMinted()).toBe(2);
  });

  it('a wrong or revoked refresh token is reauthorization_required, with no secret in the error; no API call is made', async () => {
    const wrong = 'v^1.1#i^1#r^1#not-the-sellers-token';
    const client = createEbayClient({ baseUrl: sim.url, tokens: tokensFor({ refreshToken: wrong }), retries: 0 });
    const before = sim.state.requests.filter((r) => r.path.startsWith('/sell/')).length;
    const result = await client.getOrder(orderId);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'reauthorization_required', retryable: false, status: 400 });
    expect(result.error.message).toContain('re-authorisation');
    expect(JSON.stringify(result.error)).not.toContain(wrong);
    expect(JSON.stringify(result.error)).not.toContain(sim.clientSecret);
    expect(sim.state.requests.filter((r) => r.path.startsWith('/sell/')).length).toBe(before);

    const good = tokensFor();
    expect((await good.getAccessToken()).ok).toBe(true);
    sim.oauth.revokeRefreshToken();
    clock += 11 * MINUTE;
    const revoked = await good.getAccessToken();
    expect(!revoked.ok && revoked.error.code).toBe('reauthorization_required');
  });

  it('wrong client credentials are invalid_client', async () => {
    const result = await tokensFor({ clientSecret: 'SBX-not-the-secret' }).getAccessToken();
    expect(!result.ok && result.error).toMatchObject({ code: 'invalid_client', status: 401 });
  });
});

describe('Amazon SP-API access tokens (Login with Amazon)', () => {
  let clock: number;
  let sim: AmazonSimulator;
  let orderId: string;
  const tokensFor = (overrides: { refreshToken?: string; clientSecret?: string } = {}) =>
    createLwaTokenSource({ tokenUrl: sim.tokenUrl, clientId: sim.lwaClientId, clientSecret: overrides.clientSecret ?? sim.lwaClientSecret, refreshToken: overrides.refreshToken ?? sim.refreshToken, now: () => clock });

  beforeEach(async () => {
    clock = Date.parse('2026-11-20T10:00:00Z');
    sim = await startAmazonSimulator({ now: () => new Date(clock) });
    orderId = [...sim.state.orders.keys()][0] as string;
  });
  afterEach(() => sim.close());

  it('gets a token once for concurrent calls and caches it; refreshes after the hour; the old token is refused', async () => {
    const tokens = tokensFor();
    const client = createAmazonClient({ baseUrl: sim.url, tokens, retries: 0 });
    const results = await Promise.all([client.listFinancialEventsByOrderId(orderId), client.listFinancialEventsByOrderId(orderId), client.listFinancialEvents({ postedAfter: '2026-11-01T00:00:00Z' })]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(sim.minted()).toBe(1);
    const first = await tokens.getAccessToken();
    expect(first.ok && first.value).toMatch(/^Atza\|/);
    clock += 60 * MINUTE;
    expect((await client.listFinancialEventsByOrderId(orderId)).ok).toBe(true);
    expect(sim.minted()).toBe(2);
    const stale = createAmazonClient({ baseUrl: sim.url, accessToken: first.ok ? first.value : '', retries: 0 });
    const refused = await stale.listFinancialEventsByOrderId(orderId);
    expect(!refused.ok && refused.error.code).toBe('forbidden');
  });

  it('a revoked refresh token is reauthorization_required (no secret in the error); a wrong client is invalid_client', async () => {
    sim.revokeRefreshToken();
    const client = createAmazonClient({ baseUrl: sim.url, tokens: tokensFor(), retries: 0 });
    const result = await client.listFinancialEventsByOrderId(orderId);
    expect(!result.ok && result.error).toMatchObject({ code: 'reauthorization_required', retryable: false });
    expect(!result.ok && result.error.message).toContain('re-authorisation');
    expect(JSON.stringify(result)).not.toContain(sim.refreshToken);
    expect(JSON.stringify(result)).not.toContain(sim.lwaClientSecret);
    const wrongClient = await tokensFor({ clientSecret: 'amzn1.oa2-cs.v1.wrong' }).getAccessToken();
    expect(!wrongClient.ok && wrongClient.error).toMatchObject({ code: 'invalid_client', status: 401 });
  });

  it('refuses API calls with a token it never issued', async () => {
    const client = createAmazonClient({ baseUrl: sim.url, accessToken: 'Atza|made-up', retries: 0 });
    const result = await client.listFinancialEventsByOrderId(orderId);
    expect(!result.ok && result.error.code).toBe('forbidden');
  });
});
