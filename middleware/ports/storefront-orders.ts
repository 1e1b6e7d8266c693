/**
 * Storefront orders as every flow reads them: the storefront channel a partner call names, one order read from its
 * platform as a canonical order, and an order queued for import (on demand, or for a refund that arrived first).
 * Shared by the order import flow and the refund flow, so neither imports the other.
 */
import type { CanonicalOrder, Platform } from '../../core/orders';
import { mapOrder as mapShopifyOrder } from '../connectors/shopify';
import { mapOrder as mapMagentoOrder } from '../connectors/magento';
import { mapOrder as mapEbayOrder } from '../connectors/ebay';
import { mapShipmentEventToOrder } from '../connectors/amazon';
import type { Db } from '../store/db';
import type { JobQueue } from '../jobs/job-queue';
import { getChannel, type ChannelRow } from '../store/sql/channels';
import { acceptEvent } from '../sync/sync-service';
import { FlowError } from './netsuite';
import { accountOf } from './order-import-settings';
import type { StorefrontPort } from './platforms';

/** Topic of orders the middleware fetched itself to import (body: { order: CanonicalOrder, via }); the order import flow processes it. */
export const ORDER_IMPORT_TOPIC = 'ledgerbridge/order.import';

const STOREFRONT_KINDS: readonly string[] = ['shopify', 'magento', 'amazon', 'ebay'];

export function isStorefrontKind(kind: string): kind is Platform {
  return STOREFRONT_KINDS.includes(kind);
}

/** The tenant's storefront channel with a NetSuite connection, or a FlowError saying which of the three it lacks. */
export async function storefrontChannel(db: Db, tenantId: string, channelId: string): Promise<ChannelRow & { kind: Platform }> {
  const channel = await getChannel(db, tenantId, channelId);
  if (!channel) throw new FlowError('channel_not_found', 'No channel with this id.', false);
  if (!isStorefrontKind(channel.kind)) throw new FlowError('not_a_storefront', `A ${channel.kind} channel has no refunds to sync.`, false);
  if (!channel.connection_id) throw new FlowError('connection_not_set', 'This channel has no NetSuite connection.', false);
  return channel as ChannelRow & { kind: Platform };
}

/** The channel's platform client, or storefront_not_configured when the channel has no API access. */
export function storefrontClient<T>(client: T | null, channel: ChannelRow): T {
  if (!client) throw new FlowError('storefront_not_configured', `Channel ${channel.id} has no API access configured (secrets.accessToken).`, false);
  return client;
}

/** A platform call's or a reader's result, or its error as a FlowError (not_found: platform_order_not_found). */
export function platformValue<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string; retryable: boolean } }, what: string): T {
  if (!r.ok) throw new FlowError(r.error.code === 'not_found' ? 'platform_order_not_found' : `platform_${r.error.code}`, `${what}: ${r.error.message}`, r.error.retryable);
  return r.value;
}

/**
 * Reads one order from its platform as a canonical order (import on demand, or when a refund arrives before its
 * order): the Shopify order, the Magento order, the eBay order, or Amazon's shipment event of the order (the
 * Finances API is what the flows read from Amazon).
 */
export async function fetchCanonicalOrder(channel: ChannelRow, orderId: string, storefronts: StorefrontPort): Promise<CanonicalOrder> {
  const platform = channel.kind as Platform;
  const account = accountOf(platform, channel.id, channel.settings);
  switch (platform) {
    case 'shopify':
      return platformValue(mapShopifyOrder(platformValue(await storefrontClient(storefronts.shopify(channel), channel).getOrder(orderId), `Shopify order ${orderId}`), account), `Shopify order ${orderId}`);
    case 'magento':
      return platformValue(mapMagentoOrder(platformValue(await storefrontClient(storefronts.magento(channel), channel).getOrder(orderId), `Magento order ${orderId}`), account), `Magento order ${orderId}`);
    case 'ebay':
      return platformValue(mapEbayOrder(platformValue(await storefrontClient(storefronts.ebay(channel), channel).getOrder(orderId), `eBay order ${orderId}`), account), `eBay order ${orderId}`);
    case 'amazon': {
      const events = platformValue(await storefrontClient(storefronts.amazon(channel), channel).listFinancialEventsByOrderId(orderId), `Amazon financial events of order ${orderId}`);
      const shipment = events.payload.FinancialEvents.ShipmentEventList?.[0];
      if (!shipment) throw new FlowError('platform_order_not_found', `Amazon has no shipment event for order ${orderId} yet; it is imported once Amazon posts one.`, true);
      return platformValue(mapShipmentEventToOrder(shipment, account), `Amazon order ${orderId}`);
    }
  }
}

/** Stores an order the middleware fetched (on demand, or for a refund that came first) as an import, deduped per order. */
export async function queueOrderImport(db: Db, jobs: JobQueue, channel: ChannelRow, order: CanonicalOrder, via: string) {
  return acceptEvent(db, jobs, {
    tenantId: channel.tenant_id,
    channelId: channel.id,
    platformEventId: `order:${order.orderId}`,
    topic: ORDER_IMPORT_TOPIC,
    externalKey: `${channel.kind}:${channel.id}:order:${order.orderId}`,
    headers: {},
    body: JSON.stringify({ order, via }),
  });
}
