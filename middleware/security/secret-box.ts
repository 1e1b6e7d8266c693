/**
 * Secrets at rest: AES-256-GCM with a random 96-bit IV per seal, in a versioned envelope
 *
 *   v1.<keyId>.<iv>.<tag>.<ciphertext>      (each part base64url)
 *
 * keyId is derived from the key itself (first 64 bits of its SHA-256), so a rotated master key can be added as the
 * new current key while older keys stay in `previousKeys` to open what they sealed. The envelope's version and key
 * id are bound into GCM's additional authenticated data together with the caller's optional `aad` (e.g. a row id),
 * so a sealed value moved to another row or relabelled with another key id fails to open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export type SecretBoxErrorCode = 'invalid_key' | 'malformed' | 'unsupported_version' | 'unknown_key' | 'decrypt_failed';

export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export function isSecretBoxError(err: unknown): err is SecretBoxError {
  return err instanceof SecretBoxError;
}

export interface SecretBox {
  /** Encrypts with the current key. `aad` (not secret, not stored) must be given again to open. */
  seal(plain: string, aad?: string): string;
  /** Decrypts with whichever known key sealed it; throws SecretBoxError when malformed, unknown or tampered. */
  open(sealed: string, aad?: string): string;
  /** Id of the key `seal` uses now. */
  readonly currentKeyId: string;
  /** True when `sealed` was made by an older key and should be re-sealed. */
  needsReseal(sealed: string): boolean;
}

export interface SecretBoxOptions {
  /** Earlier master keys (base64, 32 bytes), still accepted by `open` while stored values are re-sealed. */
  previousKeys?: readonly string[];
}

/** A fresh random master key, base64 (32 bytes). */
export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function decodeKey(masterKey: string): Buffer {
  const key = Buffer.from(masterKey, 'base64');
  // Buffer.from ignores junk characters, so re-encode to make sure the text really was this key.
  if (key.length !== KEY_BYTES || key.toString('base64') !== masterKey.trim()) {
    throw new SecretBoxError('invalid_key', `master key must be ${KEY_BYTES} bytes encoded as base64`);
  }
  return key;
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url');
}

function additionalData(keyId: string, aad: string | undefined): Buffer {
  // A NUL separates the header from the caller's AAD so that ("", "x") and ("x", "") can never collide.
  return Buffer.from(`${VERSION}.${keyId}\u0000${aad ?? ''}`, 'utf8');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function createSecretBox(masterKey: string, options: SecretBoxOptions = {}): SecretBox {
  const current = decodeKey(masterKey);
  const currentKeyId = keyIdOf(current);
  const keys = new Map<string, Buffer>([[currentKeyId, current]]);
  for (const old of options.previousKeys ?? []) {
    const key = decodeKey(old);
    const id = keyIdOf(key);
    if (!keys.has(id)) keys.set(id, key);
  }

  function parse(sealed: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
    const parts = sealed.split('.');
    if (parts.length !== 5 || !parts.every((p) => BASE64URL.test(p))) {
      throw new SecretBoxError('malformed', 'sealed value is not a secret-box envelope');
    }
    const [version, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
    if (version !== VERSION) {
      throw new SecretBoxError('unsupported_version', `unsupported secret-box version "${version.slice(0, 8)}"`);
    }
    const parsed = {
      keyId,
      iv: Buffer.from(iv, 'base64url'),
      tag: Buffer.from(tag, 'base64url'),
      ciphertext: Buffer.from(ciphertext, 'base64url'),
    };
    if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
      throw new SecretBoxError('malformed', 'sealed value has a bad IV or tag length');
    }
    return parsed;
  }

  return {
    currentKeyId,

    seal(plain, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(currentKeyId, aad));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, currentKeyId, iv, tag, ciphertext]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },

    open(sealed, aad) {
      const { keyId, iv, tag, ciphertext } = parse(sealed);
      const key = keys.get(keyId);
      if (!key) throw new SecretBoxError('unknown_key', 'sealed with a key this box does not hold');
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(keyId, aad));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('decrypt_failed', 'sealed value failed authentication (tampered, or wrong aad)');
      }
    },

    needsReseal(sealed) {
      return parse(sealed).keyId !== currentKeyId;
    },
  };
}
