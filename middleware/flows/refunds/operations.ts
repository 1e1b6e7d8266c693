/**
 * Operations on the refund flow a person asks for through the partner API: retrieve one order's refunds on
 * demand, "why didn't this sync?" with real facts, lookup of any order or refund by its platform id, and one
 * order's refunds with their state (the sandbox console's status).
 */
import { formatMoney, money } from '../../../core/money';
import { salesOrderLookup, type Platform } from '../../../core/orders';
import { explainWhyNotSynced, type CanonicalRefund, type RefundSyncRecordFact, type WhyNotAnswer, type WhyNotFacts } from '../../../core/refunds';
import { parseJson } from '../../connectors/shared/json';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import type { ChannelRow } from '../../store/sql/channels';
import { getSyncRecord, listTransitions, type SyncRecordRow } from '../../store/sql/sync-records';
import { acceptEvent } from '../../sync/sync-service';
import { FlowError, runOps, type NetSuiteFor } from '../../ports/netsuite';
import { billingOf, findSalesOrder } from '../../ports/order-facts';
import { fetchOrderRefunds } from './platform-refunds';
import { storefrontChannel } from '../../ports/storefront-orders';
import { accountOf, readRefundFlowSettings } from './settings';
import { IMPORTED_REFUND_TOPIC, type ImportedRefundEvent } from './sources';
import type { StorefrontPort } from '../../ports/platforms';
import * as store from './store';

export interface OperationsDeps {
  db: Db;
  jobs: JobQueue;
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
  /** The clock (the age of parked and failed records). */
  now?: () => Date;
}

/** Stores a refund the middleware found (poll or retrieve) as an event + sync record + job, deduped per refund. */
export async function queueImportedRefund(db: Db, jobs: JobQueue, channel: ChannelRow, refund: CanonicalRefund, via: string) {
  const body: ImportedRefundEvent = { refund, via };
  return acceptEvent(db, jobs, {
    tenantId: channel.tenant_id,
    channelId: channel.id,
    platformEventId: `refund:${refund.refundId}`,
    topic: IMPORTED_REFUND_TOPIC,
    externalKey: `${channel.kind}:${channel.id}:refund:${refund.refundId}`,
    headers: {},
    body: JSON.stringify(body),
  });
}

/** Where the order's NetSuite sales order stands: linked, deleted (linked before, gone now) or not there. */
async function netsuiteOrder(deps: OperationsDeps, channel: ChannelRow & { kind: Platform }, orderId: string) {
  const client = await deps.netsuite(channel.tenant_id, channel.connection_id as string);
  const known = await store.getOrder(deps.db, channel.id, orderId);
  const settings = readRefundFlowSettings(channel.kind, channel.settings);
  const ref = known?.netsuite_salesorder_id
    ? ({ by: 'id', value: known.netsuite_salesorder_id } as const)
    : salesOrderLookup(settings.orderLink, { platform: channel.kind, account: accountOf(channel.kind, channel.id, channel.settings), orderId });
  const found = await findSalesOrder(client, ref);
  const status: 'exists' | 'deleted' | 'not_found' = found ? 'exists' : known?.netsuite_salesorder_id ? 'deleted' : 'not_found';
  return { client, found, status, linkedId: known?.netsuite_salesorder_id ?? null };
}

export interface RetrieveResult {
  orderId: string;
  netsuiteSalesOrderId: string;
  refunds: Array<{ refundId: string; outcome: 'queued' | 'already_known'; syncRecordId: string | null }>;
  unreadable: Array<{ code: string; explanation: string }>;
}

/** "Retrieve by order ID": imports one order's refunds now. Refuses clearly when the order never reached NetSuite. */
export async function retrieveOrderRefunds(deps: OperationsDeps, tenantId: string, channelId: string, orderId: string): Promise<RetrieveResult> {
  const channel = await storefrontChannel(deps.db, tenantId, channelId);
  const order = await netsuiteOrder(deps, channel, orderId);
  if (!order.found) {
    throw new FlowError(
      order.status === 'deleted' ? 'netsuite_order_deleted' : 'order_not_synced',
      order.status === 'deleted'
        ? `The NetSuite sales order ${order.linkedId} of ${channel.kind} order ${orderId} was deleted; re-import the order first.`
        : `${channel.kind} order ${orderId} was never synced to NetSuite (no sales order matches it), so its refunds cannot be imported. Import the order first.`,
      false,
    );
  }
  await store.upsertOrder(deps.db, { channel_id: channel.id, order_id: orderId, tenant_id: tenantId, netsuite_salesorder_id: order.found.id });
  const fetched = await fetchOrderRefunds(channel, orderId, deps.storefronts);
  const refunds: RetrieveResult['refunds'] = [];
  for (const refund of fetched.refunds) {
    const known = await store.getRefund(deps.db, channel.id, 'inbound', refund.refundId);
    if (known) {
      refunds.push({ refundId: refund.refundId, outcome: 'already_known', syncRecordId: known.sync_record_id });
      continue;
    }
    const accepted = await queueImportedRefund(deps.db, deps.jobs, channel, refund, 'retrieve');
    refunds.push({ refundId: refund.refundId, outcome: accepted.duplicate ? 'already_known' : 'queued', syncRecordId: accepted.syncRecordId });
  }
  return { orderId, netsuiteSalesOrderId: order.found.id, refunds, unreadable: fetched.unreadable.map((u) => ({ code: u.code, explanation: u.explanation })) };
}

/** Topics whose stored events carry one storefront refund (or what a poll could not read of one). */
const REFUND_EVENT_TOPICS = ['refunds/create', IMPORTED_REFUND_TOPIC, 'ledgerbridge/refund.unreadable'] as const;

/** The order and refund ids a stored refund event names, read tolerantly (null where the payload does not say). */
function idsOfRefundEvent(topic: string, body: string): { orderId: string | null; refundId: string | null } {
  let parsed: unknown;
  try {
    parsed = parseJson(body);
  } catch {
    return { orderId: null, refundId: null };
  }
  const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const id = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);
  const root = obj(parsed);
  if (!root) return { orderId: null, refundId: null };
  if (topic === 'refunds/create') return { orderId: id(root.order_id), refundId: id(root.id) };
  if (topic === IMPORTED_REFUND_TOPIC) {
    const refund = obj(root.refund);
    return { orderId: id(refund?.orderId), refundId: id(refund?.refundId) };
  }
  return { orderId: id(root.orderId), refundId: id(root.refundId) };
}

/**
 * Every sync record of one order's refund (or of every refund of the order) on a channel, oldest first: the records
 * of the refunds the flow stored (both directions) and of the refund events received or found for the order,
 * including events whose payload the flow could not read as a refund.
 */
export async function refundSyncRecords(db: Db, tenantId: string, channelId: string, query: { orderId: string; refundId?: string }, now: Date = new Date()): Promise<RefundSyncRecordFact[]> {
  const refunds = (await store.listRefundsByOrder(db, channelId, query.orderId)).filter(
    (r) => r.tenant_id === tenantId && (query.refundId === undefined || r.platform_refund_id === query.refundId || r.source_key === query.refundId),
  );
  const byRefundId = new Map<string, store.RefundRow>();
  for (const r of refunds) if (r.direction === 'inbound' && r.platform_refund_id) byRefundId.set(r.platform_refund_id, r);
  const found = new Map<string, { row: SyncRecordRow; refundId: string | null; refund: store.RefundRow | undefined }>();
  for (const r of refunds) {
    if (!r.sync_record_id) continue;
    const row = await getSyncRecord(db, tenantId, r.sync_record_id);
    if (row) found.set(row.id, { row, refundId: r.platform_refund_id ?? r.source_key, refund: r });
  }
  // The event's channel and topic are its record's (intake writes both); its order id (lb_refund_event_order_id,
  // migration 0010) finds the candidates through an index. idsOfRefundEvent below still decides.
  const events = (
    await db.query<SyncRecordRow & { body: string }>(
      `select s.id, s.tenant_id, s.channel_id, s.event_id, s.topic, s.external_key, s.state, s.state_code, s.state_message, s.attempt_count,
              s.created_at, s.updated_at, s.state_changed_at, e.body
         from lb_webhook_events e join lb_sync_records s on s.event_id = e.id
        where e.channel_id = $2 and e.topic = any($3::text[]) and lb_refund_event_order_id(e.topic, e.body) = any(array[$4::text, '*'])
          and s.tenant_id = $1 and s.channel_id = $2 and s.topic = any($3::text[]) and strpos(e.body, $4) > 0
        order by s.created_at`,
      [tenantId, channelId, [...REFUND_EVENT_TOPICS], query.orderId],
    )
  ).rows;
  for (const e of events) {
    if (found.has(e.id)) continue;
    const ids = idsOfRefundEvent(e.topic, e.body);
    if (ids.orderId !== query.orderId) continue;
    if (query.refundId !== undefined && ids.refundId !== null && ids.refundId !== query.refundId) continue;
    const { body: _body, ...row } = e;
    found.set(e.id, { row, refundId: ids.refundId, refund: ids.refundId ? byRefundId.get(ids.refundId) : undefined });
  }
  return [...found.values()]
    .sort((a, b) => new Date(a.row.created_at).getTime() - new Date(b.row.created_at).getTime())
    .map(({ row, refundId, refund }) => ({
      id: row.id,
      topic: row.topic,
      state: row.state,
      code: row.state_code,
      message: row.state_message,
      ageHours: Math.max(0, (now.getTime() - new Date(row.state_changed_at).getTime()) / 3_600_000),
      refundId,
      netsuite:
        refund && refund.netsuite_records.length > 0
          ? {
              records: refund.netsuite_records.map((n) => ({ kind: n.kind, id: n.id })),
              total: refund.total_minor === null || !refund.currency ? null : formatTotal(Number(refund.total_minor), refund.currency),
              currency: refund.currency,
            }
          : null,
    }));
}

/**
 * "Why didn't this sync?" for an order (and optionally one of its refunds). The refund's own sync records answer
 * first; without any, facts are read now (settings, the platform's refund, the NetSuite order, its billing, SKUs).
 */
export async function whyNot(deps: OperationsDeps, tenantId: string, channelId: string, query: { orderId: string; refundId?: string }): Promise<WhyNotAnswer & { facts: WhyNotFacts }> {
  const channel = await storefrontChannel(deps.db, tenantId, channelId);
  const settings = readRefundFlowSettings(channel.kind, channel.settings);
  const facts: WhyNotFacts = { platform: channel.kind, account: accountOf(channel.kind, channel.id, channel.settings), direction: settings.direction, channelId: channel.id };

  const records = await refundSyncRecords(deps.db, tenantId, channel.id, query, deps.now?.() ?? new Date());
  if (records.length > 0) {
    facts.records = records;
    return { ...explainWhyNotSynced(facts), facts };
  }

  const stored = query.refundId ? await store.findRefundsByPlatformId(deps.db, tenantId, query.refundId, channel.id) : [];
  const outbound = stored.find((r) => r.direction === 'outbound');
  facts.origin = outbound ? 'netsuite' : 'storefront';
  const record = stored[0]?.sync_record_id ? await getSyncRecord(deps.db, tenantId, stored[0].sync_record_id) : undefined;
  facts.cancelled = record ? record.state === 'cancelled' : false;

  let refund: CanonicalRefund | undefined;
  try {
    const fetched = await fetchOrderRefunds(channel, query.orderId, deps.storefronts);
    refund = query.refundId ? fetched.refunds.find((r) => r.refundId === query.refundId) : fetched.refunds[0];
    if (!refund && fetched.unreadable[0]) {
      facts.refundState = 'unreadable';
      facts.unreadableReason = fetched.unreadable[0].explanation;
    }
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
  }
  if (refund) {
    const succeeded = refund.transactions.filter((t) => t.status === 'success');
    facts.refundState = refund.transactions.some((t) => t.status === 'pending')
      ? 'pending'
      : refund.transactions.length > 0 && succeeded.length === 0
        ? 'failed'
        : 'settled';
  }

  const order = await netsuiteOrder(deps, channel, query.orderId);
  facts.orderSynced = order.status === 'exists';
  facts.netsuiteOrder = order.status;
  if (order.found) facts.billing = await billingOf(order.client, order.found.id, refund?.currency ?? 'USD');
  if (refund) {
    const skus = [...new Set(refund.lines.map((l) => l.sku).filter(Boolean))];
    if (skus.length > 0) {
      const found = (await runOps(order.client, [{ opId: 'skus', kind: 'itemsBySku', skus }])).get('skus');
      facts.unknownSkus = found && found.status === 'ok' && found.kind === 'itemsBySku' ? found.missing : [];
    } else facts.unknownSkus = [];
  }
  return { ...explainWhyNotSynced(facts), facts };
}

export interface LookupMatch {
  kind: 'refund' | 'order';
  channelId: string;
  direction?: 'inbound' | 'outbound';
  platformId: string;
  /** Refunds only: the storefront's refund id (null while a refund made in NetSuite is not yet on the storefront). */
  storefrontRefundId?: string | null;
  orderId: string | null;
  state: SyncRecordRow['state'] | null;
  stateCode: string | null;
  stateMessage: string | null;
  syncRecordId: string | null;
  netsuite: { recordType: string | null; internalId: string | null; total: string | null; currency: string | null; records: store.NetSuiteRecordRef[] };
  history: Array<{ from: string | null; to: string; code: string | null; message: string | null; at: string }>;
}

async function withRecord(db: Db, tenantId: string, syncRecordId: string | null) {
  const record = syncRecordId ? await getSyncRecord(db, tenantId, syncRecordId) : undefined;
  const history = record ? await listTransitions(db, record.id) : [];
  return {
    state: record?.state ?? null,
    stateCode: record?.state_code ?? null,
    stateMessage: record?.state_message ?? null,
    history: history.map((t) => ({ from: t.from_state, to: t.to_state, code: t.code, message: t.message, at: new Date(t.at).toISOString() })),
  };
}

/** One refund row as a match: its ids, NetSuite record and total, and its sync record's state and history. */
async function refundMatch(db: Db, tenantId: string, r: store.RefundRow): Promise<LookupMatch> {
  const total = r.total_minor === null ? null : Number(r.total_minor);
  return {
    kind: 'refund',
    channelId: r.channel_id,
    direction: r.direction,
    platformId: r.platform_refund_id ?? r.source_key,
    storefrontRefundId: r.platform_refund_id,
    orderId: r.order_id,
    syncRecordId: r.sync_record_id,
    netsuite: {
      recordType: r.netsuite_record_type,
      internalId: r.netsuite_record_id,
      total: total === null || !r.currency ? null : formatTotal(total, r.currency),
      currency: r.currency,
      records: r.netsuite_records,
    },
    ...(await withRecord(db, tenantId, r.sync_record_id)),
  };
}

/** Every refund of one storefront order (both directions, oldest first), as lookup matches. */
export async function listOrderRefunds(db: Db, tenantId: string, channelId: string, orderId: string): Promise<LookupMatch[]> {
  const rows = (await store.listRefundsByOrder(db, channelId, orderId)).filter((r) => r.tenant_id === tenantId);
  const matches: LookupMatch[] = [];
  for (const r of rows) matches.push(await refundMatch(db, tenantId, r));
  return matches;
}

/** Any order or refund by its platform id (storefront refund id, storefront order id, or NetSuite internal id). */
export async function lookupByPlatformId(db: Db, tenantId: string, platformId: string, channelId?: string): Promise<LookupMatch[]> {
  const matches: LookupMatch[] = [];
  const refunds = (
    await db.query<store.RefundRow>(
      `select * from lb_refunds where tenant_id = $1 and ($3::text is null or channel_id = $3)
         and (platform_refund_id = $2 or source_key = $2 or netsuite_record_id = $2) order by created_at`,
      [tenantId, platformId, channelId ?? null],
    )
  ).rows;
  for (const r of refunds) matches.push(await refundMatch(db, tenantId, r));
  const orders = (
    await db.query<store.RefundOrderRow>(
      'select * from lb_refund_orders where tenant_id = $1 and ($3::text is null or channel_id = $3) and (order_id = $2 or netsuite_salesorder_id = $2)',
      [tenantId, platformId, channelId ?? null],
    )
  ).rows;
  for (const o of orders) {
    const total = o.total_minor === null ? null : Number(o.total_minor);
    matches.push({
      kind: 'order',
      channelId: o.channel_id,
      platformId: o.order_id,
      orderId: o.order_id,
      syncRecordId: o.sync_record_id,
      netsuite: {
        recordType: o.netsuite_salesorder_id ? 'salesorder' : null,
        internalId: o.netsuite_salesorder_id,
        total: total === null || !o.currency ? null : formatTotal(total, o.currency),
        currency: o.currency,
        records: o.netsuite_billing_id ? [{ kind: o.netsuite_billing_type ?? 'billing', id: o.netsuite_billing_id, externalId: null, amount: 0, created: false }] : [],
      },
      ...(await withRecord(db, tenantId, o.sync_record_id)),
    });
  }
  return matches;
}

function formatTotal(minor: number, currency: string): string {
  return formatMoney(money(minor, currency));
}
