import type { Migration } from './types';

/**
 * Attempt counters of the token endpoint (POST /oauth/token), one row per bucket (`client:<id>` or
 * `address:<ip>`) holding the current window's count, so every process on one PostgreSQL database limits together.
 * On PGlite (one process) the counters stay in memory and this table stays empty.
 */
export const migration: Migration = {
  id: '0009_token_attempts',
  sql: `
create table lb_token_attempts (
  bucket text primary key,
  window_start timestamptz not null,
  attempts integer not null
);
create index lb_token_attempts_window on lb_token_attempts (window_start);
`,
};
