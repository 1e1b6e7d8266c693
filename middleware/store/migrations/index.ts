/**
 * Every migration, in order. Add a migration as its own file (NNNN_name.ts exporting `migration`) and one line here.
 * Applied by the store's migration runner (`ledgerbridge migrate`, and at start-up).
 */
import type { Migration } from './types';

export const migrations: Migration[] = [];
