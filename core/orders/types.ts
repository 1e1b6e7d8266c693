/**
 * Canonical storefront orders: what every connector maps a platform order to. Ids are strings (Shopify ids exceed
 * 2^53); amounts are integer minor units in `currency`.
 */

/** Storefronts and marketplaces refunds are synced with. */
export type Platform = 'shopify' | 'magento' | 'ebay' | 'amazon';

export const PLATFORMS: readonly Platform[] = ['shopify', 'magento', 'ebay', 'amazon'];

export interface CanonicalOrderLine {
  /** The platform's line id (Shopify line_item id, Magento order item id, eBay lineItemId, Amazon OrderItemId). */
  lineId: string;
  sku: string;
  quantity: number;
  /** What the customer paid for the whole line, tax included, after discounts, in minor units. */
  amount: number;
  /** The tax inside `amount`. */
  tax: number;
}

export interface CanonicalOrder {
  platform: Platform;
  /** The storefront account (shop domain, Magento base URL + store, eBay seller, Amazon seller id). */
  account: string;
  orderId: string;
  /** The order's human-facing number where the platform has one (Shopify "#1001", Magento increment id). */
  orderNumber: string;
  currency: string;
  /** True when the platform's prices include tax (VAT-style shops). */
  taxesIncluded: boolean;
  customer: { email: string | null; name: string | null; platformCustomerId: string | null };
  lines: CanonicalOrderLine[];
  /** Shipping charged, tax included, in minor units. */
  shipping: { amount: number; tax: number };
  /** Order total as the platform states it, minor units. */
  total: number;
  /** ISO-8601 time the order was placed. */
  createdAt: string;
}
