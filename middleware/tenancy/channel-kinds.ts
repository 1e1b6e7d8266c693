/**
 * Channel kinds, their roles, and the zod schemas of each kind's settings (stored as JSON) and secrets (stored
 * sealed). Pure: no I/O.
 *
 * The settings schema of a kind is composed: this module holds each kind's base settings (shopDomain, baseUrl,
 * marketplaceId, the refund direction of storefront kinds…), and `buildChannelSchemas` adds what each flow
 * contributes (`{ key, kinds, schema }`: the flow's settings under `settings[key]` for those kinds). The
 * composition root (runtime/server.ts) builds them once from the registered flows and hands them to the tenancy
 * service, the channel routes and the OpenAPI document; this module never imports a flow.
 *
 * Refund direction: one direction per storefront account, never both. Carts default to NetSuite → platform (the
 * refund is made in NetSuite and pushed to the cart); marketplaces to platform → NetSuite. Amazon has no seller
 * refund API, so an Amazon channel can only sync platform → NetSuite; asking otherwise is refused. The rules live
 * with the refund flow's settings (its contribution's `finish`), which fills the default.
 */
import { z } from 'zod';
import { CHANNEL_KINDS, type ChannelKind } from '../webhooks/verify';
import { failure, type Result } from '../lib/result';
import { REFUND_DIRECTIONS, type RefundDirection } from '../../core/refunds';

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
export const refundDirectionSchema = z
  .enum(REFUND_DIRECTIONS as [RefundDirection, ...RefundDirection[]])
  .describe('Refund sync direction of this account: one direction or off, never both.');

const storefront = {
  refundDirection: refundDirectionSchema.optional(),
};

/** Each kind's own settings, without any flow's. */
export const BASE_SETTINGS_SHAPES = {
  shopify: {
    shopDomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be the shop\'s *.myshopify.com domain')
      .describe('The shop\'s *.myshopify.com domain.'),
    apiVersion: z.string().regex(/^\d{4}-\d{2}$/).describe('Shopify Admin API version (YYYY-MM).').optional(),
    ...storefront,
  },
  magento: { baseUrl: z.url().describe('The Magento store\'s base URL.'), ...storefront },
  amazon: {
    marketplaceId: z.string().min(1).describe('Amazon marketplace id, e.g. ATVPDKIKX0DER.'),
    sellerId: z.string().min(1).describe('The seller (merchant token) id.').optional(),
    ...storefront,
  },
  ebay: { marketplaceId: z.string().min(1).describe('eBay marketplace id, e.g. EBAY_US.').optional(), ...storefront },
  loop: { shopDomain: z.string().min(1).optional() },
  payments: {
    /** NetSuite account that receives customer payments (normally Undeposited Funds). */
    paymentAccountId: z.string().min(1).describe('NetSuite account that receives customer payments (normally Undeposited Funds).').optional(),
    /** NetSuite bank account for deposits. */
    depositAccountId: z.string().min(1).describe('NetSuite bank account for deposits.').optional(),
  },
} satisfies Record<ChannelKind, z.ZodRawShape>;

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

/**
 * What a flow adds to the channel settings: its zod schema, stored under `settings[key]` for the given kinds.
 * `finish` states rules across the whole settings that a schema cannot (the refund flow fills the refund direction
 * and refuses contradictions); it gets the parsed settings and returns those to store.
 */
export interface ChannelSettingsContribution {
  key: string;
  kinds: readonly ChannelKind[];
  schema: z.ZodType;
  finish?(kind: ChannelKind, role: ChannelRole, settings: Record<string, unknown>): Result<Record<string, unknown>>;
}

/** The composed channel schemas: what POST/PATCH /v1/channels validate with and what /openapi.json documents. */
export interface ChannelSchemas {
  settings: Readonly<Record<ChannelKind, z.ZodObject>>;
  secrets: Readonly<Record<ChannelKind, z.ZodObject>>;
  contributions: readonly ChannelSettingsContribution[];
  /** Validates settings for a kind and role with the composed schema and the contributions' rules. */
  validateSettings(kind: ChannelKind, role: ChannelRole, settings: unknown): Result<Record<string, unknown>>;
  validateSecrets(kind: ChannelKind, secrets: unknown): Result<ChannelSecrets>;
}

export class ChannelSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelSchemaError';
  }
}

/**
 * Builds each kind's settings schema from its base settings and the contributions. Refuses two contributions with
 * one key and a key that is already one of the kind's own settings.
 */
export function buildChannelSchemas(contributions: readonly ChannelSettingsContribution[]): ChannelSchemas {
  const keys = new Set<string>();
  for (const c of contributions) {
    if (keys.has(c.key)) throw new ChannelSchemaError(`Two channel settings contributions use the key "${c.key}".`);
    keys.add(c.key);
  }
  const settings = {} as Record<ChannelKind, z.ZodObject>;
  for (const kind of CHANNEL_KINDS) {
    const shape: Record<string, z.ZodType> = { ...BASE_SETTINGS_SHAPES[kind] };
    for (const c of contributions) {
      if (!c.kinds.includes(kind)) continue;
      if (c.key in shape) throw new ChannelSchemaError(`The settings key "${c.key}" is already a ${kind} channel setting.`);
      shape[c.key] = c.schema.optional();
    }
    settings[kind] = z.strictObject(shape).describe(`Settings of a ${kind} channel.`);
  }
  return {
    settings,
    secrets: SECRETS_SCHEMAS,
    contributions,
    validateSettings(kind, role, input) {
      if (!ROLES_BY_KIND[kind].includes(role)) {
        return failure('invalid_role', `A ${kind} channel takes the role ${ROLES_BY_KIND[kind].join(' or ')}, not ${role}.`);
      }
      const parsed = settings[kind].safeParse(input ?? {});
      if (!parsed.success) return failure('invalid_settings', issuesText(parsed.error));
      let value: Record<string, unknown> = { ...parsed.data };
      for (const c of contributions) {
        if (!c.finish || !c.kinds.includes(kind)) continue;
        const finished = c.finish(kind, role, value);
        if (!finished.ok) return finished;
        value = finished.value;
      }
      return { ok: true, value };
    },
    validateSecrets,
  };
}

/** The base settings only (no flow's): for code that composes no flows. */
export const BASE_CHANNEL_SCHEMAS: ChannelSchemas = buildChannelSchemas([]);

/** Validates settings against the base schemas (no flow settings). With flows, use the composed ChannelSchemas. */
export function validateSettings(kind: ChannelKind, role: ChannelRole, settings: unknown): Result<Record<string, unknown>> {
  return BASE_CHANNEL_SCHEMAS.validateSettings(kind, role, settings);
}

export function validateSecrets(kind: ChannelKind, secrets: unknown): Result<ChannelSecrets> {
  const parsed = SECRETS_SCHEMAS[kind].safeParse(secrets ?? {});
  if (!parsed.success) return failure('invalid_secrets', issuesText(parsed.error));
  return { ok: true, value: parsed.data as ChannelSecrets };
}
