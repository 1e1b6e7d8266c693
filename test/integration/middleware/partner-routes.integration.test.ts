/**
 * The partner API over real HTTP with real tokens: client credentials → JWT → /v1 routes scoped to the token's
 * tenant. Credentials and secrets are write-only; another tenant's records are invisible.
 */
import { randomBytes } from 'node:crypto';
import { LogCapture, post, type Json, shopifyHeaders, startTestMiddleware, waitFor } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { ensureTenant } from '../../../middleware/store/sql/tenants';

let mw: RunningMiddleware;
let logs: LogCapture;
let tokenA: string;
let tokenB: string;
let readOnlyA: string;

const TBA = { consumerKey: 'ck-' + randomBytes(8).toString('hex'), consumerSecret: 'cs-' + randomBytes(16).toString('hex'), tokenId: 'tk-1', tokenSecret: 'ts-' + randomBytes(16).toString('hex') };
const WEBHOOK_SECRET = 'whs-' + randomBytes(16).toString('hex');

async function token(tenantId: string, scopes: string[]): Promise<string> {
  await ensureTenant(mw.db, { id: tenantId, name: tenantId });
  const client = await mw.partners.createClient(tenantId, scopes);
  const res = await fetch(`${mw.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function api(method: string, path: string, bearer: string | undefined, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${mw.url}${path}`, {
    method,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Json };
}

const ALL = ['connections:read', 'connections:write', 'channels:read', 'channels:write', 'sync:read', 'sync:write'];

beforeAll(async () => {
  ({ mw, logs } = await startTestMiddleware({
    processor: async () => ({ kind: 'failed', code: 'netsuite_record_invalid', message: 'Invalid reference', retryable: false }),
  }));
  tokenA = await token('tenant-a', ALL);
  tokenB = await token('tenant-b', ALL);
  readOnlyA = await token('tenant-a', ['connections:read', 'channels:read', 'sync:read']);
}, 30_000);

afterAll(async () => {
  await mw?.close();
});

describe('partner API /v1', () => {
  let connectionId: string;
  let channelId: string;
  let recordId: string;

  it('refuses requests without a token (401) or without the scope (403)', async () => {
    expect((await api('GET', '/v1/connections', undefined)).status).toBe(401);
    expect((await api('GET', '/v1/connections', 'not-a-jwt')).json.error.code).toBe('invalid_token');
    const forbidden = await api('POST', '/v1/connections', readOnlyA, { name: 'x', accountId: '1', authKind: 'tba', credentials: TBA });
    expect(forbidden).toMatchObject({ status: 403, json: { error: { code: 'insufficient_scope' } } });
  });

  it('creates a NetSuite connection; credentials are write-only and sealed at rest', async () => {
    const created = await api('POST', '/v1/connections', tokenA, { name: 'Prod', accountId: '1234567_SB1', authKind: 'tba', credentials: TBA });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Prod', accountId: '1234567_SB1', authKind: 'tba', status: 'pending', credentialsSet: true });
    expect(JSON.stringify(created.json)).not.toContain(TBA.consumerSecret);
    connectionId = created.json.id;
    const row = await mw.db.query<{ credentials_sealed: string }>('select credentials_sealed from lb_netsuite_connections where id = $1', [connectionId]);
    expect(row.rows[0]?.credentials_sealed).toMatch(/^v1\./);
    expect(row.rows[0]?.credentials_sealed).not.toContain(TBA.tokenSecret);

    const listed = await api('GET', '/v1/connections', tokenA);
    expect(listed.json.items.map((c: { id: string }) => c.id)).toEqual([connectionId]);
    expect(JSON.stringify(listed.json)).not.toContain(TBA.tokenSecret);
  });

  it('validates bodies with zod: bad credentials, unknown fields and bad JSON are 400 with a code', async () => {
    const bad = await api('POST', '/v1/connections', tokenA, { name: 'x', accountId: '1', authKind: 'tba', credentials: { consumerKey: 'only' } });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'invalid_credentials' } } });
    const extra = await api('POST', '/v1/connections', tokenA, { name: 'x', accountId: '1', authKind: 'tba', credentials: TBA, admin: true });
    expect(extra).toMatchObject({ status: 400, json: { error: { code: 'invalid_body' } } });
    const broken = await api('POST', '/v1/connections', tokenA, '{"name":');
    expect(broken).toMatchObject({ status: 400, json: { error: { code: 'invalid_json' } } });
  });

  it('updates a connection; new credentials put it back to pending', async () => {
    const res = await api('PATCH', `/v1/connections/${connectionId}`, tokenA, { concurrencyLimit: 3, name: 'Production' });
    expect(res).toMatchObject({ status: 200, json: { concurrencyLimit: 3, name: 'Production' } });
    const switched = await api('PATCH', `/v1/connections/${connectionId}`, tokenA, { authKind: 'm2m' });
    expect(switched).toMatchObject({ status: 400, json: { error: { code: 'credentials_required' } } });
  });

  it('creates a channel with settings and a secret, returns its webhook URL, never the secret', async () => {
    const res = await api('POST', '/v1/channels', tokenA, {
      kind: 'shopify',
      name: 'Demo shop',
      connectionId,
      settings: { shopDomain: 'demo-shop.myshopify.com' },
      secrets: { webhookSecret: WEBHOOK_SECRET },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ kind: 'shopify', role: 'cart', secretsSet: ['webhookSecret'], settings: { refundDirection: 'netsuite_to_platform' } });
    expect(res.json.webhookUrl).toBe(`${mw.url}/webhooks/shopify/${res.json.id}`);
    expect(JSON.stringify(res.json)).not.toContain(WEBHOOK_SECRET);
    channelId = res.json.id;

    const contradictory = await api('POST', '/v1/channels', tokenA, { kind: 'amazon', name: 'AMZ', settings: { marketplaceId: 'X', refundDirection: 'netsuite_to_platform' } });
    expect(contradictory).toMatchObject({ status: 400, json: { error: { code: 'contradictory_settings' } } });
  });

  it('lists sync records with filters, shows attempts and history, derives exceptions', async () => {
    const body = '{"id":7001}';
    const sent = await post(`${mw.url}/webhooks/shopify/${channelId}`, shopifyHeaders(WEBHOOK_SECRET, body, 'evt-p1'), body);
    expect(sent.status).toBe(202);
    recordId = sent.json.syncRecordId;
    await waitFor(async () => ((await api('GET', `/v1/sync-records/${recordId}`, tokenA)).json.state === 'failed' ? true : undefined), 15_000, 'failed');

    const detail = await api('GET', `/v1/sync-records/${recordId}`, tokenA);
    expect(detail.json).toMatchObject({ state: 'failed', stateCode: 'netsuite_record_invalid', attemptCount: 1 });
    expect(detail.json.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'failed', errorCode: 'netsuite_record_invalid', errorMessage: 'Invalid reference' })]);
    expect(detail.json.history.map((h: { to: string }) => h.to)).toEqual(['received', 'queued', 'posting', 'failed']);

    const failed = await api('GET', '/v1/sync-records?state=failed,parked&limit=10', tokenA);
    expect(failed.json.items.map((r: { id: string }) => r.id)).toContain(recordId);
    expect((await api('GET', '/v1/sync-records?state=posted', tokenA)).json.items).toEqual([]);
    expect((await api('GET', '/v1/sync-records?state=bogus', tokenA)).json.error.code).toBe('invalid_query');

    const exceptions = await api('GET', '/v1/exceptions', tokenA);
    expect(exceptions.json.items).toEqual([expect.objectContaining({ reason: 'failed', syncRecord: expect.objectContaining({ id: recordId }) })]);
  }, 20_000);

  it('cancels, refuses an illegal move with 409, un-cancels and retries', async () => {
    const cancelled = await api('POST', `/v1/sync-records/${recordId}/cancel`, tokenA, { reason: 'duplicate refund' });
    expect(cancelled).toMatchObject({ status: 200, json: { state: 'cancelled', stateCode: 'cancel_by_partner', stateMessage: 'duplicate refund' } });
    const illegal = await api('POST', `/v1/sync-records/${recordId}/retry`, tokenA, {});
    expect(illegal).toMatchObject({ status: 409, json: { error: { code: 'illegal_transition' } } });
    const uncancelled = await api('POST', `/v1/sync-records/${recordId}/uncancel`, tokenA, {});
    expect(uncancelled).toMatchObject({ status: 200, json: { state: 'queued' } });
    // The un-cancel queued a job: the worker runs it again (and the processor fails it again).
    await waitFor(async () => ((await api('GET', `/v1/sync-records/${recordId}`, tokenA)).json.attemptCount === 2 ? true : undefined), 15_000, 'second attempt');
    await waitFor(async () => ((await api('GET', `/v1/sync-records/${recordId}`, tokenA)).json.state === 'failed' ? true : undefined), 15_000, 'failed again');
    const retried = await api('POST', `/v1/sync-records/${recordId}/retry`, tokenA, {});
    expect(retried).toMatchObject({ status: 200, json: { state: 'queued' } });
  }, 40_000);

  it('scopes every query to the token\'s tenant: another tenant sees nothing and cannot act', async () => {
    expect((await api('GET', '/v1/connections', tokenB)).json.items).toEqual([]);
    expect((await api('GET', `/v1/connections/${connectionId}`, tokenB)).status).toBe(404);
    expect((await api('GET', `/v1/channels/${channelId}`, tokenB)).status).toBe(404);
    expect((await api('GET', `/v1/sync-records/${recordId}`, tokenB)).status).toBe(404);
    expect((await api('GET', '/v1/sync-records', tokenB)).json.items).toEqual([]);
    expect((await api('POST', `/v1/sync-records/${recordId}/cancel`, tokenB, {})).status).toBe(404);
    expect((await api('PATCH', `/v1/channels/${channelId}`, tokenB, { name: 'stolen' })).status).toBe(404);
    const channelB = await api('POST', '/v1/channels', tokenB, { kind: 'loop', name: 'B', connectionId });
    expect(channelB).toMatchObject({ status: 404, json: { error: { code: 'connection_not_found' } } });
  });

  it('serves the OpenAPI document generated from the same zod route specs', async () => {
    const res = await fetch(`${mw.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/v1/connections', '/v1/connections/{id}', '/v1/channels/{id}', '/v1/sync-records', '/v1/exceptions', '/v1/sync-records/{id}/uncancel']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths['/v1/connections'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['name', 'accountId', 'authKind', 'credentials']),
    );
  });

  it('updates channel secrets by merge and removal, and keeps them out of logs', async () => {
    const res = await api('PATCH', `/v1/channels/${channelId}`, tokenA, { secrets: { accessToken: 'shpat_' + 'a'.repeat(20) } });
    expect(res.json.secretsSet).toEqual(['accessToken', 'webhookSecret']);
    const removed = await api('PATCH', `/v1/channels/${channelId}`, tokenA, { secrets: { accessToken: null } });
    expect(removed.json.secretsSet).toEqual(['webhookSecret']);
    for (const secret of [WEBHOOK_SECRET, TBA.consumerSecret, TBA.tokenSecret, 'shpat_' + 'a'.repeat(20)]) expect(logs.text).not.toContain(secret);
  });
});
