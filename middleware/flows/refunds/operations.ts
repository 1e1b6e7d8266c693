/**
 * Operations on the refund flow a person asks for through the partner API: retrieve one order's refunds on
 * demand, "why didn't this sync?" with real facts, lookup of any order or refund by its platform id, and one
 * order's refunds with their state (the sandbox console's status).
 */
import { formatMoney, money } from '../../../core/money';
import { salesOrderLookup, type CanonicalOrder, type Platform } from '../../../core/orders';
import { explainWhyNotSynced, type CanonicalRefund, type WhyNotAnswer, type WhyNotFacts } from '../../../core/refunds';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import { getChannel, type ChannelRow } from '../../store/sql/channels';
import { getSyncRecord, listTransitions, type SyncRecordRow } from '../../store/sql/sync-records';
import { acceptEvent } from '../../sync/sync-service';
import { FlowError, runOps, type NetSuiteFor } from '../../ports/netsuite';
import { billingOf, findSalesOrder } from '../../ports/order-facts';
import { fetchCanonicalOrder, fetchOrderRefunds } from './platform-refunds';
import { accountOf, isStorefrontKind, readRefundFlowSettings } from './settings';
import { IMPORTED_REFUND_TOPIC, ORDER_IMPORT_TOPIC, type ImportedRefundEvent } from './sources';
import type { StorefrontPort } from '../../ports/platforms';
import * as store from './store';

export interface OperationsDeps {
  db: Db;
  jobs: JobQueue;
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
}

export async function storefrontChannel(db: Db, tenantId: string, channelId: string): Promise<ChannelRow & { kind: Platform }> {
  const channel = await getChannel(db, tenantId, channelId);
  if (!channel) throw new FlowError('channel_not_found', 'No channel with this id.', false);
  if (!isStorefrontKind(channel.kind)) throw new FlowError('not_a_storefront', `A ${channel.kind} channel has no refunds to sync.`, false);
  if (!channel.connection_id) throw new FlowError('connection_not_set', 'This channel has no NetSuite connection.', false);
  return channel as ChannelRow & { kind: Platform };
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

/** Stores an order the middleware fetched (on demand, or for a refund that came first) as an import, deduped per order. */
export async function queueOrderImport(db: Db, jobs: JobQueue, channel: ChannelRow, order: CanonicalOrder, via: string) {
  return acceptEvent(db, jobs, {
    tenantId: channel.tenant_id,
    channelId: channel.id,
    platformEventId: `order:${order.orderId}`,
    topic: ORDER_IMPORT_TOPIC,
    externalKey: `${channel.kind}:${channel.id}:order:${order.orderId}`,
    headers: {},
    body: JSON.stringify({ order, via }),
  });
}

export interface ImportOrderResult {
  orderId: string;
  outcome: 'queued' | 'already_known';
  syncRecordId: string | null;
}

/**
 * "Import this order now": reads the order from its platform and queues its import (sales order, fulfillment,
 * cash sale or invoice, per the channel's orderImport settings). Refuses when the channel does not import orders.
 */
export async function importOrderNow(deps: OperationsDeps, tenantId: string, channelId: string, orderId: string): Promise<ImportOrderResult> {
  const channel = await storefrontChannel(deps.db, tenantId, channelId);
  if (!readRefundFlowSettings(channel.kind, channel.settings).orderImport.enabled) {
    throw new FlowError(
      'order_import_disabled',
      `This channel does not import orders (refunds.orderImport.enabled is off): its orders reach NetSuite through another connector.`,
      false,
    );
  }
  const order = await fetchCanonicalOrder(channel, orderId, deps.storefronts);
  const accepted = await queueOrderImport(deps.db, deps.jobs, channel, order, 'retrieve');
  return { orderId, outcome: accepted.duplicate ? 'already_known' : 'queued', syncRecordId: accepted.syncRecordId };
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

/** "Why didn't this sync?" for an order (and optionally one of its refunds), with facts read now. */
export async function whyNot(deps: OperationsDeps, tenantId: string, channelId: string, query: { orderId: string; refundId?: string }): Promise<WhyNotAnswer & { facts: WhyNotFacts }> {
  const channel = await storefrontChannel(deps.db, tenantId, channelId);
  const settings = readRefundFlowSettings(channel.kind, channel.settings);
  const facts: WhyNotFacts = { platform: channel.kind, account: accountOf(channel.kind, channel.id, channel.settings), direction: settings.direction };

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
