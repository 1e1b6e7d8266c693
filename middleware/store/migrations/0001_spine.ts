import type { Migration } from './types';

/**
 * The spine: tenants (partners) → NetSuite connections → channels; webhook events; sync records with their
 * transitions and attempts. Ids are text (UUIDs we mint, platform ids as the platform sends them). Secrets are
 * stored sealed by the secret box, never in plain text.
 */
export const migration: Migration = {
  id: '0001_spine',
  sql: `
create table lb_tenants (
  id text primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table lb_netsuite_connections (
  id text primary key,
  tenant_id text not null references lb_tenants(id),
  name text not null,
  account_id text not null,
  auth_kind text not null check (auth_kind in ('tba', 'm2m')),
  credentials_sealed text not null,
  status text not null default 'pending' check (status in ('pending', 'connected', 'failed')),
  status_message text,
  concurrency_limit integer not null default 5 check (concurrency_limit between 1 and 100),
  restlet_script_id text not null default 'customscript_lb_rl_api',
  restlet_deploy_id text not null default 'customdeploy_lb_rl_api',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index lb_netsuite_connections_tenant on lb_netsuite_connections (tenant_id);

create table lb_channels (
  id text primary key,
  tenant_id text not null references lb_tenants(id),
  connection_id text references lb_netsuite_connections(id),
  kind text not null check (kind in ('shopify', 'magento', 'amazon', 'ebay', 'loop', 'payments')),
  role text not null check (role in ('cart', 'marketplace', 'returns', 'payments')),
  name text not null,
  settings jsonb not null default '{}'::jsonb,
  secrets_sealed text,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index lb_channels_tenant on lb_channels (tenant_id);

create table lb_webhook_events (
  id text primary key,
  tenant_id text not null references lb_tenants(id),
  channel_id text not null references lb_channels(id),
  platform_event_id text not null,
  topic text not null,
  headers jsonb not null,
  body text not null,
  received_at timestamptz not null default now(),
  constraint lb_webhook_events_dedupe unique (channel_id, platform_event_id)
);

create table lb_sync_records (
  id text primary key,
  tenant_id text not null references lb_tenants(id),
  channel_id text not null references lb_channels(id),
  event_id text unique references lb_webhook_events(id),
  topic text not null,
  external_key text not null,
  state text not null check (state in ('received', 'queued', 'posting', 'posted', 'parked', 'failed', 'cancelled')),
  state_code text,
  state_message text,
  attempt_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  state_changed_at timestamptz not null default now()
);
create index lb_sync_records_tenant_state on lb_sync_records (tenant_id, state, state_changed_at);
create index lb_sync_records_channel on lb_sync_records (channel_id, created_at);

create table lb_sync_transitions (
  id bigserial primary key,
  sync_record_id text not null references lb_sync_records(id),
  from_state text,
  to_state text not null,
  code text,
  message text,
  at timestamptz not null default now()
);
create index lb_sync_transitions_record on lb_sync_transitions (sync_record_id, id);

create table lb_sync_attempts (
  sync_record_id text not null references lb_sync_records(id),
  attempt integer not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text check (outcome in ('posted', 'parked', 'failed', 'retry', 'interrupted')),
  error_code text,
  error_message text,
  primary key (sync_record_id, attempt)
);
`,
};
