/**
 * Named SQL for partner clients and signing keys (tables from migration 0002_partner_auth) and the token
 * endpoint's shared attempt counters (lb_token_attempts, migration 0008_token_attempts; used on PostgreSQL only).
 */
import type { Db } from '../store/db';

export interface PartnerClientRow {
  client_id: string;
  tenant_id: string;
  secret_hash: string;
  scopes: string;
  revoked_at: Date | string | null;
}

export interface SigningKeyRow {
  kid: string;
  alg: string;
  private_key_sealed: string;
  public_jwk: unknown;
  created_at: Date | string;
  retired_at: Date | string | null;
  expires_at: Date | string | null;
}

export async function insertPartnerClient(
  db: Db,
  row: { clientId: string; tenantId: string; secretHash: string; scopes: string },
): Promise<void> {
  await db.query('insert into lb_partner_clients (client_id, tenant_id, secret_hash, scopes) values ($1, $2, $3, $4)', [
    row.clientId,
    row.tenantId,
    row.secretHash,
    row.scopes,
  ]);
}

export async function findActivePartnerClient(db: Db, clientId: string): Promise<PartnerClientRow | undefined> {
  const result = await db.query<PartnerClientRow>(
    'select client_id, tenant_id, secret_hash, scopes, revoked_at from lb_partner_clients where client_id = $1 and revoked_at is null',
    [clientId],
  );
  return result.rows[0];
}

export async function revokePartnerClient(db: Db, clientId: string, now: Date): Promise<boolean> {
  const result = await db.query('update lb_partner_clients set revoked_at = $2 where client_id = $1 and revoked_at is null', [clientId, now]);
  return result.rowCount > 0;
}

const KEY_COLUMNS = 'kid, alg, private_key_sealed, public_jwk, created_at, retired_at, expires_at';

/** Inserts a new current key; false when another current key already exists (the unique index refused it). */
export async function insertCurrentSigningKey(
  db: Db,
  row: { kid: string; alg: string; privateKeySealed: string; publicJwk: object; now: Date },
): Promise<boolean> {
  const result = await db.query(
    `insert into lb_signing_keys (kid, alg, private_key_sealed, public_jwk, created_at)
     values ($1, $2, $3, $4::jsonb, $5) on conflict do nothing`,
    [row.kid, row.alg, row.privateKeySealed, JSON.stringify(row.publicJwk), row.now],
  );
  return result.rowCount > 0;
}

export async function findCurrentSigningKey(db: Db): Promise<SigningKeyRow | undefined> {
  const result = await db.query<SigningKeyRow>(`select ${KEY_COLUMNS} from lb_signing_keys where retired_at is null`);
  return result.rows[0];
}

export async function retireCurrentSigningKey(db: Db, now: Date, expiresAt: Date): Promise<void> {
  await db.query('update lb_signing_keys set retired_at = $1, expires_at = $2 where retired_at is null', [now, expiresAt]);
}

/** The current key and every retired key whose tokens may still be valid at `now`, newest first. */
export async function listVerifiableSigningKeys(db: Db, now: Date): Promise<SigningKeyRow[]> {
  const result = await db.query<SigningKeyRow>(
    `select ${KEY_COLUMNS} from lb_signing_keys where retired_at is null or expires_at > $1 order by created_at desc, kid`,
    [now],
  );
  return result.rows;
}

/**
 * Counts one token attempt for `bucket` in the window starting at `windowStart` and returns the window's count.
 * Atomic (one upsert), so processes sharing the database count together. A row from an older window restarts at 1;
 * a writer whose clock lags (an older window than the row's) does not reset the row.
 */
export async function hitTokenAttempt(db: Db, bucket: string, windowStart: Date): Promise<number> {
  const result = await db.query<{ attempts: number }>(
    `insert into lb_token_attempts (bucket, window_start, attempts) values ($1, $2, 1)
     on conflict (bucket) do update set
       attempts = case
         when excluded.window_start > lb_token_attempts.window_start then 1
         when excluded.window_start = lb_token_attempts.window_start then lb_token_attempts.attempts + 1
         else lb_token_attempts.attempts end,
       window_start = greatest(excluded.window_start, lb_token_attempts.window_start)
     returning attempts`,
    [bucket, windowStart],
  );
  return Number(result.rows[0]?.attempts ?? 1);
}

/** Takes one attempt back (after a success), within the same window only. */
export async function forgiveTokenAttempt(db: Db, bucket: string, windowStart: Date): Promise<void> {
  await db.query('update lb_token_attempts set attempts = attempts - 1 where bucket = $1 and window_start = $2 and attempts > 0', [bucket, windowStart]);
}

/** Drops counters of windows that ended before `before`. */
export async function purgeTokenAttempts(db: Db, before: Date): Promise<number> {
  const result = await db.query('delete from lb_token_attempts where window_start < $1', [before]);
  return result.rowCount;
}
