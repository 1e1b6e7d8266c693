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
  /** Unit price before discounts, as the platform lists it (tax included only when `taxesIncluded`). */
  unitPrice?: number;
  /** Discounts the platform allocated to this line (all units), minor units. */
  discount?: number;
  /** The platform's tax lines for this line, as stated. */
  taxLines?: CanonicalTaxLine[];
  /** Import duties charged on this line (cross-border orders), minor units. */
  duties?: number;
  /** Where the platform fulfils this line from, when it says so (e.g. a Shopify fulfillment's location). */
  locationId?: string | null;
}

export interface CanonicalTaxLine {
  title: string | null;
  /** The rate as the platform wrote it (e.g. 0.06), as a decimal string; null when not stated. */
  rate: string | null;
  amount: number;
}

export interface CanonicalShippingLine {
  lineId: string | null;
  title: string | null;
  /** Shipping price before shipping discounts. */
  price: number;
  /** Shipping price after shipping discounts (what the buyer pays, before tax when tax is excluded). */
  discountedPrice: number;
  tax: number;
  taxLines: CanonicalTaxLine[];
}

/** A discount the platform applied to the order (code, automatic, manual, script), as stated. */
export interface CanonicalDiscountApplication {
  type: string | null;
  /** The discount code, title or description, whichever the platform gives. */
  label: string | null;
  valueType: string | null;
  value: string | null;
  targetType: string | null;
  allocationMethod: string | null;
}

/**
 * The order's money as the platform states it, minor units in `currency`, and the parts that reproduce it:
 * total = lineItems - lineDiscounts - orderDiscount + shipping(discounted) + (taxesIncluded ? 0 : tax) + duties + tip.
 */
export interface CanonicalOrderTotals {
  /** Sum of unit price x quantity over the lines, before discounts. */
  lineItems: number;
  /** Discounts allocated to lines. */
  lineDiscounts: number;
  /** Shipping after shipping discounts, tax excluded unless `taxesIncluded`. */
  shipping: number;
  /** Discount applied to shipping (price - discounted price). */
  shippingDiscounts: number;
  /** Discount the platform counts in its total but allocated to no line and no shipping line. */
  orderDiscount: number;
  /** The platform's stated total discounts (lines + shipping + order level). */
  discounts: number;
  /** The platform's stated total tax. */
  tax: number;
  duties: number;
  tip: number;
  /** The platform's stated order total. */
  total: number;
  /** The total after refunds, removals and edits, when the platform states it. */
  currentTotal: number | null;
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
  /** The currency the buyer paid in, when it differs from or is stated beside `currency`. */
  presentmentCurrency?: string | null;
  /** The platform's payment state (Shopify financial_status, Magento state, eBay orderPaymentStatus). */
  financialStatus?: string | null;
  /** ISO-8601 time the order was cancelled; null when it was not. */
  cancelledAt?: string | null;
  cancelReason?: string | null;
  /** The location the platform ties the order to (Shopify location_id, else the first fulfillment's). */
  locationId?: string | null;
  shippingLines?: CanonicalShippingLine[];
  discountApplications?: CanonicalDiscountApplication[];
  totals?: CanonicalOrderTotals;
}
