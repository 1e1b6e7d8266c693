import type { Migration } from './types';

/**
 * Indexes for the store's hot queries (middleware/store/README.md maps each index to its queries), and the summary
 * behind /metrics' sync record counts: `lb_sync_state_counts` holds signed per-state deltas that triggers on
 * lb_sync_records append in the writer's own transaction (insert, delete and truncate per statement, a state
 * change per row), so a count reads a few rows instead of the whole table and concurrent writers never wait on a
 * shared counter row. Readers fold the deltas into one row per state now and then (sql/sync-records.ts).
 *
 * `lb_refund_event_order_id(topic, body)` names the storefront order a stored refund event is about, as the refund
 * flow reads it (operations.ts), so "why not" finds an order's refund events through an index instead of searching
 * every event body of the channel. Where the database cannot tell what the flow would read (a body PostgreSQL's
 * json parser refuses, a number not written as a plain integer) it answers '*', which every lookup includes: the
 * index only ever narrows the candidates, the flow's own reading still decides.
 */
export const migration: Migration = {
  id: '0010_hot_query_indexes',
  sql: `
-- Sync records: pages newest first (all, by state, by channel), exceptions, retention, parked refunds.
create index lb_sync_records_tenant_created on lb_sync_records (tenant_id, created_at, id);
create index lb_sync_records_tenant_state_created on lb_sync_records (tenant_id, state, created_at, id);
drop index lb_sync_records_tenant_state;
create index lb_sync_records_channel_created on lb_sync_records (channel_id, created_at, id);
drop index lb_sync_records_channel;
create index lb_sync_records_open on lb_sync_records (tenant_id, state, state_changed_at)
  where state in ('received', 'queued', 'parked', 'failed');
create index lb_sync_records_final on lb_sync_records (state_changed_at)
  where state in ('posted', 'skipped', 'cancelled');
create index lb_sync_records_parked_for_order on lb_sync_records (created_at)
  where state = 'parked' and state_code = 'order_not_synced';

-- Refund flow rows: by sync record (parked refunds, retention and the foreign keys' checks), by platform id.
create index lb_refunds_sync_record on lb_refunds (sync_record_id);
create index lb_refunds_tenant_platform on lb_refunds (tenant_id, platform_refund_id);
create index lb_refunds_tenant_source on lb_refunds (tenant_id, source_key);
create index lb_refund_orders_salesorder on lb_refund_orders (netsuite_salesorder_id);
create index lb_refund_orders_tenant_order on lb_refund_orders (tenant_id, order_id);
create index lb_refund_orders_sync_record on lb_refund_orders (sync_record_id);

-- Webhook events: compact dedupe rows (retention), refund events by order ("why not").
create index lb_webhook_events_compact on lb_webhook_events (received_at) where body = '';

create function lb_refund_event_order_id(topic text, body text) returns text
language plpgsql immutable parallel safe as $fn$
declare
  doc json;
  v json;
  literal text;
begin
  if body is null or btrim(body, E' \\t\\n\\r') = '' then
    return null;
  end if;
  doc := body::json;
  if json_typeof(doc) <> 'object' then
    return null;
  end if;
  if topic = 'refunds/create' then
    v := doc -> 'order_id';
  elsif topic = 'ledgerbridge/refund.import' then
    v := doc -> 'refund';
    if v is null or json_typeof(v) <> 'object' then
      return null;
    end if;
    v := v -> 'orderId';
  else
    v := doc -> 'orderId';
  end if;
  if v is null then
    return null;
  end if;
  if json_typeof(v) = 'string' then
    return nullif(v #>> '{}', '');
  end if;
  if json_typeof(v) = 'number' then
    literal := v::text;
    if literal ~ '^-?(0|[1-9][0-9]*)$' and literal <> '-0' then
      return literal;
    end if;
    return '*';
  end if;
  return null;
exception when others then
  return '*';
end
$fn$;

create index lb_webhook_events_refund_order on lb_webhook_events (channel_id, lb_refund_event_order_id(topic, body))
  where topic in ('refunds/create', 'ledgerbridge/refund.import', 'ledgerbridge/refund.unreadable');

-- Sync record counts by state for /metrics.
create table lb_sync_state_counts (
  state text not null,
  n bigint not null
);

create function lb_sync_state_counts_inserted() returns trigger language plpgsql as $fn$
begin
  insert into lb_sync_state_counts (state, n) select state, count(*) from lb_sync_inserted group by state;
  return null;
end
$fn$;

create function lb_sync_state_counts_deleted() returns trigger language plpgsql as $fn$
begin
  insert into lb_sync_state_counts (state, n) select state, -count(*) from lb_sync_deleted group by state;
  return null;
end
$fn$;

create function lb_sync_state_counts_changed() returns trigger language plpgsql as $fn$
begin
  insert into lb_sync_state_counts (state, n) values (old.state, -1), (new.state, 1);
  return null;
end
$fn$;

create function lb_sync_state_counts_truncated() returns trigger language plpgsql as $fn$
begin
  delete from lb_sync_state_counts;
  return null;
end
$fn$;

create trigger lb_sync_records_counts_insert after insert on lb_sync_records
  referencing new table as lb_sync_inserted for each statement execute function lb_sync_state_counts_inserted();
create trigger lb_sync_records_counts_delete after delete on lb_sync_records
  referencing old table as lb_sync_deleted for each statement execute function lb_sync_state_counts_deleted();
create trigger lb_sync_records_counts_update after update of state on lb_sync_records
  for each row when (old.state is distinct from new.state) execute function lb_sync_state_counts_changed();
create trigger lb_sync_records_counts_truncate after truncate on lb_sync_records
  for each statement execute function lb_sync_state_counts_truncated();

-- The triggers above hold lb_sync_records against writers until this migration commits: nothing is counted twice.
insert into lb_sync_state_counts (state, n) select state, count(*) from lb_sync_records group by state;
`,
};
