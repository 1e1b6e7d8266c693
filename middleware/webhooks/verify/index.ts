/**
 * Webhook verification by channel kind. Every scheme fails closed: no secret (or key source) → `no_secret`.
 *
 * | kind     | scheme                                                                 |
 * |----------|------------------------------------------------------------------------|
 * | shopify  | X-Shopify-Hmac-Sha256                                                  |
 * | loop     | X-Loop-Signature                                                       |
 * | ebay     | X-EBAY-SIGNATURE (ECDSA, key by kid)                                   |
 * | payments | Alternative Payments' bearer secret; Standard Webhooks when the configured secret is `whsec_…` |
 * | magento  | Standard Webhooks (Magento Open Source has no native webhooks; a relay or module signs them)   |
 * | amazon   | none: Amazon notifications arrive through SQS/EventBridge and settlements are polled → refused |
 *
 * The scheme is chosen from configuration (kind and secret), never from the request's headers.
 *
 * One rule for every scheme: a header the scheme verifies with (its signature header, and for Standard Webhooks the
 * signed `webhook-id` and `webhook-timestamp`) sent more than once is ambiguous and refused (`repeated_header`).
 * Several signatures inside ONE `webhook-signature` header (space-separated, as the Standard Webhooks specification
 * allows for key rotation) are not a repetition. Node joins repeated headers into one value (and keeps only the
 * first Authorization), so callers pass `req.headersDistinct` (every value as its own array entry) to be able to
 * tell; a header given as a plain string counts as sent once.
 */
import { verifyBearer } from './bearer';
import { verifyEbay, type EbayKeySource } from './ebay';
import { verifyLoop } from './loop';
import { fail, type VerifyResult, type WebhookHeaders } from './result';
import { verifyShopify } from './shopify';
import { verifyStandardWebhook } from './standard-webhooks';

export type { EbayKeySource, EbayPublicKey } from './ebay';
export type { VerifyFailure, VerifyFailureCode, VerifyResult, VerifySuccess, WebhookHeaders } from './result';
export { verifyBearer, verifyEbay, verifyLoop, verifyShopify, verifyStandardWebhook };

export const CHANNEL_KINDS = ['shopify', 'magento', 'amazon', 'ebay', 'loop', 'payments'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type WebhookScheme = 'shopify' | 'loop' | 'ebay' | 'bearer' | 'standard-webhooks';

/** Shared secrets (several while rotating) for HMAC/bearer schemes, or eBay's key source. */
export type WebhookSecrets = string | readonly string[] | EbayKeySource | undefined | null;

function isKeySource(secrets: WebhookSecrets): secrets is EbayKeySource {
  return typeof secrets === 'object' && secrets !== null && !Array.isArray(secrets) && 'getPublicKey' in secrets;
}

function textSecrets(secrets: WebhookSecrets): string | readonly string[] | undefined {
  if (secrets === null || secrets === undefined || isKeySource(secrets)) return undefined;
  return secrets as string | readonly string[];
}

/** The scheme a channel of this kind is verified with, given its configured secret; undefined = no webhooks. */
export function webhookSchemeFor(kind: ChannelKind, secrets?: WebhookSecrets): WebhookScheme | undefined {
  switch (kind) {
    case 'shopify':
      return 'shopify';
    case 'loop':
      return 'loop';
    case 'ebay':
      return 'ebay';
    case 'magento':
      return 'standard-webhooks';
    case 'payments': {
      const list = textSecrets(secrets);
      const first = typeof list === 'string' ? list : list?.[0];
      return first?.startsWith('whsec_') ? 'standard-webhooks' : 'bearer';
    }
    case 'amazon':
      return undefined;
    default:
      return undefined;
  }
}

/** Headers that must arrive exactly once, per scheme. */
export const SIGNATURE_HEADERS: Readonly<Record<WebhookScheme, readonly string[]>> = {
  shopify: ['x-shopify-hmac-sha256'],
  loop: ['x-loop-signature'],
  ebay: ['x-ebay-signature'],
  bearer: ['authorization'],
  'standard-webhooks': ['webhook-signature', 'webhook-id', 'webhook-timestamp'],
};

/** The first of the scheme's headers sent more than once, or undefined. */
export function repeatedSignatureHeader(scheme: WebhookScheme, headers: WebhookHeaders): string | undefined {
  return SIGNATURE_HEADERS[scheme].find((name) => {
    const value = headers[name];
    return Array.isArray(value) && value.length > 1;
  });
}

/** Verifies one webhook on its raw body. Never throws; `now` is used by schemes with a timestamp tolerance. */
export async function verifyWebhook(
  kind: ChannelKind,
  headers: WebhookHeaders,
  rawBody: Buffer,
  secretOrKeys: WebhookSecrets,
  now: Date = new Date(),
): Promise<VerifyResult> {
  const scheme = (CHANNEL_KINDS as readonly string[]).includes(kind) ? webhookSchemeFor(kind, secretOrKeys) : undefined;
  const repeated = scheme ? repeatedSignatureHeader(scheme, headers) : undefined;
  if (repeated) return fail('repeated_header', `the ${repeated} header was sent more than once`);
  switch (scheme) {
    case 'shopify':
      return verifyShopify(headers, rawBody, textSecrets(secretOrKeys));
    case 'loop':
      return verifyLoop(headers, rawBody, textSecrets(secretOrKeys));
    case 'bearer':
      return verifyBearer(headers, rawBody, textSecrets(secretOrKeys));
    case 'standard-webhooks':
      return verifyStandardWebhook(headers, rawBody, textSecrets(secretOrKeys), now);
    case 'ebay':
      return verifyEbay(headers, rawBody, isKeySource(secretOrKeys) ? secretOrKeys : undefined);
    default:
      return fail('unsupported_kind', `channel kind "${String(kind).slice(0, 20)}" does not receive webhooks`);
  }
}
