/**
 * eBay Sell Fulfillment API (v1) payloads we use: getOrder / getOrders (paymentSummary.refunds, lineItems[].refunds,
 * pricingSummary) and issueRefund. Amounts are {value: decimal string, currency}.
 * Tolerant reader: eBay's contract (sell_fulfillment_v1_oas3.json) declares no property of Order, LineItem,
 * PricingSummary, PaymentSummary, OrderRefund, LineItemRefund or Amount required, so only `orderId` (without it an
 * order cannot be told apart) is required here; the mappers name any other field a refund or an order import
 * cannot do without.
 */
import { z } from 'zod';

export const ebayAmount = z.object({
  value: z.string().optional(),
  currency: z.string().optional(),
  convertedFromValue: z.string().optional(),
  convertedFromCurrency: z.string().optional(),
});
export type EbayAmount = z.output<typeof ebayAmount>;

export const ebayRefund = z.object({
  refundId: z.string().optional(),
  refundReferenceId: z.string().optional(),
  refundDate: z.string().optional(),
  /** FAILED | PENDING | REFUNDED */
  refundStatus: z.string().optional(),
  amount: ebayAmount.optional(),
});
export type EbayRefund = z.output<typeof ebayRefund>;

const ebayTax = z.object({ amount: ebayAmount.optional(), taxType: z.string().optional() });

export const ebayLineItem = z.object({
  lineItemId: z.string().optional(),
  legacyItemId: z.string().optional(),
  sku: z.string().optional(),
  title: z.string().optional(),
  quantity: z.number().int().nonnegative().optional(),
  lineItemCost: ebayAmount.optional(),
  /** lineItemCost after seller discounts (only returned when there is one). */
  discountedLineItemCost: ebayAmount.optional(),
  appliedPromotions: z.array(z.object({ discountAmount: ebayAmount.optional(), promotionId: z.string().optional(), description: z.string().optional() })).optional(),
  deliveryCost: z.object({ shippingCost: ebayAmount.optional(), discountAmount: ebayAmount.optional(), handlingCost: ebayAmount.optional(), importCharges: ebayAmount.optional() }).optional(),
  /** Taxes the seller collects (and remits) on the line. */
  taxes: z.array(ebayTax).optional(),
  /** Taxes eBay collects and remits itself: not the seller's money. */
  ebayCollectAndRemitTaxes: z.array(ebayTax).optional(),
  total: ebayAmount.optional(),
  refunds: z.array(ebayRefund).optional(),
});

export const ebayOrder = z.object({
  orderId: z.string(),
  legacyOrderId: z.string().optional(),
  creationDate: z.string().optional(),
  lastModifiedDate: z.string().optional(),
  /** FAILED | FULLY_REFUNDED | PAID | PARTIALLY_REFUNDED | PENDING */
  orderPaymentStatus: z.string().optional(),
  orderFulfillmentStatus: z.string().optional(),
  cancelStatus: z.object({ cancelState: z.string().optional(), cancelledDate: z.string().optional() }).optional(),
  buyer: z.object({ username: z.string().optional(), buyerRegistrationAddress: z.object({ email: z.string().optional(), fullName: z.string().optional() }).optional() }).optional(),
  pricingSummary: z
    .object({
      priceSubtotal: ebayAmount.optional(),
      priceDiscount: ebayAmount.optional(),
      priceDiscountSubtotal: ebayAmount.optional(),
      deliveryCost: ebayAmount.optional(),
      deliveryDiscount: ebayAmount.optional(),
      adjustment: ebayAmount.optional(),
      fee: ebayAmount.optional(),
      tax: ebayAmount.optional(),
      total: ebayAmount.optional(),
    })
    .optional(),
  paymentSummary: z
    .object({ refunds: z.array(ebayRefund).optional().transform((v) => v ?? []) })
    .optional()
    .transform((v) => v ?? { refunds: [] }),
  lineItems: z
    .array(ebayLineItem)
    .optional()
    .transform((v) => v ?? []),
});
export type EbayOrder = z.output<typeof ebayOrder>;

export const ebayOrderSearch = z.object({
  orders: z.array(ebayOrder).default([]),
  total: z.number().int().optional(),
  limit: z.number().int().optional(),
  offset: z.number().int().optional(),
  next: z.string().optional(),
});

export const ebayIssueRefundResponse = z.object({ refundId: z.string().optional(), refundStatus: z.string().optional() });
