/**
 * Magento 2 / Adobe Commerce REST payloads we use (Sales module, webapi.xml): credit memos from
 * GET /V1/creditmemos (searchCriteria) and GET /V1/creditmemo/{id}, orders from GET /V1/orders/{id}, and the id
 * POST /V1/order/{id}/refund returns. Magento sends decimals as JSON numbers and entity ids as integers.
 * Tolerant reader: Magento's REST schema (sales-data-creditmemo-interface, sales-data-creditmemo-item-interface,
 * sales-data-order-interface, sales-data-order-item-interface) requires only order_id and items on a credit memo,
 * order_item_id and qty on its items, grand_total, base_grand_total, customer_email and items on an order and sku on
 * its items; every other property is optional. Here only what the flows key on is required: the credit memo's entity_id,
 * order_id, its items' order_item_id and qty; the order's entity_id, order_currency_code, grand_total and its
 * items' item_id, sku and qty_ordered (a refund posted to Magento needs them); the mappers name anything else a
 * refund or an order import cannot do without.
 */
import { z } from 'zod';
import { decimal, idString } from '../shared/zod-types';

const amount = decimal.nullable().optional();

export const magentoCreditMemoItem = z.object({
  entity_id: idString.optional(),
  order_item_id: idString,
  sku: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  qty: z.number().nonnegative(),
  price: amount,
  row_total: amount,
  row_total_incl_tax: amount,
  tax_amount: amount,
  discount_amount: amount,
});

export const magentoCreditMemo = z.object({
  entity_id: idString,
  order_id: idString,
  increment_id: z.string().optional(),
  invoice_id: idString.nullable().optional(),
  transaction_id: z.string().nullable().optional(),
  /** 1 open (pending), 2 refunded, 3 canceled. */
  state: z.number().int().nullable().optional(),
  order_currency_code: z.string().nullable().optional(),
  base_currency_code: z.string().nullable().optional(),
  store_currency_code: z.string().nullable().optional(),
  grand_total: decimal.nullable().optional(),
  subtotal: amount,
  tax_amount: amount,
  shipping_amount: amount,
  shipping_incl_tax: amount,
  shipping_tax_amount: amount,
  adjustment_positive: amount,
  adjustment_negative: amount,
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  items: z.array(magentoCreditMemoItem).nullable().default([]).transform((v) => v ?? []),
  comments: z.array(z.object({ comment: z.string().nullable().optional() })).optional(),
});
export type MagentoCreditMemo = z.output<typeof magentoCreditMemo>;

export const magentoCreditMemoSearch = z.object({
  items: z.array(magentoCreditMemo),
  total_count: z.number().int().nonnegative(),
});

export const magentoOrderItem = z.object({
  /** Required here (optional in Magento's schema): refunds to Magento name the order item and its quantity. */
  item_id: idString,
  sku: z.string(),
  name: z.string().nullable().optional(),
  qty_ordered: z.number(),
  /** Units refunded by earlier credit memos. */
  qty_refunded: z.number().nonnegative().nullable().default(0).transform((v) => v ?? 0),
  qty_canceled: z.number().nonnegative().nullable().optional(),
  product_type: z.string().nullable().optional(),
  parent_item_id: idString.nullable().optional(),
  price: amount,
  price_incl_tax: amount,
  original_price: amount,
  row_total: amount,
  row_total_incl_tax: amount,
  tax_amount: amount,
  tax_percent: amount,
  /** Positive on items (the order's own discount_amount is negative). */
  discount_amount: amount,
});

export const magentoOrder = z.object({
  entity_id: idString,
  increment_id: z.string().nullable().optional(),
  state: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  /** Required here (optional in Magento's schema): a refund posted to Magento is stated in it. */
  order_currency_code: z.string(),
  customer_email: z.string().nullable().optional(),
  customer_firstname: z.string().nullable().optional(),
  customer_lastname: z.string().nullable().optional(),
  customer_id: idString.nullable().optional(),
  grand_total: decimal,
  subtotal: amount,
  tax_amount: amount,
  /** Negative: the order's discount, lines and shipping together. */
  discount_amount: amount,
  discount_description: z.string().nullable().optional(),
  coupon_code: z.string().nullable().optional(),
  shipping_amount: amount,
  shipping_discount_amount: amount,
  shipping_tax_amount: amount,
  shipping_incl_tax: amount,
  shipping_description: z.string().nullable().optional(),
  total_refunded: amount,
  total_canceled: amount,
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  items: z.array(magentoOrderItem),
});
export type MagentoOrder = z.output<typeof magentoOrder>;

/** POST /V1/order/{id}/refund answers the new credit memo id (an integer; some setups quote it). */
export const magentoRefundResponse = idString;
