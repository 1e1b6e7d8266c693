/**
 * Storefront order -> the NetSuite sales order we import, and how a refund finds its sales order.
 * Orders either come in through us (externalId derived from the order, so re-imports are no-ops) or were synced by
 * another connector that keeps the storefront order id in a NetSuite body field the merchant names.
 */
import { orderExternalId } from '../refunds/external-id';
import type { CanonicalOrder } from './types';

/** How the imported sales order is billed: by a cash sale (paid at checkout) or by an invoice. */
export type OrderBilling = 'cash_sale' | 'invoice';

export interface SalesOrderLinePlan {
  /** NetSuite itemid, matched by SKU. */
  item: string;
  quantity: number;
  /** Gross line amount (tax included) and its tax, minor units. */
  amount: number;
  tax: number;
  /** The platform's line id, kept on the line so refunds can point back at it. */
  platformLineId: string;
}

export interface SalesOrderPlan {
  externalId: string;
  currency: string;
  customer: { email: string | null; name: string | null };
  lines: SalesOrderLinePlan[];
  shipping: { amount: number; tax: number };
  total: number;
  billing: OrderBilling;
  /** Body-field values that link the sales order back to the storefront. */
  link: { platform: string; account: string; orderId: string; orderNumber: string };
}

export function planSalesOrder(order: CanonicalOrder, billing: OrderBilling): SalesOrderPlan {
  return {
    externalId: orderExternalId(order.platform, order.account, order.orderId),
    currency: order.currency,
    customer: { email: order.customer.email, name: order.customer.name },
    lines: order.lines.map((l) => ({ item: l.sku, quantity: l.quantity, amount: l.amount, tax: l.tax, platformLineId: l.lineId })),
    shipping: { ...order.shipping },
    total: order.total,
    billing,
    link: { platform: order.platform, account: order.account, orderId: order.orderId, orderNumber: order.orderNumber },
  };
}

/** Where to find a storefront order's NetSuite sales order. */
export type OrderLinkSetting =
  | { mode: 'imported' }
  /** Another connector imported orders and stores the storefront order id in this body field (custbody_x, otherrefnum). */
  | { mode: 'external_field'; fieldId: string };

export type SalesOrderLookup =
  | { by: 'externalid'; value: string }
  | { by: 'field'; fieldId: string; value: string };

export function salesOrderLookup(setting: OrderLinkSetting, order: Pick<CanonicalOrder, 'platform' | 'account' | 'orderId'>): SalesOrderLookup {
  if (setting.mode === 'imported') {
    return { by: 'externalid', value: orderExternalId(order.platform, order.account, order.orderId) };
  }
  // otherrefnum (PO/Check Number) is the standard body field many order connectors fill with the storefront id.
  if (!/^(custbody[a-z0-9_]+|otherrefnum)$/.test(setting.fieldId)) {
    throw new RangeError(`'${setting.fieldId}' is not a NetSuite custom body field id (custbody...) or otherrefnum`);
  }
  return { by: 'field', fieldId: setting.fieldId, value: order.orderId };
}
