// The store's hot queries, issued as the middleware issues them: each entry calls the middleware's own function
// (passed in as `modules`, so the benchmark runs the built code and the index test the sources) with arguments
// sampled from the filled store. `explainStatements` reads the plan PostgreSQL picks for every statement a call
// sent, with the same parameters. Used by bench/store/run.js and the store index test.
'use strict';

/** Tables small enough that a sequential scan is the right plan (a handful of rows per tenant). */
const SMALL_TABLES = new Set(['lb_tenants', 'lb_channels', 'lb_netsuite_connections', 'lb_sync_state_counts']);

/** A Db that records every statement (text and parameters) sent through it, transactions included. */
function recordingDb(db, statements) {
  const wrap = (inner) => ({
    kind: inner.kind,
    query: (text, params) => {
      statements.push({ text, params: params ?? [] });
      return inner.query(text, params);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: () => inner.close(),
  });
  return wrap(db);
}

function planNodes(node, out = []) {
  out.push(node);
  for (const child of node.Plans ?? []) planNodes(child, out);
  return out;
}

/**
 * The plan of each statement (EXPLAIN, not executed): the scans it uses, whether any reads a big table in full,
 * and the indexes it reads.
 */
async function explainStatements(db, statements) {
  const plans = [];
  for (const s of statements) {
    const result = await db.query(`explain (format json) ${s.text}`, s.params.length ? s.params : undefined);
    const raw = result.rows[0]['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan;
    const nodes = planNodes(plan);
    const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
    plans.push({
      statement: s.text.replace(/\s+/g, ' ').trim().slice(0, 160),
      seqScansOfBigTables: [...new Set(seqScans.filter((r) => !SMALL_TABLES.has(r)))],
      indexes: [...new Set(nodes.map((n) => n['Index Name']).filter(Boolean))],
      nodes: [...new Set(nodes.map((n) => n['Node Type']))],
    });
  }
  return {
    // No statement reads a big table in full: each reads big tables through indexes, or only small tables (the
    // count summary, channels).
    usesIndex: plans.every((p) => p.seqScansOfBigTables.length === 0),
    plans,
  };
}

const pick = (list, i) => list[i % list.length];

/** Arguments for the hot queries, read from the filled store (spread over tenants, channels and time). */
async function sampleArguments(db, count = 40) {
  const q = async (text, params) => (await db.query(text, params)).rows;
  const channels = await q('select id, tenant_id from lb_channels order by id');
  const parkedChannels = await q(
    `select distinct r.channel_id as id from lb_refunds r join lb_sync_records s on s.id = r.sync_record_id
      where s.state = 'parked' and s.state_code = 'order_not_synced' order by 1`,
  );
  const every = async (table, columns, where) => {
    const n = Number((await q(`select count(*)::bigint as n from ${table} where ${where}`))[0].n);
    const step = Math.max(1, Math.floor(n / count));
    return q(`select ${columns} from (select ${columns}, row_number() over (order by 1) as k from ${table} where ${where}) x where k % ${step} = 0 limit ${count}`);
  };
  const inbound = await every('lb_refunds', 'tenant_id, channel_id, platform_refund_id, order_id', "direction = 'inbound' and platform_refund_id is not null");
  const outbound = await every('lb_refunds', 'tenant_id, channel_id, netsuite_record_id, order_id', "direction = 'outbound' and netsuite_record_id is not null");
  const orders = await every('lb_refund_orders', 'tenant_id, channel_id, order_id, netsuite_salesorder_id, netsuite_billing_id', 'netsuite_salesorder_id is not null');
  const records = await every('lb_sync_records', 'id, tenant_id, created_at', "tenant_id = 'tenant-0'");
  const events = await every('lb_webhook_events', 'channel_id, platform_event_id', 'true');
  return { channels, parkedChannels: parkedChannels.length ? parkedChannels : channels, inbound, outbound, orders, records, events };
}

/**
 * The hot queries: name, where the middleware issues it, and a call taking the repetition number (arguments
 * rotate through the samples). `destructive` ones delete rows (run last). `pruneBatch`: records per retention
 * batch (the middleware's default, 500, unless given).
 */
function hotQueries(modules, a, { pruneBatch = 500 } = {}) {
  const { syncRecords, webhookEvents, retention, refundStore, operations } = modules;
  const tenant = 'tenant-0';
  const DAY = 86_400_000;
  return [
    { name: 'sweep.parkedRefunds', caller: 'flows/refunds/sweep.ts releaseLandedOrAged -> store.parkedRefundRecords', run: (db, i) => refundStore.parkedRefundRecords(db, pick(a.parkedChannels, i).id) },
    { name: 'syncRecords.page', caller: 'GET /v1/sync-records -> listSyncRecords (first page)', run: (db) => syncRecords.listSyncRecords(db, { tenantId: tenant, limit: 51 }) },
    {
      name: 'syncRecords.pageAfterCursor',
      caller: 'GET /v1/sync-records?cursor= -> listSyncRecords (keyset)',
      run: (db, i) => {
        const r = pick(a.records, i * 7);
        return syncRecords.listSyncRecords(db, { tenantId: r.tenant_id, limit: 51, before: { createdAt: new Date(r.created_at), id: r.id } });
      },
    },
    { name: 'syncRecords.pageByState', caller: 'GET /v1/sync-records?state=failed -> listSyncRecords', run: (db) => syncRecords.listSyncRecords(db, { tenantId: tenant, states: ['failed'], limit: 51 }) },
    {
      name: 'syncRecords.pageByChannel',
      caller: 'GET /v1/sync-records?channelId= -> listSyncRecords',
      run: (db, i) => {
        const c = pick(a.channels, i);
        return syncRecords.listSyncRecords(db, { tenantId: c.tenant_id, channelId: c.id, limit: 51 });
      },
    },
    { name: 'exceptions', caller: 'GET /v1/exceptions -> listExceptionRecords (defaults)', run: (db) => syncRecords.listExceptionRecords(db, tenant, 3600, 900, 100) },
    { name: 'metrics.countsByState', caller: 'GET /metrics -> countSyncRecordsByState', run: (db) => syncRecords.countSyncRecordsByState(db) },
    {
      name: 'syncRecords.detail',
      caller: 'GET /v1/sync-records/:id -> getSyncRecord, listAttempts, listTransitions',
      run: async (db, i) => {
        const r = pick(a.records, i * 3);
        await syncRecords.getSyncRecord(db, r.tenant_id, r.id);
        await syncRecords.listAttempts(db, r.id);
        return syncRecords.listTransitions(db, r.id);
      },
    },
    {
      name: 'outbound.orderBySalesOrder',
      caller: "flows/refunds/outbound.ts orderOfRecord: 'select * from lb_refund_orders where netsuite_salesorder_id = $1'",
      run: (db, i) => db.query('select * from lb_refund_orders where netsuite_salesorder_id = $1', [pick(a.orders, i).netsuite_salesorder_id]),
    },
    { name: 'outbound.orderByBilling', caller: 'flows/refunds/outbound.ts orderOfRecord -> store.findOrderByBilling', run: (db, i) => refundStore.findOrderByBilling(db, pick(a.orders, i).netsuite_billing_id) },
    {
      name: 'outbound.channelOfRecord',
      caller: 'flows/refunds/outbound.ts -> store.channelOfOutboundRecord',
      run: (db, i) => refundStore.channelOfOutboundRecord(db, `netsuite:cashrefund:${pick(a.outbound, i).netsuite_record_id}`, a.channels.map((c) => c.id)),
    },
    {
      name: 'partner.lookupByPlatformId',
      caller: 'GET /v1/lookup/:platformId -> operations.lookupByPlatformId (refund id, order id, NetSuite id in turn)',
      run: (db, i) => {
        const kind = i % 3;
        if (kind === 0) { const r = pick(a.inbound, i); return operations.lookupByPlatformId(db, r.tenant_id, r.platform_refund_id); }
        if (kind === 1) { const o = pick(a.orders, i); return operations.lookupByPlatformId(db, o.tenant_id, o.order_id); }
        const r = pick(a.outbound, i);
        return operations.lookupByPlatformId(db, r.tenant_id, r.netsuite_record_id);
      },
    },
    {
      name: 'partner.whyNotRecords',
      caller: 'GET /v1/channels/:id/orders/:orderId/why-not -> operations.refundSyncRecords',
      run: (db, i) => {
        const r = pick(a.inbound, i);
        return operations.refundSyncRecords(db, r.tenant_id, r.channel_id, { orderId: r.order_id });
      },
    },
    {
      name: 'processor.refundsByPlatformId',
      caller: 'flows/refunds/processor.ts, why-not -> store.findRefundsByPlatformId',
      run: (db, i) => {
        const r = pick(a.inbound, i);
        return refundStore.findRefundsByPlatformId(db, r.tenant_id, r.platform_refund_id, r.channel_id);
      },
    },
    {
      name: 'intake.duplicateLookup',
      caller: 'sync/sync-service.ts acceptEvent (a duplicate) -> findEventByPlatformId',
      run: (db, i) => {
        const e = pick(a.events, i);
        return webhookEvents.findEventByPlatformId(db, e.channel_id, e.platform_event_id);
      },
    },
    {
      name: 'retention.pruneBatch',
      caller: `retention prune -> pruneFinalRecordsBatch (${pruneBatch} records, 90 days, 72 h)`,
      destructive: true,
      run: (db) => retention.pruneFinalRecordsBatch(db, { cutoff: new Date(Date.now() - 90 * DAY), redeliveryCutoff: new Date(Date.now() - 3 * DAY), limit: pruneBatch }),
    },
    {
      name: 'retention.expiredDedupeRows',
      caller: `retention prune -> deleteExpiredDedupeRows (${pruneBatch})`,
      destructive: true,
      run: (db) => retention.deleteExpiredDedupeRows(db, { redeliveryCutoff: new Date(Date.now() - 3 * DAY), limit: pruneBatch }),
    },
  ];
}

module.exports = { recordingDb, explainStatements, sampleArguments, hotQueries, SMALL_TABLES };
