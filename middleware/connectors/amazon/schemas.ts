/**
 * Amazon SP-API Finances v0 payloads we use (financesV0.json): listFinancialEventsByOrderId and
 * listFinancialEvents, whose RefundEventList items are ShipmentEvents with ShipmentItemAdjustmentList.
 * CurrencyAmount is a JSON number (parsed exactly from its literal, never summed as a float).
 * Tolerant reader: financesV0.json declares no property of these objects required (ShipmentEvent, ShipmentItem,
 * ChargeComponent, Currency, FinancialEvents, the response payload), so none is required here; the mapper names
 * what a refund cannot do without (the order id, the posted date, a charge's amount and currency).
 */
import { z } from 'zod';

export const amazonCurrency = z.object({ CurrencyCode: z.string().optional(), CurrencyAmount: z.number().optional() });
export type AmazonCurrency = z.output<typeof amazonCurrency>;

const charge = z.object({ ChargeType: z.string().optional(), ChargeAmount: amazonCurrency.optional() });
const fee = z.object({ FeeType: z.string().optional(), FeeAmount: amazonCurrency.optional() });
const promotion = z.object({ PromotionType: z.string().optional(), PromotionId: z.string().optional(), PromotionAmount: amazonCurrency.optional() });

export const amazonShipmentItem = z.object({
  SellerSKU: z.string().optional(),
  OrderItemId: z.string().optional(),
  OrderAdjustmentItemId: z.string().optional(),
  QuantityShipped: z.number().int().optional(),
  ItemChargeList: z.array(charge).optional(),
  ItemChargeAdjustmentList: z.array(charge).optional(),
  ItemFeeList: z.array(fee).optional(),
  ItemFeeAdjustmentList: z.array(fee).optional(),
  PromotionList: z.array(promotion).optional(),
  PromotionAdjustmentList: z.array(promotion).optional(),
  ItemTaxWithheldList: z.array(z.object({ TaxCollectionModel: z.string().optional(), TaxesWithheld: z.array(charge).optional() })).optional(),
});

export const amazonShipmentEvent = z.object({
  AmazonOrderId: z.string().optional(),
  SellerOrderId: z.string().optional(),
  MarketplaceName: z.string().optional(),
  PostedDate: z.string().optional(),
  ShipmentItemList: z.array(amazonShipmentItem).optional(),
  ShipmentItemAdjustmentList: z.array(amazonShipmentItem).optional(),
});
export type AmazonShipmentEvent = z.output<typeof amazonShipmentEvent>;

const financialEvents = z.object({
  ShipmentEventList: z.array(amazonShipmentEvent).optional(),
  RefundEventList: z.array(amazonShipmentEvent).optional(),
});

export const amazonFinancialEventsResponse = z.object({
  payload: z
    .object({
      NextToken: z.string().optional(),
      FinancialEvents: financialEvents.optional().transform((v) => v ?? {}),
    })
    .optional()
    .transform((v) => v ?? { FinancialEvents: {} }),
});
export type AmazonFinancialEventsResponse = z.output<typeof amazonFinancialEventsResponse>;
