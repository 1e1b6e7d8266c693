/**
 * The store's only database port (the idea of pg-boss's IDatabase): PostgreSQL through `pg` when DATABASE_URL is
 * set, embedded PGlite otherwise. SQL lives in named functions next to the feature that owns it
 * (e.g. middleware/store/sql/*.ts); services never build SQL inline.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Db {
  /** Runs one parameterised statement ($1, $2 … placeholders). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs fn inside BEGIN/COMMIT (ROLLBACK on throw) on one connection. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** 'postgres' or 'pglite'. */
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}
