/**
 * Reads one order's refunds from its platform as canonical refunds (retrieve-by-order, "why didn't this sync?"):
 * Shopify refunds of the order, Magento credit memos of the order, eBay order refunds (with the ones its API
 * cannot read, reported with the explanation), Amazon refund events of the order.
 */
import type { CanonicalRefund } from '../../../core/refunds';
import type { Platform } from '../../../core/orders';
import { mapRefund as mapShopifyRefund } from '../../connectors/shopify';
import { mapCreditMemo } from '../../connectors/magento';
import { mapOrderRefunds, type UnreadableRefund } from '../../connectors/ebay';
import { mapRefundEvent } from '../../connectors/amazon';
import type { ChannelRow } from '../../store/sql/channels';
import { platformValue, storefrontClient } from '../../ports/storefront-orders';
import { accountOf } from './settings';
import type { StorefrontPort } from '../../ports/platforms';

export interface PlatformOrderRefunds {
  refunds: CanonicalRefund[];
  unreadable: UnreadableRefund[];
}

export async function fetchOrderRefunds(channel: ChannelRow, orderId: string, storefronts: StorefrontPort): Promise<PlatformOrderRefunds> {
  const platform = channel.kind as Platform;
  const account = accountOf(platform, channel.id, channel.settings);
  switch (platform) {
    case 'shopify': {
      const client = storefrontClient(storefronts.shopify(channel), channel);
      const order = platformValue(await client.getOrder(orderId), `Shopify order ${orderId}`);
      const refunds = platformValue(await client.listRefunds(orderId), `Shopify refunds of order ${orderId}`);
      const skus = new Map(order.line_items.map((l) => [l.id, l.sku ?? '']));
      return {
        refunds: refunds.map((r) => platformValue(mapShopifyRefund(r, { account, currency: order.currency, taxesIncluded: order.taxes_included, skuByLineItemId: skus }), `Shopify refund ${r.id}`)),
        unreadable: [],
      };
    }
    case 'magento': {
      const client = storefrontClient(storefronts.magento(channel), channel);
      const memos = platformValue(await client.creditMemosForOrder(orderId), `Magento credit memos of order ${orderId}`);
      return { refunds: memos.map((m) => platformValue(mapCreditMemo(m, { account }), `Magento credit memo ${m.entity_id}`)), unreadable: [] };
    }
    case 'ebay': {
      const client = storefrontClient(storefronts.ebay(channel), channel);
      const order = platformValue(await client.getOrder(orderId), `eBay order ${orderId}`);
      return platformValue(mapOrderRefunds(order, account), `eBay order ${orderId}`);
    }
    case 'amazon': {
      const client = storefrontClient(storefronts.amazon(channel), channel);
      const events = platformValue(await client.listFinancialEventsByOrderId(orderId), `Amazon financial events of order ${orderId}`);
      const list = events.payload.FinancialEvents.RefundEventList ?? [];
      return { refunds: list.map((e) => platformValue(mapRefundEvent(e, account), `Amazon refund event of order ${orderId}`)), unreadable: [] };
    }
  }
}
