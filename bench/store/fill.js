// Fills a migrated, empty store with a realistic volume of sync data in a few set-based statements
// (generate_series, no row-by-row inserts): 5 tenants (one holds 40% of the traffic), 4 storefront channels each
// (Shopify, Magento, eBay, Amazon) on one NetSuite connection per tenant, and `records` sync records spread over
// 120 days, each with its webhook event (a JSON body as the platform or the poll sends it), its transitions and its
// attempts. About 3 records per storefront order; 30% of the records are refunds (Shopify refunds/create, imported
// refunds, NetSuite refunds pushed to the cart) with their lb_refunds row, and each refunded order has its
// lb_refund_orders row. Records older than the last 2% are settled (posted 94%, skipped 4.5%, cancelled 0.5%,
// failed 1%); the last 2% are still moving (received, queued, posting, parked, failed, posted …). A few records are
// exceptions for polled items that could not be read. Used by bench/store/run.js and the store index test.
'use strict';

const TENANTS = 5;
const KINDS = ['shopify', 'magento', 'ebay', 'amazon'];
const CHUNK = 250_000;

/** The derived facts of record i (1..n), computed once into a staging table the fill reads from. */
const PLAN = `
insert into lb_bench_plan
select i, id, event_id, tenant_id, channel_id, kind, order_id, refund_key, topic, state,
       case state when 'failed' then 'netsuite_error' when 'skipped' then 'nothing_to_post' when 'cancelled' then 'cancel_by_partner'
                  when 'parked' then case when topic in ('refunds/create', 'ledgerbridge/refund.import') then 'order_not_synced' else 'netsuite_unavailable' end
                  else null end as state_code,
       created_at,
       case when state in ('received') then created_at else created_at + make_interval(secs => 1 + h % 90) end as state_changed_at
  from (
    select i, md5('sr' || i)::uuid::text as id, md5('ev' || i)::uuid::text as event_id,
           'tenant-' || t as tenant_id, 'channel-' || t || '-' || k as channel_id, k as kind,
           (5000000000000 + o)::text as order_id, (7000000000000 + i)::text as refund_key,
           case when u < 2 then 'ledgerbridge/refund.unreadable'
                when r < 30 then case when k = 'shopify' and r < 15 then 'refunds/create'
                                      when k = 'shopify' then 'ledgerbridge/netsuite.refund'
                                      else 'ledgerbridge/refund.import' end
                when k = 'shopify' then case when r < 65 then 'orders/create' else 'orders/paid' end
                else 'ledgerbridge/order.import' end as topic,
           case when i <= $2::int * 0.98 then
                  case when s < 940 then 'posted' when s < 985 then 'skipped' when s < 990 then 'cancelled' else 'failed' end
                else
                  case when s < 550 then 'posted' when s < 600 then 'skipped' when s < 610 then 'cancelled' when s < 650 then 'failed'
                       when s < 730 then 'parked' when s < 850 then 'queued' when s < 920 then 'received' else 'posting' end
           end as state,
           now() - make_interval(secs => ($2::int - i)::float8 * 120 * 86400 / $2::int + h) as created_at,
           h
      from (
        select i, o,
               case when ho < 400 then 0 else 1 + ho % ${TENANTS - 1} end as t,
               (array['shopify', 'magento', 'ebay', 'amazon'])[1 + (ho / 7) % 4] as k,
               (hashint4(i) & 2147483647) % 100 as r,
               (hashint4(i + 1000000007) & 2147483647) % 1000 as s,
               (hashint4(i + 2000000011) & 2147483647) % 500 as u,
               (hashint4(i + 300000007) & 2147483647) % 60 as h
          from (select i, i / 3 as o, (hashint4(i / 3) & 2147483647) % 1000 as ho from generate_series($1::int, $3::int) as i) g
      ) x
  ) p`;

const EVENTS = `
insert into lb_webhook_events (id, tenant_id, channel_id, platform_event_id, topic, headers, body, received_at)
select event_id, tenant_id, channel_id,
       case topic when 'ledgerbridge/netsuite.refund' then 'netsuite:cashrefund:' || refund_key
                  when 'ledgerbridge/refund.import' then 'refund:' || refund_key
                  when 'ledgerbridge/refund.unreadable' then 'unreadable-item:' || kind || ':order:' || order_id || ':' || i
                  else md5('whid' || i)::uuid::text end,
       topic,
       case when kind = 'shopify' and topic in ('refunds/create', 'orders/create', 'orders/paid')
            then jsonb_build_object('x-shopify-topic', topic, 'x-shopify-webhook-id', md5('whid' || i)::uuid::text)
            else '{}'::jsonb end,
       case topic
         when 'refunds/create' then
           '{"id":' || refund_key || ',"order_id":' || order_id || ',"created_at":"' || to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
           || '","note":"Damaged in transit","restock":true,"refund_line_items":[{"line_item_id":' || (i * 3) || ',"quantity":1,"subtotal":"19.99"}],'
           || '"transactions":[{"kind":"refund","status":"success","amount":"19.99","currency":"USD"}]}'
         when 'ledgerbridge/refund.import' then
           '{"refund":{"platform":"' || kind || '","refundId":"' || refund_key || '","orderId":"' || order_id
           || '","currency":"USD","lines":[{"sku":"SKU-' || (i % 500) || '","quantity":1,"amountMinor":1999}],"shippingMinor":0},"via":"poll"}'
         when 'ledgerbridge/netsuite.refund' then
           '{"recordType":"cashrefund","recordId":"' || refund_key || '","orderId":"' || order_id || '","createdFrom":"' || (8000000 + i / 3) || '"}'
         when 'ledgerbridge/refund.unreadable' then
           '{"kind":"unreadable_platform_item","platform":"' || kind || '","item":"order","itemId":"' || order_id || '","orderId":"' || order_id
           || '","problem":"The order has no line items."}'
         else
           '{"id":' || order_id || ',"name":"#' || (i / 3) || '","currency":"USD","total_price":"59.97","financial_status":"paid",'
           || '"line_items":[{"sku":"SKU-' || (i % 500) || '","quantity":3,"price":"19.99"}],"customer":{"email":"c' || (i % 100000) || '@example.test"}}'
       end,
       created_at
  from lb_bench_plan where i between $1 and $2`;

const RECORDS = `
insert into lb_sync_records (id, tenant_id, channel_id, event_id, topic, external_key, state, state_code, state_message, attempt_count,
                             created_at, updated_at, state_changed_at)
select id, tenant_id, channel_id, event_id, topic, kind || ':' || channel_id || ':' || topic || ':' || i, state, state_code,
       case when state_code is null then null else 'bench ' || state_code end,
       case when state in ('received', 'queued') then 0 when state = 'cancelled' then 0 when state = 'failed' then 3 else 1 end,
       created_at, state_changed_at, state_changed_at
  from lb_bench_plan where i between $1 and $2`;

const PATHS = `case state
  when 'received' then array['received']
  when 'queued' then array['received', 'queued']
  when 'posting' then array['received', 'queued', 'posting']
  when 'cancelled' then array['received', 'queued', 'cancelled']
  else array['received', 'queued', 'posting', state] end`;

const TRANSITIONS = `
insert into lb_sync_transitions (sync_record_id, from_state, to_state, code, message, at)
select p.id, case when step.n = 1 then null else (${PATHS})[step.n - 1] end, step.to_state,
       case when step.to_state = p.state then p.state_code else null end, null,
       p.created_at + make_interval(secs => (step.n - 1) * 0.25)
  from lb_bench_plan p cross join lateral unnest(${PATHS}) with ordinality as step(to_state, n)
 where p.i between $1 and $2
 order by p.i, step.n`;

const ATTEMPTS = `
insert into lb_sync_attempts (sync_record_id, attempt, started_at, finished_at, outcome, error_code, error_message)
select p.id, a, p.created_at + make_interval(secs => a), case when p.state = 'posting' then null else p.state_changed_at end,
       case when p.state = 'posting' then null when p.state = 'failed' and a < 3 then 'retry' when p.state = 'failed' then 'failed' else p.state end,
       case when p.state = 'failed' then 'netsuite_error' else null end, case when p.state = 'failed' then 'bench failure' else null end
  from lb_bench_plan p cross join lateral generate_series(1, case when p.state = 'failed' then 3 else 1 end) as a
 where p.i between $1 and $2 and p.state in ('posting', 'posted', 'skipped', 'parked', 'failed')`;

const REFUNDS = `
insert into lb_refunds (id, tenant_id, channel_id, direction, source_key, sync_record_id, order_id, platform_refund_id, currency, total_minor,
                        netsuite_record_type, netsuite_record_id, netsuite_records, created_at, updated_at)
select md5('rf' || i)::uuid::text, tenant_id, channel_id,
       case when topic = 'ledgerbridge/netsuite.refund' then 'outbound' else 'inbound' end,
       case when topic = 'ledgerbridge/netsuite.refund' then 'cashrefund:' || refund_key else refund_key end,
       id, order_id,
       case when topic = 'ledgerbridge/netsuite.refund' then case when state = 'posted' then (6000000000000 + i)::text else null end else refund_key end,
       'USD', 1999,
       case when state = 'posted' then 'cashrefund' else null end,
       case when topic = 'ledgerbridge/netsuite.refund' then refund_key when state = 'posted' then (9000000 + i)::text else null end,
       case when state = 'posted' then jsonb_build_array(jsonb_build_object('kind', 'cashrefund', 'id', (9000000 + i)::text, 'externalId', 'lb-' || i, 'amount', 1999, 'created', true))
            else '[]'::jsonb end,
       created_at, state_changed_at
  from lb_bench_plan
 where i between $1 and $2 and topic in ('refunds/create', 'ledgerbridge/refund.import', 'ledgerbridge/netsuite.refund')`;

const ORDERS = `
insert into lb_refund_orders (channel_id, order_id, tenant_id, order_number, currency, total_minor, netsuite_salesorder_id, netsuite_billing_type,
                              netsuite_billing_id, sync_record_id, created_at, updated_at)
select distinct on (channel_id, order_id) channel_id, order_id, tenant_id, '#' || (i / 3), 'USD', 5997,
       case when state_code = 'order_not_synced' then null else (8000000 + i / 3)::text end,
       case when state_code = 'order_not_synced' then null else 'cash_sale' end,
       case when state_code = 'order_not_synced' then null else (8500000 + i / 3)::text end,
       id, created_at, state_changed_at
  from lb_bench_plan
 where topic in ('refunds/create', 'ledgerbridge/refund.import', 'ledgerbridge/netsuite.refund')
 order by channel_id, order_id, i`;

/**
 * Fills the store (after `migrate`) with `records` sync records and everything around them; returns the seconds
 * each step took. `db` is the store's Db port (middleware/store/db.ts).
 */
async function fillStore(db, { records }) {
  if (!Number.isInteger(records) || records < 1000) throw new Error(`records must be an integer >= 1000, not ${records}`);
  const seconds = {};
  const step = async (name, fn) => {
    const started = process.hrtime.bigint();
    await fn();
    seconds[name] = (seconds[name] ?? 0) + Number(process.hrtime.bigint() - started) / 1e9;
  };
  await step('setup', async () => {
    for (let t = 0; t < TENANTS; t += 1) {
      await db.query('insert into lb_tenants (id, name) values ($1, $2)', [`tenant-${t}`, `Tenant ${t}`]);
      await db.query(
        `insert into lb_netsuite_connections (id, tenant_id, name, account_id, auth_kind, credentials_sealed, status)
         values ($1, $2, $3, $4, 'tba', 'sealed', 'connected')`,
        [`connection-${t}`, `tenant-${t}`, `NetSuite ${t}`, `TSTDRV${1000 + t}`],
      );
      for (const kind of KINDS) {
        await db.query(
          `insert into lb_channels (id, tenant_id, connection_id, kind, role, name, settings)
           values ($1, $2, $3, $4, $5, $6, '{}'::jsonb)`,
          [`channel-${t}-${kind}`, `tenant-${t}`, `connection-${t}`, kind, kind === 'shopify' || kind === 'magento' ? 'cart' : 'marketplace', `${kind} ${t}`],
        );
      }
    }
    await db.query(`create unlogged table lb_bench_plan (i int primary key, id text, event_id text, tenant_id text, channel_id text, kind text,
      order_id text, refund_key text, topic text, state text, state_code text, created_at timestamptz, state_changed_at timestamptz)`);
  });
  for (let from = 1; from <= records; from += CHUNK) {
    const to = Math.min(records, from + CHUNK - 1);
    await step('plan', () => db.query(PLAN, [from, records, to]));
    await step('events', () => db.query(EVENTS, [from, to]));
    await step('syncRecords', () => db.query(RECORDS, [from, to]));
    await step('transitions', () => db.query(TRANSITIONS, [from, to]));
    await step('attempts', () => db.query(ATTEMPTS, [from, to]));
    await step('refunds', () => db.query(REFUNDS, [from, to]));
  }
  await step('refundOrders', () => db.query(ORDERS));
  await step('cleanup', () => db.query('drop table lb_bench_plan'));
  await step('analyze', () => db.query('analyze'));
  return seconds;
}

/** Rows per table of the store's sync data, read from the database. */
async function tableRows(db) {
  const tables = ['lb_tenants', 'lb_channels', 'lb_webhook_events', 'lb_sync_records', 'lb_sync_transitions', 'lb_sync_attempts', 'lb_refunds', 'lb_refund_orders', 'lb_sync_state_counts'];
  const rows = {};
  for (const t of tables) rows[t] = Number((await db.query(`select count(*)::bigint as n from ${t}`)).rows[0].n);
  return rows;
}

module.exports = { fillStore, tableRows, TENANTS, KINDS };
