import type { Migration } from './types';

/**
 * A sync record that changes nothing in NetSuite on purpose ends `skipped` (with its reason), and so does the
 * attempt that decided it: both state checks accept the new value.
 */
export const migration: Migration = {
  id: '0006_sync_skipped',
  sql: `
alter table lb_sync_records drop constraint lb_sync_records_state_check;
alter table lb_sync_records add constraint lb_sync_records_state_check
  check (state in ('received', 'queued', 'posting', 'posted', 'skipped', 'parked', 'failed', 'cancelled'));
alter table lb_sync_attempts drop constraint lb_sync_attempts_outcome_check;
alter table lb_sync_attempts add constraint lb_sync_attempts_outcome_check
  check (outcome in ('posted', 'skipped', 'parked', 'failed', 'retry', 'interrupted'));
`,
};
