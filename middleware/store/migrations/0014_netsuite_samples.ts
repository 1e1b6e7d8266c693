import type { Migration } from './types';

/** Reserved: filled in by the change that introduces its tables. */
export const migration: Migration = {
  id: '0014_netsuite_samples',
  sql: `select 1;`,
};
