/**
 * The conformance suite's helpers, on top of the refund flow's stack (../flows/stack.ts): the platforms' published
 * payloads (test/fixtures/conformance) driven through the real intake, the real processor and the local NetSuite
 * account. Orders the published refunds belong to are seeded in the local account the way the order import (or
 * another order connector) leaves them: a sales order with the platform order id, billed as the test asks, its lines
 * the published order's SKUs and prices.
 */
import { randomBytes } from 'node:crypto';
import { loadSeed, parseSeed, defaultSandboxSeed } from '../../../emulator/seed';
import { orderExternalId } from '../../../core/refunds';
import type { Platform } from '../../../core/orders';
import { createChannel } from '../../../middleware/tenancy/tenancy-service';
import { recordsByExternalId, TENANT, type Stack } from '../flows/stack';
import { minorUnits } from '../../fixtures/conformance/load';
import { signedShopifyDelivery } from '../../fixtures/conformance/shopify-webhooks';
import type { ShopifySimulator } from '../../../middleware/simulators/shopify';

export type Billing = 'cashsale' | 'invoice' | 'invoice_paid';

export interface SeededOrder {
  salesOrderId: string;
  billingId: string | null;
}

/** Items the published payloads name that the default sandbox seed lacks (non-inventory: no stock to move). */
function missingItems(items: ReadonlyArray<{ sku: string; price: string }>) {
  const seen = new Set(defaultSandboxSeed().items.map((i) => i.sku));
  return items
    .filter((i) => !seen.has(i.sku) && seen.add(i.sku))
    .map((i) => ({ sku: i.sku, name: i.sku, type: 'noninventory' as const, price: i.price }));
}

/**
 * A sales order in the local account for a platform order, as the order import writes it (our externalId for the
 * order, the platform order id in otherrefnum) and billed as asked.
 */
export function seedNetSuiteOrder(
  stack: Stack,
  order: { platform: Platform; account: string; orderId: string; lines: ReadonlyArray<{ sku: string; quantity: number; price: string }>; currency?: string },
  billing: Billing,
): SeededOrder {
  const externalId = orderExternalId(order.platform, order.account, order.orderId);
  const seed = parseSeed(
    {
      items: missingItems(order.lines),
      orders: [
        {
          externalId,
          storefrontOrderId: order.orderId,
          customer: order.currency === 'EUR' ? 'sandbox-cust-berlin' : 'sandbox-cust-acme',
          ...(order.currency && order.currency !== 'USD' ? { currency: order.currency } : {}),
          billing: billing === 'cashsale' ? 'cashsale' : 'invoice',
          ...(billing === 'invoice_paid' ? { paid: true } : {}),
          lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, price: l.price })),
        },
      ],
    },
    defaultSandboxSeed(),
  );
  const result = loadSeed(stack.account.engine, seed);
  for (const [sku, id] of Object.entries(result.items)) stack.seeded.items[sku] = id;
  const seeded = result.orders[externalId];
  if (!seeded) throw new Error(`order ${order.orderId} not seeded`);
  return { salesOrderId: seeded.salesOrder, billingId: seeded.cashSale ?? seeded.invoice ?? null };
}

/** One more Shopify channel on the stack's NetSuite connection (its own shop domain and webhook secret). */
export async function addShopifyChannel(
  stack: Stack,
  shopify: ShopifySimulator,
  shopDomain: string,
  settings: Record<string, unknown> = {},
): Promise<{ channelId: string; shopDomain: string; webhookSecret: string }> {
  const webhookSecret = randomBytes(24).toString('hex');
  const channel = await createChannel(stack.mw.db, stack.mw.secretBox, TENANT, {
    kind: 'shopify',
    name: shopDomain,
    connectionId: stack.connectionId,
    settings: { shopDomain, refundDirection: 'platform_to_netsuite', ...settings },
    secrets: { webhookSecret, accessToken: shopify.accessToken },
  });
  if (!channel.ok) throw new Error(channel.error.message);
  stack.mw.refunds.storefronts.setBaseUrl(channel.value.id, shopify.url);
  return { channelId: channel.value.id, shopDomain, webhookSecret };
}

/** POSTs a raw webhook body to the real intake over HTTP, signed as Shopify signs it. */
export async function deliverShopifyWebhook(
  stack: Stack,
  channel: { channelId: string; shopDomain: string; webhookSecret: string },
  topic: string,
  body: string,
  eventId: string,
): Promise<{ status: number; json: { received?: boolean; duplicate?: boolean; syncRecordId?: string } }> {
  const res = await fetch(`${stack.mw.url}/webhooks/shopify/${channel.channelId}`, {
    method: 'POST',
    headers: signedShopifyDelivery(channel.webhookSecret, body, { topic, shopDomain: channel.shopDomain, eventId }),
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, never>) : {} };
}

/** Every NetSuite record of `type` with this externalId, loaded. */
export function loadByExternalId(stack: Stack, type: string, externalId: string) {
  return recordsByExternalId(stack.account, type, externalId).map((id) => stack.account.engine.load(type, id));
}

/** A NetSuite amount ("85.00", "-329.95") in minor units, by string arithmetic. */
export function netsuiteMinor(value: unknown): number {
  return minorUnits(String(value));
}

/** The sum of minor-unit amounts of the items on a record's item sublist that satisfy `pick`. */
export function lineSum(record: { sublists: Record<string, Array<Record<string, unknown>> | undefined> }, pick: (line: Record<string, unknown>) => boolean): number {
  return (record.sublists.item ?? []).filter(pick).reduce((a, l) => a + netsuiteMinor(l.amount), 0);
}

/** Sync records of one channel (every topic), with their states, oldest first. */
export async function channelSyncRecords(stack: Stack, channelId: string): Promise<Array<{ id: string; topic: string; state: string; state_code: string | null; state_message: string | null }>> {
  return (
    await stack.mw.db.query<{ id: string; topic: string; state: string; state_code: string | null; state_message: string | null }>(
      'select id, topic, state, state_code, state_message from lb_sync_records where channel_id = $1 order by created_at',
      [channelId],
    )
  ).rows;
}
