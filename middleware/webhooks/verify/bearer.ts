/**
 * Alternative Payments (and any platform that only sends a shared secret): the subscription's `secret_key` arrives
 * verbatim as `Authorization: Bearer <secret_key>` (https://docs.alternativepayments.io/getting-started/webhooks).
 * No HMAC, no timestamp: the body is not authenticated beyond "the sender knows the secret", so the processor must
 * re-read the object from the platform's API before writing to NetSuite, and there is no replay protection here.
 *
 * Dedupe key: the body's `id` (UNCONFIRMED envelope: `data.id` is accepted when there is no top-level id), prefixed
 * with the body's `topic`/`type`/`event` when present, because one resource id (a payment) can appear in several
 * topics (payment_succeeded, then payment_refunded).
 */
import { readHeader, safeEqualText, secretList } from './crypto-helpers';
import { fail, type VerifyResult, type WebhookHeaders } from './result';

function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

export function verifyBearer(headers: WebhookHeaders, rawBody: Buffer, secrets: string | readonly string[] | undefined): VerifyResult {
  const keys = secretList(secrets);
  if (keys.length === 0) return fail('no_secret', 'no webhook bearer secret is configured for this channel');

  const header = readHeader(headers, 'authorization');
  if (header.kind === 'absent') return fail('missing_signature', 'Authorization header is missing');
  if (header.kind === 'repeated') return fail('repeated_header', 'Authorization header was sent more than once');
  const match = /^Bearer +(\S+) *$/i.exec(header.value);
  if (!match) return fail('malformed_header', 'Authorization must be "Bearer <secret>"');
  const given = match[1] as string;

  // Digest comparison: constant time and independent of both lengths; every configured secret is tried.
  let matched = false;
  for (const key of keys) matched = safeEqualText(key, given) || matched;
  if (!matched) return fail('bad_signature', 'bearer secret does not match');

  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return fail('malformed_body', 'body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return fail('malformed_body', 'body is not a JSON object');
  const record = body as Record<string, unknown>;
  const data = record.data && typeof record.data === 'object' ? (record.data as Record<string, unknown>) : undefined;
  const id = idText(record.id) ?? idText(data?.id);
  if (!id) return fail('missing_event_id', 'body has no string id');
  const topic = [record.topic, record.type, record.event].find((t): t is string => typeof t === 'string' && t !== '');
  return { ok: true, eventId: topic ? `${topic}:${id}` : id, ...(topic ? { topic } : {}) };
}
