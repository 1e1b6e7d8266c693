/**
 * Opens the store named by the configuration: PostgreSQL through a `pg` Pool, or embedded PGlite (a data folder, or
 * `memory://` for tests). Both answer the same `Db` port. The handle also says how pg-boss should reach the same
 * database (its own pool on PostgreSQL; the one PGlite connection otherwise).
 */
import { Pool, types as pgTypes, type PoolClient } from 'pg';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { DatabaseConfig } from '../config';
import type { Db, QueryResult } from './db';

// int8 (count(*), bigserial) as strings would surprise callers expecting counts; values we store as bigint are
// counters well inside 2^53. Platform ids are never stored as numbers (they are text columns).
pgTypes.setTypeParser(20, (value: string) => Number(value));

export type StoreHandle = Db &
  (
    | { readonly kind: 'postgres'; readonly connectionString: string; readonly pool: Pool }
    | { readonly kind: 'pglite'; readonly pglite: PGlite }
  );

export async function openDb(config: DatabaseConfig): Promise<StoreHandle> {
  return config.kind === 'postgres' ? openPostgres(config.url, config.poolSize) : openPglite(config.dataDir);
}

function fromPgClient(client: Pool | PoolClient): Pick<Db, 'query'> {
  return {
    async query<T>(text: string, params?: unknown[]): Promise<QueryResult<T>> {
      const result = await client.query(text, params);
      // A multi-statement text (migrations) yields an array of results; the last one is what callers expect.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: (last?.rows ?? []) as T[], rowCount: last?.rowCount ?? 0 };
    },
  };
}

function openPostgres(connectionString: string, poolSize: number): StoreHandle {
  const pool = new Pool({ connectionString, max: poolSize });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  function txDb(client: PoolClient): Db {
    const db: Db = {
      kind: 'postgres',
      ...fromPgClient(client),
      // Already inside a transaction: nested calls join it.
      transaction: (fn) => fn(db),
      close: async () => undefined,
    };
    return db;
  }

  return {
    kind: 'postgres',
    connectionString,
    pool,
    ...fromPgClient(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn(txDb(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

type PgliteLike = Pick<PGlite, 'query' | 'exec'> | Transaction;

function fromPglite(target: PgliteLike): Pick<Db, 'query'> {
  return {
    async query<T>(text: string, params?: unknown[]): Promise<QueryResult<T>> {
      if (params && params.length > 0) {
        const result = await target.query<T>(text, params);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      }
      // Without parameters the text may hold several statements (migrations), like pg's simple protocol.
      const results = await target.exec(text);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as T[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    },
  };
}

async function openPglite(dataDir: string): Promise<StoreHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(dataDir);

  function txDb(tx: Transaction): Db {
    const db: Db = { kind: 'pglite', ...fromPglite(tx), transaction: (fn) => fn(db), close: async () => undefined };
    return db;
  }

  return {
    kind: 'pglite',
    pglite,
    ...fromPglite(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(txDb(tx))),
    close: () => pglite.close(),
  };
}
