/**
 * SQL of the NetSuite concurrency budget (table lb_netsuite_slots, migration 0003_netsuite). Runs the same on
 * PostgreSQL and PGlite. SKIP LOCKED lets processes racing for slots each take a different free row instead of
 * queueing behind one another's row locks.
 */
import type { Db } from '../store/db';

/** Makes sure slots 0 … limit-1 exist for the account (idempotent). */
export async function ensureSlots(db: Db, accountKey: string, limit: number): Promise<void> {
  await db.query(
    `insert into lb_netsuite_slots (account_key, slot)
     select $1, g from generate_series(0, $2::int - 1) as g
     on conflict (account_key, slot) do nothing`,
    [accountKey, limit],
  );
}

/** Takes one free (or expired) slot below the limit for `holder`; null when all are held. */
export async function acquireSlot(db: Db, accountKey: string, limit: number, holder: string, leaseMs: number): Promise<number | null> {
  const result = await db.query<{ slot: number }>(
    `with free as (
       select account_key, slot from lb_netsuite_slots
        where account_key = $1 and slot < $2::int and (holder is null or expires_at < clock_timestamp())
        order by slot
        limit 1
        for update skip locked
     )
     update lb_netsuite_slots s
        set holder = $3, expires_at = clock_timestamp() + $4::int * interval '1 millisecond'
       from free
      where s.account_key = free.account_key and s.slot = free.slot
     returning s.slot`,
    [accountKey, limit, holder, leaseMs],
  );
  const row = result.rows[0];
  return row ? Number(row.slot) : null;
}

/** Frees a slot, only if `holder` still holds it (an expired lease may have passed to someone else). */
export async function releaseSlot(db: Db, accountKey: string, slot: number, holder: string): Promise<boolean> {
  const result = await db.query(
    `update lb_netsuite_slots set holder = null, expires_at = null
      where account_key = $1 and slot = $2 and holder = $3`,
    [accountKey, slot, holder],
  );
  return result.rowCount === 1;
}

/** Extends `holder`'s lease of a slot it still holds (the heartbeat of a long call); false when it lost it. */
export async function renewSlot(db: Db, accountKey: string, slot: number, holder: string, leaseMs: number): Promise<boolean> {
  const result = await db.query(
    `update lb_netsuite_slots set expires_at = clock_timestamp() + $4::int * interval '1 millisecond'
      where account_key = $1 and slot = $2 and holder = $3`,
    [accountKey, slot, holder, leaseMs],
  );
  return result.rowCount === 1;
}

/** Slots of the account held right now (for metrics and tests). */
export async function heldSlots(db: Db, accountKey: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    `select count(*)::int as n from lb_netsuite_slots
      where account_key = $1 and holder is not null and expires_at >= clock_timestamp()`,
    [accountKey],
  );
  return Number(result.rows[0]?.n ?? 0);
}
