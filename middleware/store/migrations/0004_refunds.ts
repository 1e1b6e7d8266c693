import type { Migration } from './types';

/**
 * The refund flow (middleware/flows/refunds): storefront orders and their NetSuite sales orders, one row per
 * refund (either direction) with the NetSuite records written for it, and poll cursors per channel and stream.
 * Amounts are integer minor units; ids are text.
 */
export const migration: Migration = {
  id: '0004_refunds',
  sql: `
create table lb_refund_orders (
  channel_id text not null references lb_channels(id),
  order_id text not null,
  tenant_id text not null references lb_tenants(id),
  order_number text,
  currency text,
  total_minor bigint,
  netsuite_salesorder_id text,
  netsuite_billing_type text,
  netsuite_billing_id text,
  sync_record_id text references lb_sync_records(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (channel_id, order_id)
);
create index lb_refund_orders_billing on lb_refund_orders (netsuite_billing_id);

create table lb_refunds (
  id text primary key,
  tenant_id text not null references lb_tenants(id),
  channel_id text not null references lb_channels(id),
  direction text not null check (direction in ('inbound', 'outbound')),
  source_key text not null,
  sync_record_id text references lb_sync_records(id),
  order_id text,
  platform_refund_id text,
  currency text,
  total_minor bigint,
  netsuite_record_type text,
  netsuite_record_id text,
  netsuite_records jsonb not null default '[]'::jsonb,
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint lb_refunds_source unique (channel_id, direction, source_key)
);
create index lb_refunds_order on lb_refunds (channel_id, order_id);
create index lb_refunds_platform on lb_refunds (channel_id, platform_refund_id);
create index lb_refunds_netsuite on lb_refunds (netsuite_record_id);

create table lb_refund_cursors (
  channel_id text not null references lb_channels(id),
  stream text not null,
  cursor text not null,
  updated_at timestamptz not null default now(),
  primary key (channel_id, stream)
);
`,
};
