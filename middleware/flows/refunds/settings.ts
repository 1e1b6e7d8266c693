/**
 * Refund settings of one storefront channel, and the refund flow's contribution to the channel settings
 * (`REFUND_CHANNEL_SETTINGS`, composed into each storefront kind's schema by tenancy/channel-kinds.ts). Pure: zod
 * and core only. The direction lives in the channel's `refundDirection` (one direction or off, never both);
 * everything else the refund flow needs sits under the channel's `refunds` key.
 * Direction rules come from core/refunds (the same validator the bundle and the CLI use), so a channel asking for
 * both directions — by the two switches, or by a direction that contradicts them — is refused with a clear error.
 */
import { z } from 'zod';
import { resolveRefundSettings, type RefundDirection } from '../../../core/refunds';
import type { OrderLinkSetting } from '../../../core/orders';
import type { Platform } from '../../../core/orders';
import { failure, ok, type Result } from '../../lib/result';
import { accountOf, orderImportSettingsSchema, readOrderImportSettings, type OrderImportSettings } from '../../ports/order-import-settings';
import { isStorefrontKind } from '../../ports/storefront-orders';
import type { ChannelKind, ChannelRole, ChannelSettingsContribution } from '../../tenancy/channel-kinds';

/** The channel's refund direction: the same names as core/refunds (platform = storefront or marketplace). */
export type ChannelRefundDirection = RefundDirection;

/** A NetSuite body field that holds the storefront order id when another connector imports orders. */
const fieldId = z.string().regex(/^(custbody[a-z0-9_]+|otherrefnum)$/, 'must be a custbody… field or otherrefnum');

export const refundFlowSettingsSchema = z.strictObject({
  /** "Import refunds made on the storefront into NetSuite." */
  importStorefrontRefunds: z.boolean().optional(),
  /** "Post refunds made in NetSuite to the storefront." */
  exportNetSuiteRefunds: z.boolean().optional(),
  /** NetSuite item (SKU / itemid) for adjustment lines (differences, fees); an Other Charge item. */
  adjustmentItem: z.string().min(1).optional(),
  /** NetSuite item (SKU / itemid) for refunded shipping. */
  shippingItem: z.string().min(1).optional(),
  /** How a storefront order is found in NetSuite: imported by us (externalId), or a body field another connector fills. */
  orderLink: z
    .discriminatedUnion('mode', [z.strictObject({ mode: z.literal('imported') }), z.strictObject({ mode: z.literal('external_field'), fieldId })])
    .optional(),
  /** Import storefront orders as sales orders, billed by cash sale or invoice (middleware/ports/order-import-settings.ts). */
  orderImport: orderImportSettingsSchema.optional(),
  /** Location (internal id) for refunded goods that are NOT restocked, normally a non-nettable holding location. */
  nonRestockLocationId: z.string().min(1).optional(),
  /**
   * NetSuite -> cart: the cart's location id per NetSuite location internal id. A NetSuite refund line restocked at
   * a mapped location is restocked there on the cart (Shopify restock_type 'return' with location_id); without a
   * mapping the cart is not restocked (NetSuite keeps the stock; Shopify needs a location to restock).
   */
  storefrontLocations: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** A refund parked waiting for its order becomes an exception after this many hours. */
  parkedMaxAgeHours: z.number().positive().max(24 * 90).optional(),
}).describe('Refund flow settings: what to sync, the NetSuite items and locations it posts with.');

export type RefundFlowSettingsInput = z.infer<typeof refundFlowSettingsSchema>;

export interface RefundFlowSettings {
  direction: RefundDirection;
  adjustmentItem: string;
  shippingItem: string;
  orderLink: OrderLinkSetting;
  orderImport: OrderImportSettings;
  nonRestockLocationId: string | null;
  storefrontLocations: Record<string, string>;
  parkedMaxAgeHours: number;
}

export { isStorefrontKind };

/**
 * Resolves a storefront channel's refund direction from its settings (`refundDirection` and the `refunds`
 * switches) with core/refunds; refuses both directions, contradictions and directions the platform lacks.
 * Codes: 'contradictory_settings' (the channel API's code for settings that cannot all hold), 'invalid_settings'.
 */
export function resolveChannelRefundDirection(kind: Platform, settings: Record<string, unknown>): Result<ChannelRefundDirection> {
  const refunds = (settings.refunds ?? {}) as RefundFlowSettingsInput;
  const stated = settings.refundDirection as ChannelRefundDirection | undefined;
  const resolved = resolveRefundSettings({
    platform: kind,
    account: String(settings.shopDomain ?? settings.baseUrl ?? settings.sellerId ?? settings.marketplaceId ?? kind),
    ...(stated !== undefined ? { direction: stated } : {}),
    ...(refunds.importStorefrontRefunds !== undefined ? { importStorefrontRefunds: refunds.importStorefrontRefunds } : {}),
    ...(refunds.exportNetSuiteRefunds !== undefined ? { exportNetSuiteRefunds: refunds.exportNetSuiteRefunds } : {}),
  });
  if (!resolved.ok) {
    const code = resolved.error.code === 'invalid_direction' || resolved.error.code === 'unknown_platform' ? 'invalid_settings' : 'contradictory_settings';
    return failure(code, resolved.error.message);
  }
  return ok(resolved.value.direction);
}

export { accountOf };

/** The effective refund flow settings of a stored channel (defaults filled in). */
export function readRefundFlowSettings(kind: Platform, settings: Record<string, unknown>): RefundFlowSettings {
  const parsed = refundFlowSettingsSchema.safeParse(settings.refunds ?? {});
  const r: RefundFlowSettingsInput = parsed.success ? parsed.data : {};
  const stored = settings.refundDirection as ChannelRefundDirection | undefined;
  const resolved = stored ? null : resolveChannelRefundDirection(kind, settings);
  const direction: RefundDirection = stored ?? (resolved?.ok ? resolved.value : 'off');
  return {
    direction,
    adjustmentItem: r.adjustmentItem ?? 'REFUND-ADJUSTMENT',
    shippingItem: r.shippingItem ?? 'SHIPPING',
    orderLink: r.orderLink ?? { mode: 'imported' },
    orderImport: readOrderImportSettings(r.orderImport),
    nonRestockLocationId: r.nonRestockLocationId ?? null,
    storefrontLocations: r.storefrontLocations ?? {},
    parkedMaxAgeHours: r.parkedMaxAgeHours ?? 72,
  };
}

/**
 * The refund direction rules across a storefront channel's settings: fills `refundDirection` (the kind's default
 * when neither it nor the switches say) and refuses both directions, contradictions and directions the platform
 * lacks (Amazon).
 */
export function finishRefundChannelSettings(kind: ChannelKind, role: ChannelRole, settings: Record<string, unknown>): Result<Record<string, unknown>> {
  if (!isStorefrontKind(kind) || (role !== 'cart' && role !== 'marketplace')) return ok(settings);
  const direction = resolveChannelRefundDirection(kind, settings);
  if (!direction.ok) return direction;
  return ok({ ...settings, refundDirection: direction.value });
}

/** The refund flow's channel settings: `settings.refunds` of every storefront kind. */
export const REFUND_CHANNEL_SETTINGS = {
  key: 'refunds',
  kinds: ['shopify', 'magento', 'amazon', 'ebay'],
  schema: refundFlowSettingsSchema,
  finish: finishRefundChannelSettings,
} as const satisfies ChannelSettingsContribution;
