import type { Migration } from './types';

/** Reserved: filled in by the change that introduces its tables. */
export const migration: Migration = {
  id: '0011_console',
  sql: `select 1;`,
};
