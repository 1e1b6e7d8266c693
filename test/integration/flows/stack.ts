/**
 * The refund flow's test stack, one per test file: a local NetSuite account (default sandbox seed) behind its HTTP
 * host, a real middleware on 127.0.0.1 (PGlite in memory, workers on), a tenant with a NetSuite connection, and
 * simulated Shopify (and optionally Magento) stores whose signed webhooks reach the middleware.
 */
import { randomBytes } from 'node:crypto';
import { createLocalAccount, type LocalAccount } from '../../../emulator';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type RunningNetSuiteHost, type NetSuiteHost } from '../../../emulator/http';
import { loadSeed, parseSeed, seedSandbox, defaultSandboxSeed, type SeedResult } from '../../../emulator/seed';
import { orderExternalId } from '../../../core/refunds';
import { startShopifySimulator, type ShopifySimulator, type SimOrder } from '../../../middleware/simulators/shopify';
import { ensureTenant } from '../../../middleware/store/sql/tenants';
import { createChannel, createConnection } from '../../../middleware/tenancy/tenancy-service';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import type { RefundFlowOptions } from '../../../middleware/flows/refunds';
import { startTestMiddleware, type Json } from '../middleware/harness';

export const ACCOUNT_ID = 'TSTDRV0000001';
export const TENANT = 'tenant-refunds';

export interface Stack {
  account: LocalAccount;
  seeded: SeedResult;
  host: NetSuiteHost;
  netsuite: RunningNetSuiteHost;
  mw: RunningMiddleware;
  connectionId: string;
  shopify: ShopifySimulator;
  shopifyChannelId: string;
  partner: { token: string };
  close(): Promise<void>;
}

export async function startStack(
  options: { shopifySettings?: (seeded: SeedResult) => Record<string, unknown>; concurrencyLimit?: number; /** The refund flow's sweep options (outbox restart). */ sweep?: RefundFlowOptions['sweep'] } = {},
): Promise<Stack> {
  const account = createLocalAccount({ accountId: ACCOUNT_ID });
  const seeded = seedSandbox(account.engine);
  const creds = generateSandboxCredentials();
  const host = createNetSuiteHost({ accountId: ACCOUNT_ID, runner: account.restlets, records: account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: options.concurrencyLimit ?? 5 });
  const netsuite = await host.listen(0, '127.0.0.1');
  const { mw } = await startTestMiddleware({ logLevel: 'warn', refunds: { netsuite: { restletBaseUrls: { [ACCOUNT_ID]: netsuite.url } }, ...(options.sweep ? { sweep: options.sweep } : {}) } });
  await ensureTenant(mw.db, { id: TENANT, name: TENANT });
  const connection = await createConnection(mw.db, mw.secretBox, TENANT, { name: 'Local account', accountId: ACCOUNT_ID, authKind: 'tba', credentials: creds.tba });
  if (!connection.ok) throw new Error(connection.error.message);
  const shopify = await startShopifySimulator({ seedSampleOrders: false, webhookSecret: randomBytes(24).toString('hex') });
  const channel = await createChannel(mw.db, mw.secretBox, TENANT, {
    kind: 'shopify',
    name: 'Shop',
    connectionId: connection.value.id,
    settings: { shopDomain: shopify.shopDomain, refundDirection: 'platform_to_netsuite', ...options.shopifySettings?.(seeded) },
    secrets: { webhookSecret: shopify.webhookSecret, accessToken: shopify.accessToken },
  });
  if (!channel.ok) throw new Error(channel.error.message);
  mw.refunds.storefronts.setBaseUrl(channel.value.id, shopify.url);
  shopify.setWebhookUrl(`${mw.url}/webhooks/shopify/${channel.value.id}`);
  const client = await mw.partners.createClient(TENANT, ['channels:read', 'channels:write', 'sync:read', 'sync:write']);
  const tokenRes = await fetch(`${mw.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  return {
    account,
    seeded,
    host,
    netsuite,
    mw,
    connectionId: connection.value.id,
    shopify,
    shopifyChannelId: channel.value.id,
    partner: { token },
    async close() {
      await mw.close();
      await netsuite.close();
      await shopify.close();
      await account.close();
    },
  };
}

/**
 * A simulated Shopify order and the same order in NetSuite (a sales order with our externalId and the Shopify id
 * in otherrefnum), billed as asked. Prices are the seed items' own (the default sandbox seed).
 */
export function shopifyOrderInNetSuite(
  stack: Stack,
  order: { lines: { sku: string; quantity: number; price: string; taxRateBps?: number }[]; shipping?: string; currency?: string; taxesIncluded?: boolean },
  billing: 'cashsale' | 'invoice' | 'invoice_paid' | 'deposit' | 'none',
  options: { customer?: string; depositAmount?: string; customers?: unknown[]; /** An order already in the store (it lands in NetSuite later). */ sim?: SimOrder } = {},
): { sim: SimOrder; salesOrderId: string; billingId: string | null } {
  const sim = options.sim ?? stack.shopify.createOrder({ currency: order.currency ?? 'USD', taxesIncluded: order.taxesIncluded ?? false, lines: order.lines, ...(order.shipping ? { shipping: order.shipping } : {}) });
  const externalId = orderExternalId('shopify', stack.shopify.shopDomain, sim.id);
  const lines = order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, price: l.price }));
  if (order.shipping) lines.push({ sku: 'SHIPPING', quantity: 1, price: order.shipping });
  const seed = parseSeed(
    {
      ...(options.customers ? { customers: options.customers } : {}),
      orders: [
        {
          externalId,
          storefrontOrderId: sim.id,
          customer: options.customer ?? (order.currency === 'EUR' ? 'sandbox-cust-berlin' : 'sandbox-cust-acme'),
          ...(order.currency && order.currency !== 'USD' ? { currency: order.currency } : {}),
          billing: billing === 'cashsale' ? 'cashsale' : billing.startsWith('invoice') ? 'invoice' : 'none',
          ...(billing === 'invoice_paid' ? { paid: true } : {}),
          ...(billing === 'deposit' ? { customerDeposit: { amount: options.depositAmount ?? '500.00' } } : {}),
          lines,
        },
      ],
    },
    defaultSandboxSeed(),
  );
  const seeded = loadSeed(stack.account.engine, seed).orders[externalId];
  if (!seeded) throw new Error('order not seeded');
  return { sim, salesOrderId: seeded.salesOrder, billingId: seeded.cashSale ?? seeded.invoice ?? seeded.customerDeposit ?? null };
}

export async function api(stack: Stack, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${stack.mw.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.partner.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

/** Records of `type` in the local account whose externalId is `externalId`. */
export function recordsByExternalId(account: LocalAccount, type: string, externalId: string): string[] {
  return account.engine
    .search({ type, filters: [['externalid', 'anyof', externalId], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] })
    .map((r) => String(r.id));
}

export async function syncRecordState(stack: Stack, id: string): Promise<{ state: string; state_code: string | null; state_message: string | null }> {
  const row = (await stack.mw.db.query<{ state: string; state_code: string | null; state_message: string | null }>('select state, state_code, state_message from lb_sync_records where id = $1', [id])).rows[0];
  if (!row) throw new Error(`no sync record ${id}`);
  return row;
}

export async function waitForState(stack: Stack, id: string, states: string[], timeoutMs = 15_000): Promise<{ state: string; state_code: string | null; state_message: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await syncRecordState(stack, id);
    if (states.includes(row.state)) return row;
    if (Date.now() > deadline) throw new Error(`sync record ${id} stayed ${row.state} (${row.state_code}: ${row.state_message})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Adds a storefront channel on the stack's NetSuite connection, pointed at a simulator. */
export async function addChannel(stack: Stack, kind: 'magento' | 'ebay' | 'amazon', settings: Record<string, unknown>, secrets: Record<string, unknown>, simulatorUrl: string): Promise<string> {
  const channel = await createChannel(stack.mw.db, stack.mw.secretBox, TENANT, { kind, name: kind, connectionId: stack.connectionId, settings, secrets });
  if (!channel.ok) throw new Error(channel.error.message);
  stack.mw.refunds.storefronts.setBaseUrl(channel.value.id, simulatorUrl);
  return channel.value.id;
}

/** An order already in NetSuite (synced by "another connector"): the platform order id in otherrefnum. */
export function netsuiteOrder(
  stack: Stack,
  storefrontOrderId: string,
  lines: { sku: string; quantity: number; price: string }[],
  billing: 'cashsale' | 'invoice' | 'none',
  options: { currency?: string; paid?: boolean } = {},
): { salesOrderId: string; billingId: string | null } {
  const externalId = `other-connector-${storefrontOrderId}`;
  const seed = parseSeed(
    {
      orders: [
        {
          externalId,
          storefrontOrderId,
          customer: options.currency === 'EUR' ? 'sandbox-cust-berlin' : 'sandbox-cust-jane',
          ...(options.currency && options.currency !== 'USD' ? { currency: options.currency } : {}),
          billing,
          ...(options.paid ? { paid: true } : {}),
          lines,
        },
      ],
    },
    defaultSandboxSeed(),
  );
  const seeded = loadSeed(stack.account.engine, seed).orders[externalId];
  if (!seeded) throw new Error('order not seeded');
  return { salesOrderId: seeded.salesOrder, billingId: seeded.cashSale ?? seeded.invoice ?? null };
}

export async function syncRecordsByTopic(stack: Stack, channelId: string, topic: string): Promise<Array<{ id: string; state: string; state_code: string | null; state_message: string | null; body: string }>> {
  return (
    await stack.mw.db.query<{ id: string; state: string; state_code: string | null; state_message: string | null; body: string }>(
      'select s.id, s.state, s.state_code, s.state_message, e.body from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where s.channel_id = $1 and s.topic = $2 order by s.created_at',
      [channelId, topic],
    )
  ).rows;
}
