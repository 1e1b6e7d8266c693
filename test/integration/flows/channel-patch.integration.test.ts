/**
 * PATCH /v1/channels/:id over real HTTP: settings and secrets are JSON Merge Patches (RFC 7396) of what is
 * stored; the merged settings are validated whole with the kind's schema.
 */
import { randomBytes } from 'node:crypto';
import { startTestMiddleware, type Json } from '../middleware/harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { ensureTenant } from '../../../middleware/store/sql/tenants';
import { openChannelSecrets } from '../../../middleware/tenancy/tenancy-service';
import { getChannel } from '../../../middleware/store/sql/channels';

let mw: RunningMiddleware;
let bearer: string;
let channelId: string;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${mw.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Json };
}

const WEBHOOK_SECRET = 'whs-' + randomBytes(16).toString('hex');

jest.setTimeout(30_000);

beforeAll(async () => {
  ({ mw } = await startTestMiddleware({ workers: false, logLevel: 'warn' }));
  await ensureTenant(mw.db, { id: 'tenant-patch', name: 'tenant-patch' });
  const client = await mw.partners.createClient('tenant-patch', ['channels:read', 'channels:write']);
  const res = await fetch(`${mw.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
  });
  bearer = ((await res.json()) as { access_token: string }).access_token;
  const created = await api('POST', '/v1/channels', {
    kind: 'shopify',
    name: 'Shop',
    settings: {
      shopDomain: 'patch-shop.myshopify.com',
      apiVersion: '2025-01',
      refundDirection: 'netsuite_to_platform',
      refunds: { adjustmentItem: 'ADJ', shippingItem: 'SHIP', storefrontLocations: { '1': 'gid-1', '2': 'gid-2' } },
    },
    secrets: { webhookSecret: WEBHOOK_SECRET, accessToken: 'shpat-first' },
  });
  expect(created.status).toBe(201);
  channelId = created.json.id as string;
});

afterAll(async () => {
  await mw?.close();
});

test('one setting sent: the others survive, nested objects merge', async () => {
  const patched = await api('PATCH', `/v1/channels/${channelId}`, { settings: { refunds: { shippingItem: 'SHIP-2' } } });
  expect(patched.status).toBe(200);
  expect(patched.json.settings).toEqual({
    shopDomain: 'patch-shop.myshopify.com',
    apiVersion: '2025-01',
    refundDirection: 'netsuite_to_platform',
    refunds: { adjustmentItem: 'ADJ', shippingItem: 'SHIP-2', storefrontLocations: { '1': 'gid-1', '2': 'gid-2' } },
  });
  expect((await api('GET', `/v1/channels/${channelId}`)).json.settings.refunds.shippingItem).toBe('SHIP-2');
});

test('null removes a key (top level and nested); objects inside merge key by key', async () => {
  const patched = await api('PATCH', `/v1/channels/${channelId}`, { settings: { apiVersion: null, refunds: { adjustmentItem: null, storefrontLocations: { '2': null, '3': 'gid-3' } } } });
  expect(patched.status).toBe(200);
  expect(patched.json.settings).toEqual({
    shopDomain: 'patch-shop.myshopify.com',
    refundDirection: 'netsuite_to_platform',
    refunds: { shippingItem: 'SHIP-2', storefrontLocations: { '1': 'gid-1', '3': 'gid-3' } },
  });
});

test('the merged result is validated with the kind schema: 400 naming what is wrong, nothing stored', async () => {
  const bad = await api('PATCH', `/v1/channels/${channelId}`, { settings: { refunds: { parkedMaxAgeHours: -5 } } });
  expect(bad.status).toBe(400);
  expect(bad.json.error.code).toBe('invalid_settings');
  expect(bad.json.error.message).toContain('refunds.parkedMaxAgeHours');
  // A required key removed by null leaves settings the schema refuses.
  const missing = await api('PATCH', `/v1/channels/${channelId}`, { settings: { shopDomain: null } });
  expect(missing).toMatchObject({ status: 400, json: { error: { code: 'invalid_settings' } } });
  expect(missing.json.error.message).toContain('shopDomain');
  const direction = await api('PATCH', `/v1/channels/${channelId}`, { settings: { refundDirection: 'storefront_to_netsuite' } });
  expect(direction).toMatchObject({ status: 400, json: { error: { code: 'invalid_settings' } } });
  expect((await api('GET', `/v1/channels/${channelId}`)).json.settings.refunds).toEqual({ shippingItem: 'SHIP-2', storefrontLocations: { '1': 'gid-1', '3': 'gid-3' } });
});

test('secrets merge by key, null removes one, and none is echoed', async () => {
  const patched = await api('PATCH', `/v1/channels/${channelId}`, { secrets: { accessToken: 'shpat-second' } });
  expect(patched.status).toBe(200);
  expect(JSON.stringify(patched.json)).not.toContain('shpat-second');
  expect(JSON.stringify(patched.json)).not.toContain(WEBHOOK_SECRET);
  const stored = async () => openChannelSecrets(mw.secretBox, (await getChannel(mw.db, 'tenant-patch', channelId))!);
  expect(await stored()).toEqual({ webhookSecret: WEBHOOK_SECRET, accessToken: 'shpat-second' });
  expect((await api('PATCH', `/v1/channels/${channelId}`, { secrets: { accessToken: null } })).status).toBe(200);
  expect(await stored()).toEqual({ webhookSecret: WEBHOOK_SECRET });
});
