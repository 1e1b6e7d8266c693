/**
 * Reading a sync record's stored event as a canonical refund, per source: Shopify refunds/create webhooks (the
 * order is fetched for its currency, tax mode and SKUs), and refunds the middleware itself found by polling or on
 * demand (Magento credit memos, eBay and Amazon refunds, retrieve-by-order), stored already canonical.
 */
import type { CanonicalRefund } from '../../../core/refunds';
import { mapRefund as mapShopifyRefund, shopifyRefund, refundMarker as shopifyMarker } from '../../connectors/shopify';
import { parsePayload } from '../../connectors/shared/parse';
import type { ChannelRow } from '../../store/sql/channels';
import { FlowError } from '../../ports/netsuite';
import { accountOf } from './settings';
import type { StorefrontPort } from '../../ports/platforms';

export { ORDER_IMPORT_TOPIC } from '../../ports/storefront-orders';

/** Topic of events the middleware stores itself for refunds it found (body: ImportedRefundEvent). */
export const IMPORTED_REFUND_TOPIC = 'ledgerbridge/refund.import';

export interface ImportedRefundEvent {
  refund: CanonicalRefund;
  /** How it was found: 'poll' or 'retrieve'. */
  via: string;
}

export interface SourcedRefund {
  refund: CanonicalRefund;
  /** Set when the refund was made by Ledgerbridge from a NetSuite record (the marker it carries). */
  echoOf: string | null;
}

const MARKER = /\[ledgerbridge:([^\]]+)\]/;

export async function shopifyRefundFromWebhook(channel: ChannelRow, body: string, storefronts: StorefrontPort): Promise<SourcedRefund> {
  const parsed = parsePayload(shopifyRefund, body, 'Shopify refunds/create webhook');
  if (!parsed.ok) throw new FlowError(parsed.error.code, parsed.error.message, false);
  const raw = parsed.value;
  const client = storefronts.shopify(channel);
  let context: Parameters<typeof mapShopifyRefund>[1] = { account: accountOf('shopify', channel.id, channel.settings) };
  if (client) {
    // The webhook does not say whether prices include tax or which currency the order is in: the order does.
    const order = await client.getOrder(raw.order_id);
    if (!order.ok) throw new FlowError(`shopify_${order.error.code}`, `Reading Shopify order ${raw.order_id}: ${order.error.message}`, order.error.retryable);
    context = {
      ...context,
      currency: order.value.currency,
      taxesIncluded: order.value.taxes_included,
      skuByLineItemId: new Map(order.value.line_items.map((l) => [l.id, l.sku ?? ''])),
    };
  }
  const mapped = mapShopifyRefund(raw, context);
  if (!mapped.ok) throw new FlowError(mapped.error.code, mapped.error.message, false);
  const marker = MARKER.exec(raw.note ?? '');
  return { refund: mapped.value, echoOf: marker ? (marker[1] ?? null) : null };
}

export function importedRefund(body: string): SourcedRefund {
  const event = JSON.parse(body) as ImportedRefundEvent;
  const marker = MARKER.exec(event.refund.note ?? '');
  return { refund: event.refund, echoOf: marker ? (marker[1] ?? null) : null };
}

export { shopifyMarker };
