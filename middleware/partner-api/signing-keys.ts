/**
 * Access-token signing keys: ES256 (P-256) key pairs. The private JWK is sealed with the secret box (AAD binds it to
 * its kid) before it reaches the database; the public JWK is what /.well-known/jwks.json publishes.
 *
 * Rotation retires the current key and makes a new one; the retired key stays verifiable (and published) until the
 * last token it can have signed has expired: retired_at + token lifetime + clock leeway.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import type { SecretBox } from '../security/secret-box';
import type { Db } from '../store/db';
import {
  findCurrentSigningKey,
  insertCurrentSigningKey,
  listVerifiableSigningKeys,
  retireCurrentSigningKey,
  type SigningKeyRow,
} from './sql';

export const TOKEN_ALG = 'ES256';

export interface PublicJwk {
  kty: string;
  kid: string;
  alg: string;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export interface VerificationKey {
  kid: string;
  jwk: PublicJwk;
  publicKey: CryptoKey;
}

export interface SigningKeyStoreOptions {
  db: Db;
  secretBox: SecretBox;
  /** How long a retired key stays verifiable: the token lifetime plus leeway. */
  retiredKeyLifetimeSeconds: number;
  now: () => Date;
  /** How long verification keys are cached in memory (other processes may rotate). */
  cacheSeconds?: number;
}

function sealAad(kid: string): string {
  return `lb_signing_keys:${kid}`;
}

export function createSigningKeyStore(options: SigningKeyStoreOptions) {
  const { db, secretBox, now } = options;
  const cacheMs = (options.cacheSeconds ?? 30) * 1000;
  let cache: { loadedAt: number; keys: Map<string, VerificationKey> } | undefined;
  let lastMissReload = 0;

  function isFresh(): boolean {
    const age = cache ? now().getTime() - cache.loadedAt : -1;
    return age >= 0 && age < cacheMs;
  }

  async function newKeyRow(): Promise<{ kid: string; alg: string; privateKeySealed: string; publicJwk: PublicJwk }> {
    const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
    const kid = randomBytes(12).toString('base64url');
    const privateJwk = await exportJWK(privateKey);
    const exported = await exportJWK(publicKey);
    const publicJwk: PublicJwk = { kty: exported.kty ?? 'EC', crv: exported.crv, x: exported.x, y: exported.y, kid, alg: TOKEN_ALG, use: 'sig' };
    return { kid, alg: TOKEN_ALG, privateKeySealed: secretBox.seal(JSON.stringify(privateJwk), sealAad(kid)), publicJwk };
  }

  async function toVerificationKey(row: SigningKeyRow): Promise<VerificationKey> {
    const stored = (typeof row.public_jwk === 'string' ? JSON.parse(row.public_jwk) : row.public_jwk) as PublicJwk;
    // Only the public members are imported, whatever else the row holds.
    const jwk: PublicJwk = { kty: stored.kty, crv: stored.crv, x: stored.x, y: stored.y, kid: row.kid, alg: row.alg, use: 'sig' };
    const publicKey = (await importJWK(jwk, row.alg)) as CryptoKey;
    return { kid: row.kid, jwk, publicKey };
  }

  async function loadVerificationKeys(): Promise<Map<string, VerificationKey>> {
    const rows = await listVerifiableSigningKeys(db, now());
    const keys = new Map<string, VerificationKey>();
    for (const row of rows) if (row.alg === TOKEN_ALG) keys.set(row.kid, await toVerificationKey(row));
    cache = { loadedAt: now().getTime(), keys };
    return keys;
  }

  return {
    /** The current key, created on first use (concurrent creators: one wins, the others read it). */
    async currentSigningKey(): Promise<SigningKey> {
      let row = await findCurrentSigningKey(db);
      if (!row) {
        const fresh = await newKeyRow();
        await insertCurrentSigningKey(db, { ...fresh, now: now() });
        row = await findCurrentSigningKey(db);
        if (!row) throw new Error('no current signing key after creating one');
      }
        const privateJwk = JSON.parse(secretBox.open(row.private_key_sealed, sealAad(row.kid))) as Record<string, unknown>;
      const privateKey = (await importJWK(privateJwk, row.alg)) as CryptoKey;
      return { kid: row.kid, privateKey };
    },

    /** Retires the current key (still verifiable until its tokens expire) and makes a new current key. */
    async rotate(): Promise<{ kid: string; retiredKid?: string }> {
      const fresh = await newKeyRow();
      const at = now();
      const expiresAt = new Date(at.getTime() + options.retiredKeyLifetimeSeconds * 1000);
      const retiredKid = await db.transaction(async (tx) => {
        const current = await findCurrentSigningKey(tx);
        await retireCurrentSigningKey(tx, at, expiresAt);
        if (!(await insertCurrentSigningKey(tx, { ...fresh, now: at }))) throw new Error('another current signing key appeared during rotation');
        return current?.kid;
      });
      cache = undefined;
      return retiredKid ? { kid: fresh.kid, retiredKid } : { kid: fresh.kid };
    },

    /** Public keys a token may be verified with: the current key and retired keys not yet expired. */
    async verificationKeys(): Promise<VerificationKey[]> {
      const keys = isFresh() && cache ? cache.keys : await loadVerificationKeys();
      return [...keys.values()];
    },

    /** The key for a kid, reloading at most once a second when the kid is unknown (another process rotated). */
    async verificationKey(kid: string): Promise<VerificationKey | undefined> {
      let keys = isFresh() && cache ? cache.keys : await loadVerificationKeys();
      if (!keys.has(kid) && Math.abs(now().getTime() - lastMissReload) > 1000) {
        lastMissReload = now().getTime();
        keys = await loadVerificationKeys();
      }
      return keys.get(kid);
    },

    /** Drops the in-memory cache (tests, or after an external rotation). */
    invalidate(): void {
      cache = undefined;
    },
  };
}

export type SigningKeyStore = ReturnType<typeof createSigningKeyStore>;
