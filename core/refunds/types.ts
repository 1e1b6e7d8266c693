/**
 * Canonical refunds: what every connector maps a platform refund to, and what the refund rules take.
 * All amounts are integer minor units in the refund's currency. Line and shipping amounts are GROSS: what the
 * customer gets back for that line including its tax; `tax` says how much of it is tax. That one convention works
 * for tax-exclusive shops (gross = subtotal + tax) and tax-inclusive shops (gross = the tax-inclusive subtotal).
 */
import type { Platform } from '../orders/types';

export type { Platform } from '../orders/types';

export interface CanonicalRefundLine {
  sku: string;
  /** The platform's order line id, when the platform gives one. */
  lineId: string | null;
  quantity: number;
  /** Money for this line, tax included, minor units (>= 0). */
  amount: number;
  /** The tax inside `amount`. */
  tax: number;
  /** True when the goods go back into stock. */
  restock: boolean;
}

/** A platform-stated component of the refund that is neither a line nor shipping (restocking fee, goodwill...). */
export interface CanonicalAdjustment {
  /** Signed minor units: positive refunds more to the customer, negative keeps money back (e.g. restocking fee). */
  amount: number;
  /** Plain-language reason, kept on the NetSuite line's memo. */
  reason: string;
}

export type RefundTransactionStatus = 'success' | 'pending' | 'failure' | 'error';

/** Money that actually moved (or tried to) back to the customer. */
export interface CanonicalRefundTransaction {
  /** Platform transaction id, when there is one. */
  id: string | null;
  /** Minor units, >= 0. */
  amount: number;
  status: RefundTransactionStatus;
  /** Payment gateway or channel ('shopify_payments', 'paypal', 'amazon', 'ebay_managed_payments'...). */
  gateway: string;
}

export interface CanonicalRefund {
  platform: Platform;
  account: string;
  /** The platform's refund id as a string (Shopify refund id, Magento credit memo id, eBay refund id...). */
  refundId: string;
  orderId: string;
  currency: string;
  lines: CanonicalRefundLine[];
  /** Shipping refunded, tax included, and its tax. */
  shipping: { amount: number; tax: number };
  adjustments: CanonicalAdjustment[];
  transactions: CanonicalRefundTransaction[];
  note: string | null;
  /** ISO-8601 time the refund was made on the platform. */
  createdAt: string;
}
