/**
 * Loop Returns: `X-Loop-Signature` = base64(HMAC-SHA256(webhook secret, raw body)).
 * https://docs.loopreturns.com/webhook-reference/validation ; Loop signs its own compact serialisation, so only the
 * raw bytes received are hashed, never a re-serialised object.
 *
 * Loop sends no event id or timestamp header, and retries resend the original payload, so the dedupe key is the
 * SHA-256 of the raw body: a retry has the same key, a real change (edited_at moves) gets a new one.
 */
import { decodeBase64Strict, hmacSha256, readHeader, safeEqualBytes, secretList, sha256Hex } from './crypto-helpers';
import { fail, type VerifyResult, type WebhookHeaders } from './result';

export function verifyLoop(headers: WebhookHeaders, rawBody: Buffer, secrets: string | readonly string[] | undefined): VerifyResult {
  const keys = secretList(secrets);
  if (keys.length === 0) return fail('no_secret', 'no Loop webhook secret is configured for this channel');

  const header = readHeader(headers, 'x-loop-signature');
  if (header.kind === 'absent') return fail('missing_signature', 'X-Loop-Signature header is missing');
  if (header.kind === 'repeated') return fail('repeated_header', 'X-Loop-Signature header was sent more than once');
  const given = decodeBase64Strict(header.value.trim());
  if (!given || given.length !== 32) return fail('malformed_header', 'X-Loop-Signature is not a base64 SHA-256 HMAC');

  let matched = false;
  for (const key of keys) matched = safeEqualBytes(hmacSha256(key, rawBody), given) || matched;
  if (!matched) return fail('bad_signature', 'X-Loop-Signature does not match the body');

  return { ok: true, eventId: `sha256:${sha256Hex(rawBody)}`, ...loopTopic(rawBody) };
}

/** The payload's `trigger` (e.g. return.closed), read only after the signature checked out. */
function loopTopic(rawBody: Buffer): { topic?: string } {
  try {
    const body: unknown = JSON.parse(rawBody.toString('utf8'));
    if (body && typeof body === 'object' && 'trigger' in body && typeof body.trigger === 'string') return { topic: body.trigger };
  } catch {
    // Body validation is the intake's job; the signature alone decides here.
  }
  return {};
}
