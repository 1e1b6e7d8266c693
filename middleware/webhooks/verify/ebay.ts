/**
 * eBay Notification API: `X-EBAY-SIGNATURE` is base64 of a JSON object `{alg, kid, signature, digest}`; `signature`
 * is a base64 DER ECDSA signature of the body, checked with the public key eBay publishes for `kid`
 * (GET https://api.ebay.com/commerce/notification/v1/public_key/{kid} → `{key, algorithm, digest}`; cache it).
 * https://developer.ebay.com/api-docs/commerce/notification/overview.html ; eBay/event-notification-nodejs-sdk.
 *
 * The key source is injected (`getPublicKey`) so this stays pure and tests use the published vector's key.
 * The dedupe key is the body's `notification.notificationId` (kept across eBay's retries).
 *
 * Asking for a key can cost a call to eBay, so everything that can be checked without the key is checked first:
 * the header's shape, the signature's shape (base64 of a DER ECDSA signature: SEQUENCE of two INTEGERs), and the
 * body's (a JSON object with `notification.notificationId`). Only then is the key source asked.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Strict, readHeader } from './crypto-helpers';
import { fail, type VerifyResult, type WebhookHeaders } from './result';

/** What eBay's getPublicKey call answers (fields as eBay names them). */
export interface EbayPublicKey {
  /** PEM; eBay sends it without line breaks, which is accepted. */
  key: string;
  /** e.g. "ECDSA". */
  algorithm?: string;
  /** e.g. "SHA1". */
  digest?: string;
}

export interface EbayKeySource {
  /**
   * Resolves the key for a key id, or null when eBay does not know it. Throwing means "could not ask".
   * `scope` (the channel id) lets a caching source budget its calls to eBay per channel.
   */
  getPublicKey(kid: string, scope?: string): Promise<EbayPublicKey | null>;
}

/** True when `bytes` is exactly a DER SEQUENCE of two positive-length INTEGERs (an ECDSA signature's shape). */
export function looksLikeDerEcdsaSignature(bytes: Buffer): boolean {
  if (bytes.length < 8 || bytes.length > 141 || bytes[0] !== 0x30) return false;
  let i = 1;
  let length = bytes[i++] as number;
  if (length === 0x81) length = bytes[i++] as number;
  else if (length > 0x7f) return false;
  if (length !== bytes.length - i) return false;
  for (let n = 0; n < 2; n++) {
    if (bytes[i++] !== 0x02) return false;
    const intLength = bytes[i++] as number;
    if (intLength < 1 || intLength > 67 || i + intLength > bytes.length) return false;
    i += intLength;
  }
  return i === bytes.length;
}

interface SignatureHeader {
  alg: string;
  kid: string;
  signature: string;
  digest: string;
}

const DIGESTS: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256' };

function parseHeader(value: string): SignatureHeader | undefined {
  const bytes = decodeBase64Strict(value.trim());
  if (!bytes) return undefined;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { alg, kid, signature, digest } = parsed as Record<string, unknown>;
    if (typeof alg !== 'string' || typeof kid !== 'string' || typeof signature !== 'string' || kid === '') return undefined;
    return { alg, kid, signature, digest: typeof digest === 'string' ? digest : 'SHA1' };
  } catch {
    return undefined;
  }
}

/** Re-wraps a PEM whose line breaks were dropped (as eBay's API returns it). */
function toKeyObject(pem: string): KeyObject | undefined {
  const match = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(pem);
  if (!match) return undefined;
  const body = (match[1] ?? '').replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  try {
    return createPublicKey(`-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`);
  } catch {
    return undefined;
  }
}

function readNotification(rawBody: Buffer): { id?: string; eventDate?: Date; topic?: string; compact?: Buffer } {
  try {
    const body = JSON.parse(rawBody.toString('utf8')) as {
      metadata?: { topic?: unknown };
      notification?: { notificationId?: unknown; eventDate?: unknown };
    };
    const id = body?.notification?.notificationId;
    const date = body?.notification?.eventDate;
    const topic = body?.metadata?.topic;
    const eventDate = typeof date === 'string' ? new Date(date) : undefined;
    return {
      ...(typeof id === 'string' && id !== '' ? { id } : {}),
      ...(eventDate && !Number.isNaN(eventDate.getTime()) ? { eventDate } : {}),
      ...(typeof topic === 'string' ? { topic } : {}),
      compact: Buffer.from(JSON.stringify(body), 'utf8'),
    };
  } catch {
    return {};
  }
}

export async function verifyEbay(headers: WebhookHeaders, rawBody: Buffer, keys: EbayKeySource | undefined): Promise<VerifyResult> {
  if (!keys || typeof keys.getPublicKey !== 'function') return fail('no_secret', 'no eBay public key source is configured');

  const header = readHeader(headers, 'x-ebay-signature');
  if (header.kind === 'absent') return fail('missing_signature', 'X-EBAY-SIGNATURE header is missing');
  if (header.kind === 'repeated') return fail('repeated_header', 'X-EBAY-SIGNATURE header was sent more than once');
  const sig = parseHeader(header.value);
  if (!sig) return fail('malformed_header', 'X-EBAY-SIGNATURE is not base64 JSON with alg, kid and signature');
  if (sig.alg.toLowerCase() !== 'ecdsa') return fail('unsupported_algorithm', `signature algorithm "${sig.alg.slice(0, 20)}" is not ECDSA`);
  const signature = decodeBase64Strict(sig.signature);
  if (!signature || !looksLikeDerEcdsaSignature(signature)) return fail('malformed_header', 'X-EBAY-SIGNATURE signature is not a base64 DER ECDSA signature');
  if (!DIGESTS[sig.digest.toUpperCase()]) return fail('unsupported_algorithm', `digest "${sig.digest.slice(0, 20)}" is not supported`);
  const notification = readNotification(rawBody);
  if (notification.compact === undefined) return fail('malformed_body', 'body is not JSON');
  if (!notification.id) return fail('missing_event_id', 'body has no notification.notificationId');

  let published: EbayPublicKey | null;
  try {
    published = await keys.getPublicKey(sig.kid);
  } catch (err) {
    return fail('key_unavailable', `could not fetch eBay public key: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!published) return fail('unknown_key', 'eBay does not know the signing key id');
  if (published.algorithm && published.algorithm.toUpperCase() !== 'ECDSA') {
    return fail('unsupported_algorithm', 'eBay public key is not an ECDSA key');
  }
  // The key's own published digest wins; the header may only repeat it (no downgrade by header).
  const digestName = (published.digest ?? sig.digest).toUpperCase();
  if (digestName !== sig.digest.toUpperCase()) return fail('bad_signature', 'header digest differs from the key digest');
  const digest = DIGESTS[digestName];
  if (!digest) return fail('unsupported_algorithm', `digest "${digestName.slice(0, 20)}" is not supported`);
  const key = toKeyObject(published.key);
  if (!key || key.asymmetricKeyType !== 'ec') return fail('unknown_key', 'eBay public key is not a usable EC key');

  const check = (data: Buffer): boolean => {
    try {
      return verify(digest, data, { key, dsaEncoding: 'der' }, signature);
    } catch {
      return false;
    }
  };
  // eBay's own SDK verifies JSON.stringify(JSON.parse(body)); the raw bytes are tried first, then that compact form
  // (UNCONFIRMED whether eBay ever sends bytes that differ from its compact serialisation). Either way the parsed
  // content is exactly what eBay signed.
  const valid = check(rawBody) || (notification.compact !== undefined && !notification.compact.equals(rawBody) && check(notification.compact));
  if (!valid) return fail('bad_signature', 'X-EBAY-SIGNATURE does not verify for the body');

  return {
    ok: true,
    eventId: notification.id,
    ...(notification.eventDate ? { timestamp: notification.eventDate } : {}),
    ...(notification.topic ? { topic: notification.topic } : {}),
  };
}
