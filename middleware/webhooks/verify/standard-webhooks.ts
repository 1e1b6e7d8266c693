/**
 * Standard Webhooks (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
 * `webhook-signature` is a space-separated list of `v1,<base64 HMAC-SHA256>` over `<webhook-id>.<webhook-timestamp>.<raw
 * body>`, keyed with the base64-decoded secret (after its `whsec_` prefix). Any one matching signature passes (key
 * rotation); other versions (e.g. v1a, asymmetric) are ignored. The timestamp must be within 5 minutes of now, either
 * way, and `webhook-id` is the idempotency key.
 *
 * Why not the specification's own `standardwebhooks` package (1.1.1): its `Webhook.verify` signs
 * `payload.toString()`, so a Buffer body is decoded as UTF-8 first and a body that is not valid UTF-8 gets a MAC
 * over replacement characters instead of its bytes; its tolerance is a fixed 5 minutes against `Date.now()` (no
 * injectable clock or tolerance); it reads the timestamp with `parseInt` (accepting `123abc`) and checks it before
 * the signature (an unsigned request learns whether its timestamp would pass); one secret per `Webhook` (rotation
 * means one object per secret); it refuses with message-only errors (our machine-readable codes would hang on
 * matching its message texts), and on success returns `JSON.parse` of the body, which rounds big integers. The
 * scheme itself is a few lines of HMAC, written here against the specification and its published vectors.
 */
import { decodeBase64Strict, hmacSha256, readHeader, safeEqualBytes, secretList } from './crypto-helpers';
import { fail, type VerifyResult, type WebhookHeaders } from './result';

export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 5 * 60;

function decodeSecret(secret: string): Buffer | undefined {
  const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = decodeBase64Strict(body);
  return key && key.length > 0 ? key : undefined;
}

export function verifyStandardWebhook(
  headers: WebhookHeaders,
  rawBody: Buffer,
  secrets: string | readonly string[] | undefined,
  now: Date = new Date(),
  toleranceSeconds: number = STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
): VerifyResult {
  const configured = secretList(secrets);
  if (configured.length === 0) return fail('no_secret', 'no webhook signing secret is configured for this channel');
  const keys = configured.map(decodeSecret);
  if (keys.some((k) => k === undefined)) return fail('invalid_secret', 'a configured signing secret is not whsec_ base64');

  const id = readHeader(headers, 'webhook-id');
  const ts = readHeader(headers, 'webhook-timestamp');
  const sig = readHeader(headers, 'webhook-signature');
  if (sig.kind === 'absent') return fail('missing_signature', 'webhook-signature header is missing');
  if (id.kind === 'absent' || ts.kind === 'absent') return fail('missing_header', 'webhook-id and webhook-timestamp are required');
  if (id.kind === 'repeated' || ts.kind === 'repeated' || sig.kind === 'repeated') {
    return fail('repeated_header', 'a webhook-* header was sent more than once');
  }
  if (!/^\d{1,15}$/.test(ts.value)) return fail('malformed_header', 'webhook-timestamp must be whole seconds since the epoch');
  if (id.value.includes('.')) return fail('malformed_header', 'webhook-id must not contain "."');

  const candidates: Buffer[] = [];
  for (const entry of sig.value.split(' ')) {
    if (entry === '') continue;
    const comma = entry.indexOf(',');
    if (comma <= 0) return fail('malformed_header', 'webhook-signature entries look like "v1,<base64>"');
    if (entry.slice(0, comma) !== 'v1') continue;
    const mac = decodeBase64Strict(entry.slice(comma + 1));
    if (mac && mac.length === 32) candidates.push(mac);
  }
  if (candidates.length === 0) return fail('bad_signature', 'webhook-signature holds no v1 signature');

  let matched = false;
  for (const key of keys as Buffer[]) {
    const expected = hmacSha256(key, id.value, '.', ts.value, '.', rawBody);
    for (const candidate of candidates) matched = safeEqualBytes(expected, candidate) || matched;
  }
  if (!matched) return fail('bad_signature', 'no matching signature found');

  const seconds = Number(ts.value);
  const drift = Math.floor(now.getTime() / 1000) - seconds;
  if (drift > toleranceSeconds) return fail('stale_timestamp', 'message timestamp is too old');
  if (drift < -toleranceSeconds) return fail('stale_timestamp', 'message timestamp is too far in the future');

  return { ok: true, eventId: id.value, timestamp: new Date(seconds * 1000) };
}
