import type { Migration } from './types';

/**
 * The NetSuite outbox cursor restarts at "0" on a schedule (internal ids are not in commit order, so an event
 * committed late can sit below the cursor): the connection's cursor row counts the sweeps since its last restart
 * and dates that restart.
 */
export const migration: Migration = {
  id: '0007_outbox_restart',
  sql: `
alter table lb_refund_connection_cursors add column sweeps_since_restart integer not null default 0;
alter table lb_refund_connection_cursors add column restarted_at timestamptz;
`,
};
