/**
 * Client secrets are random 256-bit values shown once; only a salted scrypt hash is stored
 * (`scrypt$<N>$<r>$<p>$<salt>$<hash>`, base64url), so a database leak yields no usable credentials.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const DEFAULT_PARAMS = { N: 1 << 14, r: 8, p: 1 };

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function newClientId(): string {
  return `lbc_${randomBytes(12).toString('base64url')}`;
}

export function newClientSecret(): string {
  return `lbs_${randomBytes(32).toString('base64url')}`;
}

export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = DEFAULT_PARAMS;
  const hash = await scryptAsync(secret, salt, KEY_LENGTH, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
  if (![options.N, options.r, options.p].every(Number.isSafeInteger) || expected.length !== KEY_LENGTH) return false;
  // Cap the input so a huge "secret" cannot burn CPU; real secrets are 47 characters.
  if (secret.length > 256) return false;
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), KEY_LENGTH, options);
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random secret nobody holds, with the same parameters as real ones: verifying a guess against it costs
 * what verifying against a real client's hash costs (the token endpoint uses it for unknown client ids).
 */
export function dummyClientSecretHash(): Promise<string> {
  dummyHash ??= hashClientSecret(randomBytes(32).toString('base64url'));
  return dummyHash;
}
