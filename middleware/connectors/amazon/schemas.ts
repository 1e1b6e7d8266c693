/**
 * Amazon SP-API Finances v0 payloads we use (financesV0.json): listFinancialEventsByOrderId and
 * listFinancialEvents, whose RefundEventList items are ShipmentEvents with ShipmentItemAdjustmentList.
 * CurrencyAmount is a JSON number (parsed exactly from its literal, never summed as a float).
 */
import { z } from 'zod';

export const amazonCurrency = z.object({ CurrencyCode: z.string(), CurrencyAmount: z.number() });

const charge = z.object({ ChargeType: z.string(), ChargeAmount: amazonCurrency });
const fee = z.object({ FeeType: z.string(), FeeAmount: amazonCurrency });
const promotion = z.object({ PromotionType: z.string().optional(), PromotionId: z.string().optional(), PromotionAmount: amazonCurrency });

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
  AmazonOrderId: z.string(),
  SellerOrderId: z.string().optional(),
  MarketplaceName: z.string().optional(),
  PostedDate: z.string(),
  ShipmentItemList: z.array(amazonShipmentItem).optional(),
  ShipmentItemAdjustmentList: z.array(amazonShipmentItem).optional(),
});
export type AmazonShipmentEvent = z.output<typeof amazonShipmentEvent>;

export const amazonFinancialEventsResponse = z.object({
  payload: z.object({
    NextToken: z.string().optional(),
    FinancialEvents: z.object({
      ShipmentEventList: z.array(amazonShipmentEvent).optional(),
      RefundEventList: z.array(amazonShipmentEvent).optional(),
    }),
  }),
});
export type AmazonFinancialEventsResponse = z.output<typeof amazonFinancialEventsResponse>;
