/**
 * Order import settings of a storefront channel (stored under `settings.refunds.orderImport`, where channels
 * already keep them) and the storefront account orders are keyed by. Shared by the order import flow and the
 * refund flow's settings schema, so neither flow imports the other for them.
 */
import { z } from 'zod';
import type { OrderLinkSetting, Platform } from '../../core/orders';

const id = z.string().min(1);

export const orderImportSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  billing: z.enum(['cash_sale', 'invoice']).optional(),
  /** NetSuite location internal id an order ships from when its lines' platform location is not mapped. */
  defaultLocationId: id.optional(),
  /** Earlier name of `defaultLocationId` (still read when `defaultLocationId` is absent). */
  locationId: id.optional(),
  /** NetSuite location internal id per platform location id (e.g. a Shopify location_id). */
  locations: z.record(id, id).optional(),
  /** NetSuite currency internal id per ISO code, for customers we create (the account's currency list). */
  currencyIds: z.record(z.string().regex(/^[A-Z]{3}$/), id).optional(),
  /** NetSuite item (itemid) of discount lines (line discounts, order discounts, shipping discounts): a Discount item. */
  discountItem: id.optional(),
  /** NetSuite item (itemid) of the order's tax when prices exclude tax: an Other Charge item. */
  taxItem: id.optional(),
  /** NetSuite item (itemid) of import duties; the tax item when absent. */
  dutiesItem: id.optional(),
  /** NetSuite item (itemid) of tips the buyer added. */
  tipItem: id.optional(),
});

export type OrderImportSettingsInput = z.infer<typeof orderImportSettingsSchema>;

export interface OrderImportSettings {
  enabled: boolean;
  billing: 'cash_sale' | 'invoice';
  /** `defaultLocationId`, else the older `locationId`; null when neither is set. */
  locationId: string | null;
  locations: Record<string, string>;
  currencyIds: Record<string, string>;
  discountItem: string | null;
  taxItem: string | null;
  dutiesItem: string | null;
  tipItem: string | null;
}

/** Where each setting lives, for errors that name the setting to set. */
export const ORDER_IMPORT_SETTING_PATH = 'settings.refunds.orderImport';

/** The effective order import settings of `settings.refunds.orderImport` (defaults filled in). */
export function readOrderImportSettings(stored: unknown): OrderImportSettings {
  const parsed = orderImportSettingsSchema.safeParse(stored ?? { enabled: false });
  const o: Partial<OrderImportSettingsInput> = parsed.success ? parsed.data : {};
  return {
    enabled: o.enabled ?? false,
    billing: o.billing ?? 'cash_sale',
    locationId: o.defaultLocationId ?? o.locationId ?? null,
    locations: o.locations ?? {},
    currencyIds: o.currencyIds ?? {},
    discountItem: o.discountItem ?? null,
    taxItem: o.taxItem ?? null,
    dutiesItem: o.dutiesItem ?? o.taxItem ?? null,
    tipItem: o.tipItem ?? null,
  };
}

/** What the order import reads of a channel: its import settings, how its orders are found, its shipping item. */
export interface ChannelOrderSettings {
  orderImport: OrderImportSettings;
  orderLink: OrderLinkSetting;
  shippingItem: string;
}

/** The storefront account id refunds and orders are keyed by (core/refunds externalIds). */
export function accountOf(kind: Platform, channelId: string, settings: Record<string, unknown>): string {
  if (kind === 'shopify' && typeof settings.shopDomain === 'string') return settings.shopDomain;
  if (kind === 'amazon' && typeof settings.sellerId === 'string') return settings.sellerId;
  return channelId;
}

/**
 * A channel's order settings from its stored settings. The channel kind's schema (the refund flow's settings under
 * `refunds`) has validated them on write; this reads them with the same defaults the refund flow uses.
 */
export function readChannelOrderSettings(settings: Record<string, unknown>): ChannelOrderSettings {
  const refunds = (settings.refunds ?? {}) as { orderImport?: unknown; orderLink?: { mode?: unknown; fieldId?: unknown }; shippingItem?: unknown };
  const link = refunds.orderLink;
  return {
    orderImport: readOrderImportSettings(refunds.orderImport),
    orderLink: link?.mode === 'external_field' && typeof link.fieldId === 'string' ? { mode: 'external_field', fieldId: link.fieldId } : { mode: 'imported' },
    shippingItem: typeof refunds.shippingItem === 'string' && refunds.shippingItem ? refunds.shippingItem : 'SHIPPING',
  };
}
