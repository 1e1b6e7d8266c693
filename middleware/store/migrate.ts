/**
 * Applies pending migrations in order, each recorded in lb_schema_migrations. Everything runs in one transaction
 * holding a transaction-scoped advisory lock, so two processes starting together on one PostgreSQL server never
 * migrate at once: the second waits, then finds nothing left to do.
 */
import type { Db } from './db';
import { migrations as allMigrations } from './migrations';
import type { Migration } from './migrations/types';

/** Arbitrary constant naming "ledgerbridge schema migration" for pg_advisory_xact_lock. */
const MIGRATION_LOCK_KEY = 7_311_004_201;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export async function migrate(db: Db, migrations: readonly Migration[] = allMigrations): Promise<MigrationReport> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(
      'create table if not exists lb_schema_migrations (id text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set((await tx.query<{ id: string }>('select id from lb_schema_migrations')).rows.map((r) => r.id));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await tx.query(migration.sql);
      await tx.query('insert into lb_schema_migrations (id) values ($1)', [migration.id]);
      applied.push(migration.id);
    }
    return { applied, alreadyApplied: migrations.filter((m) => done.has(m.id)).map((m) => m.id) };
  });
}

/** Ids of known migrations not yet applied (for /readyz). */
export async function pendingMigrations(db: Db, migrations: readonly Migration[] = allMigrations): Promise<string[]> {
  const exists = await db.query<{ present: boolean }>(
    "select to_regclass('lb_schema_migrations') is not null as present",
  );
  if (!exists.rows[0]?.present) return migrations.map((m) => m.id);
  const done = new Set((await db.query<{ id: string }>('select id from lb_schema_migrations')).rows.map((r) => r.id));
  return migrations.filter((m) => !done.has(m.id)).map((m) => m.id);
}
