/**
 * eBay Sell Fulfillment API (v1) payloads we use: getOrder / getOrders (paymentSummary.refunds, lineItems[].refunds,
 * pricingSummary) and issueRefund. Amounts are {value: decimal string, currency}.
 */
import { z } from 'zod';

export const ebayAmount = z.object({ value: z.string(), currency: z.string() });

export const ebayRefund = z.object({
  refundId: z.string().optional(),
  refundReferenceId: z.string().optional(),
  refundDate: z.string().optional(),
  /** FAILED | PENDING | REFUNDED */
  refundStatus: z.string().optional(),
  amount: ebayAmount,
});
export type EbayRefund = z.output<typeof ebayRefund>;

export const ebayLineItem = z.object({
  lineItemId: z.string(),
  legacyItemId: z.string().optional(),
  sku: z.string().optional(),
  title: z.string().optional(),
  quantity: z.number().int().nonnegative(),
  lineItemCost: ebayAmount,
  total: ebayAmount.optional(),
  refunds: z.array(ebayRefund).optional(),
});

export const ebayOrder = z.object({
  orderId: z.string(),
  legacyOrderId: z.string().optional(),
  creationDate: z.string(),
  lastModifiedDate: z.string().optional(),
  /** FAILED | FULLY_REFUNDED | PAID | PARTIALLY_REFUNDED | PENDING */
  orderPaymentStatus: z.string(),
  buyer: z.object({ username: z.string().optional(), buyerRegistrationAddress: z.object({ email: z.string().optional(), fullName: z.string().optional() }).optional() }).optional(),
  pricingSummary: z.object({
    priceSubtotal: ebayAmount.optional(),
    deliveryCost: ebayAmount.optional(),
    tax: ebayAmount.optional(),
    total: ebayAmount,
  }),
  paymentSummary: z.object({ refunds: z.array(ebayRefund).default([]) }).default({ refunds: [] }),
  lineItems: z.array(ebayLineItem),
});
export type EbayOrder = z.output<typeof ebayOrder>;

export const ebayOrderSearch = z.object({
  orders: z.array(ebayOrder).default([]),
  total: z.number().int().optional(),
  limit: z.number().int().optional(),
  offset: z.number().int().optional(),
  next: z.string().optional(),
});

export const ebayIssueRefundResponse = z.object({ refundId: z.string().optional(), refundStatus: z.string() });
