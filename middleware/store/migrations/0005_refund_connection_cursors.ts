import type { Migration } from './types';

/**
 * The refund flow's NetSuite outbox cursor belongs to the NetSuite connection (one outbox per account), not to
 * one of its channels: channels come and go, the outbox stays. Poll cursors of a storefront stay per channel.
 */
export const migration: Migration = {
  id: '0005_refund_connection_cursors',
  sql: `
create table lb_refund_connection_cursors (
  connection_id text not null references lb_netsuite_connections(id),
  stream text not null,
  cursor text not null,
  updated_at timestamptz not null default now(),
  primary key (connection_id, stream)
);
`,
};
