import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookHeaders } from './result';

/** Constant-time byte comparison; unequal lengths are unequal (length is not secret for a fixed-size MAC). */
export function safeEqualBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time text comparison that leaks neither content nor length: compares SHA-256 digests. */
export function safeEqualText(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

export function hmacSha256(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 decode (Buffer.from silently skips junk); undefined when the text is not canonical base64. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

export type HeaderValue = { kind: 'absent' } | { kind: 'repeated' } | { kind: 'value'; value: string };

/** Reads one header by lower-case name; a header sent twice is reported, not silently merged. */
export function readHeader(headers: WebhookHeaders, name: string): HeaderValue {
  const raw = headers[name];
  if (raw === undefined) return { kind: 'absent' };
  if (typeof raw === 'string') return raw === '' ? { kind: 'absent' } : { kind: 'value', value: raw };
  if (raw.length === 0) return { kind: 'absent' };
  if (raw.length > 1) return { kind: 'repeated' };
  const only = raw[0] as string;
  return only === '' ? { kind: 'absent' } : { kind: 'value', value: only };
}

/** Secrets as a non-empty list with blanks removed (a blank secret is the same as none: fail closed). */
export function secretList(secrets: string | readonly string[] | undefined | null): string[] {
  if (secrets === undefined || secrets === null) return [];
  const list = typeof secrets === 'string' ? [secrets] : [...secrets];
  return list.filter((s) => typeof s === 'string' && s.trim() !== '');
}
