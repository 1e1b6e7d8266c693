/**
 * Reads one order's refunds from its platform as canonical refunds (retrieve-by-order, "why didn't this sync?"):
 * Shopify refunds of the order, Magento credit memos of the order, eBay order refunds (with the ones its API
 * cannot read, reported with the explanation), Amazon refund events of the order.
 */
import type { CanonicalRefund } from '../../../core/refunds';
import type { CanonicalOrder, Platform } from '../../../core/orders';
import { mapOrder as mapShopifyOrder, mapRefund as mapShopifyRefund } from '../../connectors/shopify';
import { mapCreditMemo, mapOrder as mapMagentoOrder } from '../../connectors/magento';
import { mapOrder as mapEbayOrder, mapOrderRefunds, type UnreadableRefund } from '../../connectors/ebay';
import { mapRefundEvent, mapShipmentEventToOrder } from '../../connectors/amazon';
import type { ChannelRow } from '../../store/sql/channels';
import { FlowError } from '../../ports/netsuite';
import { accountOf } from './settings';
import type { StorefrontPort } from '../../ports/platforms';

export interface PlatformOrderRefunds {
  refunds: CanonicalRefund[];
  unreadable: UnreadableRefund[];
}

function need<T>(client: T | null, channel: ChannelRow): T {
  if (!client) throw new FlowError('storefront_not_configured', `Channel ${channel.id} has no API access configured (secrets.accessToken).`, false);
  return client;
}

function check<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string; retryable: boolean } }, what: string): T {
  if (!r.ok) throw new FlowError(r.error.code === 'not_found' ? 'platform_order_not_found' : `platform_${r.error.code}`, `${what}: ${r.error.message}`, r.error.retryable);
  return r.value;
}

export async function fetchOrderRefunds(channel: ChannelRow, orderId: string, storefronts: StorefrontPort): Promise<PlatformOrderRefunds> {
  const platform = channel.kind as Platform;
  const account = accountOf(platform, channel.id, channel.settings);
  switch (platform) {
    case 'shopify': {
      const client = need(storefronts.shopify(channel), channel);
      const order = check(await client.getOrder(orderId), `Shopify order ${orderId}`);
      const refunds = check(await client.listRefunds(orderId), `Shopify refunds of order ${orderId}`);
      const skus = new Map(order.line_items.map((l) => [l.id, l.sku ?? '']));
      return {
        refunds: refunds.map((r) => check(mapShopifyRefund(r, { account, currency: order.currency, taxesIncluded: order.taxes_included, skuByLineItemId: skus }), `Shopify refund ${r.id}`)),
        unreadable: [],
      };
    }
    case 'magento': {
      const client = need(storefronts.magento(channel), channel);
      const memos = check(await client.creditMemosForOrder(orderId), `Magento credit memos of order ${orderId}`);
      return { refunds: memos.map((m) => check(mapCreditMemo(m, { account }), `Magento credit memo ${m.entity_id}`)), unreadable: [] };
    }
    case 'ebay': {
      const client = need(storefronts.ebay(channel), channel);
      const order = check(await client.getOrder(orderId), `eBay order ${orderId}`);
      return check(mapOrderRefunds(order, account), `eBay order ${orderId}`);
    }
    case 'amazon': {
      const client = need(storefronts.amazon(channel), channel);
      const events = check(await client.listFinancialEventsByOrderId(orderId), `Amazon financial events of order ${orderId}`);
      const list = events.payload.FinancialEvents.RefundEventList ?? [];
      return { refunds: list.map((e) => check(mapRefundEvent(e, account), `Amazon refund event of order ${orderId}`)), unreadable: [] };
    }
  }
}

/**
 * Reads one order from its platform as a canonical order (import on demand, or when a refund arrives before its
 * order): the Shopify order, the Magento order, the eBay order, or Amazon's shipment event of the order (the
 * Finances API is what the flow reads from Amazon).
 */
export async function fetchCanonicalOrder(channel: ChannelRow, orderId: string, storefronts: StorefrontPort): Promise<CanonicalOrder> {
  const platform = channel.kind as Platform;
  const account = accountOf(platform, channel.id, channel.settings);
  switch (platform) {
    case 'shopify':
      return check(mapShopifyOrder(check(await need(storefronts.shopify(channel), channel).getOrder(orderId), `Shopify order ${orderId}`), account), `Shopify order ${orderId}`);
    case 'magento':
      return check(mapMagentoOrder(check(await need(storefronts.magento(channel), channel).getOrder(orderId), `Magento order ${orderId}`), account), `Magento order ${orderId}`);
    case 'ebay':
      return check(mapEbayOrder(check(await need(storefronts.ebay(channel), channel).getOrder(orderId), `eBay order ${orderId}`), account), `eBay order ${orderId}`);
    case 'amazon': {
      const events = check(await need(storefronts.amazon(channel), channel).listFinancialEventsByOrderId(orderId), `Amazon financial events of order ${orderId}`);
      const shipment = events.payload.FinancialEvents.ShipmentEventList?.[0];
      if (!shipment) throw new FlowError('platform_order_not_found', `Amazon has no shipment event for order ${orderId} yet; it is imported once Amazon posts one.`, true);
      return check(mapShipmentEventToOrder(shipment, account), `Amazon order ${orderId}`);
    }
  }
}
