/**
 * Magento 2 / Adobe Commerce REST payloads we use (Sales module, webapi.xml): credit memos from
 * GET /V1/creditmemos (searchCriteria) and GET /V1/creditmemo/{id}, orders from GET /V1/orders/{id}, and the id
 * POST /V1/order/{id}/refund returns. Magento sends decimals as JSON numbers and entity ids as integers.
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
  state: z.number().int(),
  order_currency_code: z.string(),
  grand_total: decimal,
  subtotal: amount,
  tax_amount: amount,
  shipping_amount: amount,
  shipping_incl_tax: amount,
  shipping_tax_amount: amount,
  adjustment_positive: amount,
  adjustment_negative: amount,
  created_at: z.string(),
  updated_at: z.string().optional(),
  items: z.array(magentoCreditMemoItem).default([]),
  comments: z.array(z.object({ comment: z.string().nullable().optional() })).optional(),
});
export type MagentoCreditMemo = z.output<typeof magentoCreditMemo>;

export const magentoCreditMemoSearch = z.object({
  items: z.array(magentoCreditMemo),
  total_count: z.number().int().nonnegative(),
});

export const magentoOrderItem = z.object({
  item_id: idString,
  sku: z.string(),
  name: z.string().nullable().optional(),
  qty_ordered: z.number(),
  /** Units refunded by earlier credit memos. */
  qty_refunded: z.number().nonnegative().default(0),
  product_type: z.string().optional(),
  parent_item_id: idString.nullable().optional(),
  row_total: decimal,
  tax_amount: amount,
  discount_amount: amount,
});

export const magentoOrder = z.object({
  entity_id: idString,
  increment_id: z.string(),
  order_currency_code: z.string(),
  customer_email: z.string().nullable().optional(),
  customer_firstname: z.string().nullable().optional(),
  customer_lastname: z.string().nullable().optional(),
  customer_id: idString.nullable().optional(),
  grand_total: decimal,
  shipping_amount: amount,
  shipping_tax_amount: amount,
  created_at: z.string(),
  items: z.array(magentoOrderItem),
});
export type MagentoOrder = z.output<typeof magentoOrder>;

/** POST /V1/order/{id}/refund answers the new credit memo id (an integer; some setups quote it). */
export const magentoRefundResponse = idString;
