/**
 * Shopify Admin REST (2025-07 .. 2026-07) and webhook payloads, only the fields we use. Objects are loose (Shopify
 * adds fields freely). Ids go through `idString`: the body was parsed by the bigint-safe parser first, so ids above
 * 2^53 arrive here as exact strings.
 * Tolerant reader: a field Shopify's own samples show as null (transaction `currency`, `gateway`, `parent_id`,
 * `location_id`, `cancelled_at`...) is nullable here, and a field the flow can do without is optional. Only what
 * a refund or an order import truly needs is required: ids, amounts, quantities, the order's currency and total.
 */
import { z } from 'zod';
import { decimal, idString } from '../shared/zod-types';

export const SHOPIFY_API_VERSION = '2025-07';

const moneyBag = z.object({ amount: decimal, currency_code: z.string() });
export const moneySet = z.object({ shop_money: moneyBag, presentment_money: moneyBag });

export const shopifyTransaction = z.object({
  id: idString,
  kind: z.string(),
  status: z.string(),
  amount: decimal,
  /** null in Shopify's refunds/create sample: the refund's, order's or shop's currency applies then. */
  currency: z.string().nullable().optional(),
  gateway: z.string().nullable().optional(),
  parent_id: idString.nullable().optional(),
});

export const shopifyRefundLineItem = z.object({
  id: idString.optional(),
  line_item_id: idString,
  quantity: z.number().int().nonnegative(),
  restock_type: z.string().nullable().optional(),
  /** Where the units were restocked (restock_type return / cancel). */
  location_id: idString.nullable().optional(),
  subtotal: decimal.optional(),
  total_tax: decimal.optional(),
  subtotal_set: moneySet.optional(),
  total_tax_set: moneySet.optional(),
  line_item: z.object({ id: idString, sku: z.string().nullable().optional(), title: z.string().optional() }).optional(),
});

export const shopifyOrderAdjustment = z.object({
  id: idString.optional(),
  amount: decimal,
  tax_amount: decimal.optional(),
  kind: z.string(),
  reason: z.string().nullable().optional(),
  amount_set: moneySet.optional(),
  tax_amount_set: moneySet.optional(),
});

export const shopifyRefundShippingLine = z.object({
  id: idString.optional(),
  shipping_line_id: idString.optional(),
  subtotal_amount_set: moneySet,
  tax_amount_set: moneySet.optional(),
});

/** A refund object: the refunds/create webhook body and the `refund` of the Admin REST refund endpoints. */
export const shopifyRefund = z.object({
  id: idString,
  order_id: idString,
  created_at: z.string(),
  processed_at: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  restock: z.boolean().nullable().optional(),
  refund_line_items: z.array(shopifyRefundLineItem).nullable().default([]).transform((v) => v ?? []),
  refund_shipping_lines: z.array(shopifyRefundShippingLine).nullable().optional(),
  order_adjustments: z.array(shopifyOrderAdjustment).nullable().default([]).transform((v) => v ?? []),
  transactions: z.array(shopifyTransaction).nullable().default([]).transform((v) => v ?? []),
});
export type ShopifyRefund = z.output<typeof shopifyRefund>;

export const refundEnvelope = z.object({ refund: shopifyRefund });
export const refundsEnvelope = z.object({ refunds: z.array(shopifyRefund) });

const taxLine = z.object({
  price: decimal,
  rate: z.union([z.number(), z.string()]).nullable().optional(),
  title: z.string().nullable().optional(),
  price_set: moneySet.optional(),
});

const discountAllocation = z.object({
  amount: decimal,
  amount_set: moneySet.optional(),
  discount_application_index: z.number().int().nonnegative().nullable().optional(),
});

/** A line's duty (cross-border); the amount is in `price_set` (or `shop_money` on some versions). */
const duty = z.object({
  id: idString.optional(),
  price_set: moneySet.optional(),
  shop_money: moneySet.shape.shop_money.optional(),
  presentment_money: moneySet.shape.presentment_money.optional(),
  tax_lines: z.array(taxLine).nullable().optional(),
});

const arrayOr = <T extends z.ZodType>(item: T) => z.array(item).nullable().default([]).transform((v) => v ?? []);

export const shopifyLineItem = z.object({
  id: idString,
  sku: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  quantity: z.number().int().nonnegative(),
  price: decimal,
  total_discount: decimal.nullable().optional(),
  discount_allocations: z.array(discountAllocation).nullable().optional(),
  tax_lines: arrayOr(taxLine),
  duties: arrayOr(duty),
});

export const shopifyShippingLine = z.object({
  id: idString.nullable().optional(),
  title: z.string().nullable().optional(),
  code: z.string().nullable().optional(),
  price: decimal,
  discounted_price: decimal.nullable().optional(),
  tax_lines: arrayOr(taxLine),
  discount_allocations: arrayOr(discountAllocation),
});

export const shopifyDiscountApplication = z.object({
  type: z.string().nullable().optional(),
  code: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  value: decimal.nullable().optional(),
  value_type: z.string().nullable().optional(),
  allocation_method: z.string().nullable().optional(),
  target_type: z.string().nullable().optional(),
  target_selection: z.string().nullable().optional(),
});

export const shopifyOrder = z.object({
  id: idString,
  name: z.string().nullable().optional(),
  order_number: z.union([z.number(), z.string()]).nullable().optional(),
  currency: z.string(),
  presentment_currency: z.string().nullable().optional(),
  taxes_included: z.boolean().nullable().default(false).transform((v) => v ?? false),
  total_price: decimal,
  current_total_price: decimal.nullable().optional(),
  subtotal_price: decimal.nullable().optional(),
  total_line_items_price: decimal.nullable().optional(),
  total_discounts: decimal.nullable().optional(),
  total_tax: decimal.nullable().optional(),
  total_tip_received: decimal.nullable().optional(),
  created_at: z.string(),
  email: z.string().nullable().optional(),
  financial_status: z.string().nullable().optional(),
  cancelled_at: z.string().nullable().optional(),
  cancel_reason: z.string().nullable().optional(),
  location_id: idString.nullable().optional(),
  customer: z
    .object({ id: idString, email: z.string().nullable().optional(), first_name: z.string().nullable().optional(), last_name: z.string().nullable().optional() })
    .nullable()
    .optional(),
  line_items: z.array(shopifyLineItem),
  shipping_lines: arrayOr(shopifyShippingLine),
  discount_applications: arrayOr(shopifyDiscountApplication),
  fulfillments: arrayOr(z.object({ id: idString.optional(), location_id: idString.nullable().optional(), line_items: arrayOr(z.object({ id: idString })) })),
});
export type ShopifyOrder = z.output<typeof shopifyOrder>;
export const orderEnvelope = z.object({ order: shopifyOrder });

/** POST /orders/{id}/refunds/calculate.json response. */
export const calculatedRefund = z.object({
  refund: z.object({
    currency: z.string().optional(),
    shipping: z.object({ amount: decimal, tax: decimal.optional(), maximum_refundable: decimal.optional() }).optional(),
    refund_line_items: z
      .array(
        z.object({
          line_item_id: idString,
          quantity: z.number().int(),
          restock_type: z.string().nullable().optional(),
          price: decimal.optional(),
          subtotal: decimal.optional(),
          total_tax: decimal.optional(),
        }),
      )
      .default([]),
    transactions: z
      .array(
        z.object({
          order_id: idString.optional(),
          kind: z.string(),
          /** gateway and parent_id are sent back when creating the refund: required. */
          gateway: z.string(),
          parent_id: idString,
          amount: decimal,
          currency: z.string().nullable().optional(),
          maximum_refundable: decimal.optional(),
        }),
      )
      .default([]),
  }),
});
export type CalculatedRefund = z.output<typeof calculatedRefund>;

/** Webhook headers we read (Node lower-cases header names). */
export const webhookHeaders = z.object({
  'x-shopify-topic': z.string().min(1),
  'x-shopify-shop-domain': z.string().min(1),
  'x-shopify-webhook-id': z.string().min(1),
  'x-shopify-event-id': z.string().min(1).optional(),
  'x-shopify-triggered-at': z.string().optional(),
  'x-shopify-api-version': z.string().optional(),
  'x-shopify-hmac-sha256': z.string().min(1),
});
