/**
 * Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw body)).
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
 *
 * Dedupe key: `X-Shopify-Event-Id` is shared by every delivery caused by one merchant action (so it catches
 * duplicate deliveries, https://shopify.dev/apps/build/webhooks/ignore-duplicates), but one action can fire several
 * topics, so the key is `<event id>:<topic>`. Without an event id header (older API versions) the per-delivery
 * `X-Shopify-Webhook-Id`, which retries keep, is used instead.
 */
import { decodeBase64Strict, hmacSha256, readHeader, safeEqualBytes, secretList } from './crypto-helpers';
import { fail, type VerifyResult, type WebhookHeaders } from './result';

export function verifyShopify(headers: WebhookHeaders, rawBody: Buffer, secrets: string | readonly string[] | undefined): VerifyResult {
  const keys = secretList(secrets);
  if (keys.length === 0) return fail('no_secret', 'no Shopify webhook secret is configured for this channel');

  const header = readHeader(headers, 'x-shopify-hmac-sha256');
  if (header.kind === 'absent') return fail('missing_signature', 'X-Shopify-Hmac-Sha256 header is missing');
  if (header.kind === 'repeated') return fail('repeated_header', 'X-Shopify-Hmac-Sha256 header was sent more than once');
  const given = decodeBase64Strict(header.value.trim());
  if (!given || given.length !== 32) return fail('malformed_header', 'X-Shopify-Hmac-Sha256 is not a base64 SHA-256 HMAC');

  // Several secrets are allowed while an app secret is being rotated; every one is tried (no early exit).
  let matched = false;
  for (const key of keys) matched = safeEqualBytes(hmacSha256(key, rawBody), given) || matched;
  if (!matched) return fail('bad_signature', 'X-Shopify-Hmac-Sha256 does not match the body');

  const topic = readHeader(headers, 'x-shopify-topic');
  const topicValue = topic.kind === 'value' ? topic.value : undefined;
  const eventHeader = readHeader(headers, 'x-shopify-event-id');
  const webhookHeader = readHeader(headers, 'x-shopify-webhook-id');
  let eventId: string;
  if (eventHeader.kind === 'value') eventId = topicValue ? `${eventHeader.value}:${topicValue}` : eventHeader.value;
  else if (webhookHeader.kind === 'value') eventId = webhookHeader.value;
  else return fail('missing_event_id', 'neither X-Shopify-Event-Id nor X-Shopify-Webhook-Id is present');

  const triggered = readHeader(headers, 'x-shopify-triggered-at');
  const timestamp = triggered.kind === 'value' ? new Date(triggered.value) : undefined;
  return {
    ok: true,
    eventId,
    ...(timestamp && !Number.isNaN(timestamp.getTime()) ? { timestamp } : {}),
    ...(topicValue ? { topic: topicValue } : {}),
  };
}
