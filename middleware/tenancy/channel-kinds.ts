/**
 * Channel kinds, their roles, and the zod schemas of each kind's settings (stored as JSON) and secrets (stored
 * sealed). Pure: no I/O.
 *
 * Refund direction: one direction per storefront account, never both. Carts default to NetSuite → platform (the
 * refund is made in NetSuite and pushed to the cart); marketplaces to platform → NetSuite. Amazon has no seller
 * refund API, so an Amazon channel can only sync platform → NetSuite; asking otherwise is refused.
 */
import { z } from 'zod';
import { CHANNEL_KINDS, type ChannelKind } from '../webhooks/verify';
import { failure, type Result } from '../lib/result';
import { REFUND_DIRECTIONS, type RefundDirection } from '../../core/refunds';
import { refundFlowSettingsSchema, resolveChannelRefundDirection } from '../flows/refunds/settings';

export { CHANNEL_KINDS, type ChannelKind };

export const CHANNEL_ROLES = ['cart', 'marketplace', 'returns', 'payments'] as const;
export type ChannelRole = (typeof CHANNEL_ROLES)[number];

export const ROLES_BY_KIND: Record<ChannelKind, readonly ChannelRole[]> = {
  shopify: ['cart'],
  magento: ['cart'],
  amazon: ['marketplace'],
  ebay: ['marketplace'],
  loop: ['returns'],
  payments: ['payments'],
};

/** One vocabulary with core/refunds: platform_to_netsuite, netsuite_to_platform, off. */
export const refundDirectionSchema = z.enum(REFUND_DIRECTIONS as [RefundDirection, ...RefundDirection[]]);

const storefront = {
  refundDirection: refundDirectionSchema.optional(),
  /** Refund flow settings (middleware/flows/refunds/settings.ts). */
  refunds: refundFlowSettingsSchema.optional(),
};

export const SETTINGS_SCHEMAS = {
  shopify: z.strictObject({
    shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be the shop\'s *.myshopify.com domain'),
    apiVersion: z.string().regex(/^\d{4}-\d{2}$/).optional(),
    ...storefront,
  }),
  magento: z.strictObject({ baseUrl: z.url(), ...storefront }),
  amazon: z.strictObject({ marketplaceId: z.string().min(1), sellerId: z.string().min(1).optional(), ...storefront }),
  ebay: z.strictObject({ marketplaceId: z.string().min(1).optional(), ...storefront }),
  loop: z.strictObject({ shopDomain: z.string().min(1).optional() }),
  payments: z.strictObject({
    /** NetSuite account that receives customer payments (normally Undeposited Funds). */
    paymentAccountId: z.string().min(1).optional(),
    /** NetSuite bank account for deposits. */
    depositAccountId: z.string().min(1).optional(),
  }),
} satisfies Record<ChannelKind, z.ZodType>;

const webhookSecret = z.string().min(16, 'a webhook secret must be at least 16 characters');
const previous = z.array(webhookSecret).max(3).optional();
const ebayKey = z.strictObject({ key: z.string().min(1), algorithm: z.string().optional(), digest: z.string().optional() });

export const SECRETS_SCHEMAS = {
  shopify: z.strictObject({ webhookSecret: webhookSecret.optional(), previousWebhookSecrets: previous, accessToken: z.string().min(1).optional() }),
  magento: z.strictObject({
    webhookSecret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Standard Webhooks secret (whsec_…)').optional(),
    previousWebhookSecrets: previous,
    accessToken: z.string().min(1).optional(),
  }),
  amazon: z.strictObject({
    /** Login with Amazon app credentials and the seller's refresh token (SP-API access tokens come from these). */
    lwaClientId: z.string().min(1).optional(),
    lwaClientSecret: z.string().min(1).optional(),
    /** Older channels' names for the LWA client credentials; still read. */
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    refreshToken: z.string().min(1).optional(),
    /** A current access token, used as is when there are no refresh credentials. */
    accessToken: z.string().min(1).optional(),
  }),
  ebay: z.strictObject({
    /** eBay's notification public keys by key id (as its getPublicKey call answers). */
    publicKeys: z.record(z.string().min(1), ebayKey).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /** The seller's OAuth refresh token: user access tokens for the Sell APIs come from it with clientId/clientSecret. */
    refreshToken: z.string().min(1).optional(),
    /** A current user access token, used as is when there is no refresh token. */
    accessToken: z.string().min(1).optional(),
  }),
  loop: z.strictObject({ webhookSecret: webhookSecret.optional(), previousWebhookSecrets: previous, apiKey: z.string().min(1).optional() }),
  payments: z.strictObject({ webhookSecret: webhookSecret.optional(), previousWebhookSecrets: previous, apiKey: z.string().min(1).optional() }),
} satisfies Record<ChannelKind, z.ZodType>;

export type ChannelSecrets = {
  webhookSecret?: string;
  previousWebhookSecrets?: string[];
  publicKeys?: Record<string, { key: string; algorithm?: string; digest?: string }>;
} & Record<string, unknown>;

export function isChannelKind(value: string): value is ChannelKind {
  return (CHANNEL_KINDS as readonly string[]).includes(value);
}

export function defaultRole(kind: ChannelKind): ChannelRole {
  return ROLES_BY_KIND[kind][0] as ChannelRole;
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Validates settings for a kind and role, filling the refund direction default; refuses contradictions. */
export function validateSettings(kind: ChannelKind, role: ChannelRole, settings: unknown): Result<Record<string, unknown>> {
  if (!ROLES_BY_KIND[kind].includes(role)) {
    return failure('invalid_role', `A ${kind} channel takes the role ${ROLES_BY_KIND[kind].join(' or ')}, not ${role}.`);
  }
  const parsed = SETTINGS_SCHEMAS[kind].safeParse(settings ?? {});
  if (!parsed.success) return failure('invalid_settings', issuesText(parsed.error));
  const value: Record<string, unknown> = { ...parsed.data };
  if (role === 'cart' || role === 'marketplace') {
    // One direction or off, never both; defaults and platform limits (Amazon) come from core/refunds.
    const direction = resolveChannelRefundDirection(kind as 'shopify' | 'magento' | 'amazon' | 'ebay', value);
    if (!direction.ok) return direction;
    value.refundDirection = direction.value;
  }
  return { ok: true, value };
}

export function validateSecrets(kind: ChannelKind, secrets: unknown): Result<ChannelSecrets> {
  const parsed = SECRETS_SCHEMAS[kind].safeParse(secrets ?? {});
  if (!parsed.success) return failure('invalid_secrets', issuesText(parsed.error));
  return { ok: true, value: parsed.data as ChannelSecrets };
}
