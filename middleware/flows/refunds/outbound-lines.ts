/**
 * NetSuite -> cart, line by line. The item lines of a NetSuite cash refund or credit memo (read through the
 * RESTlet's `read`, each with its item's SKU) become the cart's refund lines: SKU -> the synced order's line
 * (several lines of one SKU are filled in order, each up to what it still has to refund), the quantity, and
 * whether the goods go back to stock — a line at the channel's non-restock location is not restocked; a line at
 * a NetSuite location the channel maps to a cart location is restocked there. The shipping item's lines become the
 * shipping refund. Lines that match no order line (the adjustment item, a SKU the order lacks, more units than are
 * left) add no cart line: the money still follows the NetSuite total, and each such line is reported. Pure.
 */
import { parseMoney } from '../../../core/money';

export interface NetSuiteRefundLine {
  sku: string | null;
  quantity: number;
  /** The line amount as NetSuite holds it (decimal string). */
  amount: string | null;
  /** NetSuite location internal id of the line. */
  location: string | null;
}

export interface CartOrderLine {
  lineId: string;
  sku: string;
  quantity: number;
  /** Units of the line refunded before (by earlier refunds). */
  refundedQuantity: number;
}

export interface LineMappingOptions {
  currency: string;
  shippingItem: string;
  adjustmentItem: string;
  nonRestockLocationId: string | null;
  /** NetSuite location internal id -> cart location id. */
  storefrontLocations: Readonly<Record<string, string>>;
}

export interface CartRefundLine {
  lineId: string;
  sku: string;
  quantity: number;
  /** The goods go back to stock on the cart. */
  restock: boolean;
  /** The cart location to restock at (mapped from the NetSuite line's location); null when none is mapped. */
  locationId: string | null;
}

export interface MappedCartRefund {
  lines: CartRefundLine[];
  /** Shipping to refund, minor units of `currency`. */
  shipping: number;
  /** NetSuite lines (or parts of them) that add no cart line, and why: their money is still in the total. */
  moneyOnly: Array<{ sku: string | null; quantity: number; reason: string }>;
}

export function mapNetSuiteRefundLines(nsLines: readonly NetSuiteRefundLine[], orderLines: readonly CartOrderLine[], options: LineMappingOptions): MappedCartRefund {
  const left = new Map(orderLines.map((l) => [l.lineId, Math.max(0, l.quantity - l.refundedQuantity)]));
  const out: MappedCartRefund = { lines: [], shipping: 0, moneyOnly: [] };
  for (const ns of nsLines) {
    const amount = ns.amount === null ? 0 : parseMoney(ns.amount, options.currency).amount;
    if (ns.sku !== null && ns.sku === options.shippingItem) {
      if (amount > 0) out.shipping += amount;
      continue;
    }
    if (ns.sku === null || ns.sku === options.adjustmentItem || !(ns.quantity > 0)) {
      out.moneyOnly.push({ sku: ns.sku, quantity: ns.quantity, reason: ns.sku === options.adjustmentItem ? 'adjustment' : 'no item units on the line' });
      continue;
    }
    const restock = !(options.nonRestockLocationId !== null && ns.location === options.nonRestockLocationId);
    const locationId = restock && ns.location !== null ? (options.storefrontLocations[ns.location] ?? null) : null;
    let wanted = ns.quantity;
    for (const line of orderLines) {
      if (wanted === 0) break;
      if (line.sku !== ns.sku) continue;
      const take = Math.min(wanted, left.get(line.lineId) ?? 0);
      if (take === 0) continue;
      left.set(line.lineId, (left.get(line.lineId) ?? 0) - take);
      wanted -= take;
      const same = out.lines.find((l) => l.lineId === line.lineId && l.restock === restock && l.locationId === locationId);
      if (same) same.quantity += take;
      else out.lines.push({ lineId: line.lineId, sku: ns.sku, quantity: take, restock, locationId });
    }
    if (wanted > 0) {
      const known = orderLines.some((l) => l.sku === ns.sku);
      out.moneyOnly.push({ sku: ns.sku, quantity: wanted, reason: known ? 'more units than the order has left to refund' : 'SKU not on the order' });
    }
  }
  return out;
}
