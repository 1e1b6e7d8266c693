/**
 * The refund flow's periodic work, one sweep at a time: pull each connection's NetSuite outbox (NetSuite ->
 * storefront; every event acknowledged once finished with, the cursor restarted at "0" on a schedule), poll
 * Magento credit memos with an entity_id cursor (Magento Open Source has no refund events), eBay orders and Amazon
 * refund events, and release refunds parked for their order once it has landed in NetSuite (or past the age limit,
 * which turns them into exceptions); refunds still waiting are not touched, so their history does not grow.
 * A polled item the flow cannot read (a Magento credit memo, an eBay order, an Amazon refund event) becomes an
 * exception naming the item and the defect, once per item, so nothing disappears behind a moving cursor.
 * Runs on a pg-boss schedule (one sweep per minute across every process) and, in the sandbox, on a short timer.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { salesOrderLookup, type Platform } from '../../../core/orders';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import type { ChannelRow } from '../../store/sql/channels';
import type { Metrics } from '../../observability/metrics';
import type { SyncProcessor } from '../../sync/sync-worker';
import { mapCreditMemo } from '../../connectors/magento';
import { mapOrderRefunds } from '../../connectors/ebay';
import { mapRefundEvent, type AmazonShipmentEvent } from '../../connectors/amazon';
import { acceptEvent } from '../../sync/sync-service';
import { applyAction } from '../../sync/sync-service';
import type { NetSuiteFor } from '../../ports/netsuite';
import { queueImportedRefund } from './operations';
import { refOf } from '../../ports/order-facts';
import { pullNetSuiteRefunds, type OutboxRestartOptions } from './outbound';
import { accountOf, isStorefrontKind, readRefundFlowSettings } from './settings';
import type { StorefrontPort } from '../../ports/platforms';
import * as store from './store';

export const SWEEP_QUEUE = 'refund-sweep';
export const MAGENTO_STREAM = 'magento-creditmemos';
export const EBAY_STREAM = 'ebay-orders';
export const AMAZON_STREAM = 'amazon-refund-events';
/** eBay and Amazon refunds are found by time; each poll looks back this far past its cursor (events post late). */
const OVERLAP_MS = 15 * 60_000;
const FIRST_LOOK_BACK_MS = 30 * 24 * 3_600_000;
/**
 * Topic of what a poll found but cannot read, reported as an exception: an eBay refund its API does not return
 * (with eBay's explanation), and any polled item whose payload the connector cannot read (UnreadablePlatformItem).
 */
export const UNREADABLE_REFUND_TOPIC = 'ledgerbridge/refund.unreadable';
/** State code of a polled platform item the connector cannot read. */
export const UNREADABLE_ITEM_CODE = 'unreadable_platform_item';

/** A polled item the connector could not read: the event body of its exception. */
export interface UnreadablePlatformItem {
  kind: typeof UNREADABLE_ITEM_CODE;
  platform: Platform;
  /** What the item is on its platform: 'credit memo', 'order', 'refund event'. */
  item: string;
  itemId: string;
  orderId: string | null;
  /** What the reader found wrong. */
  problem: string;
}

export interface SweepDeps {
  db: Db;
  jobs: JobQueue;
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
  /** When the NetSuite outbox cursor restarts at "0" (default: outbound.ts DEFAULT_OUTBOX_RESTART). */
  outboxRestart?: OutboxRestartOptions;
}

export interface SweepReport {
  /** Over every connection: `restarts` counts the connections whose pull started at "0". */
  outbox: { pulled: number; queued: number; duplicates: number; skipped: number; acked: number; pending: number; restarts: number };
  magento: { found: number; queued: number };
  ebay: { found: number; queued: number; unreadable: number };
  amazon: { found: number; queued: number };
  /** Exceptions recorded this sweep for polled items the connector cannot read (one per item, ever). */
  unreadableItems: { magento: number; ebay: number; amazon: number };
  released: number;
  errors: string[];
}

const PLATFORM_NAMES: Record<Platform, string> = { shopify: 'Shopify', magento: 'Magento', ebay: 'eBay', amazon: 'Amazon' };

/**
 * Records a polled item the connector cannot read as an exception: a sync record on the unreadable topic that
 * fails with `unreadable_platform_item`, deduped by the platform item (a second poll over it adds nothing).
 * Returns whether it is new.
 */
export async function recordUnreadableItem(deps: Pick<SweepDeps, 'db' | 'jobs'>, channel: ChannelRow, item: Omit<UnreadablePlatformItem, 'kind'>): Promise<boolean> {
  const body: UnreadablePlatformItem = { kind: UNREADABLE_ITEM_CODE, ...item };
  const key = `${item.platform}:${item.item.replace(/ /g, '_')}:${item.itemId}`;
  const accepted = await acceptEvent(deps.db, deps.jobs, {
    tenantId: channel.tenant_id,
    channelId: channel.id,
    platformEventId: `unreadable-item:${key}`,
    topic: UNREADABLE_REFUND_TOPIC,
    externalKey: `${item.platform}:${channel.id}:unreadable-item:${key}`,
    headers: {},
    body: JSON.stringify(body),
  });
  return !accepted.duplicate;
}

/**
 * The unreadable topic's processor: an UnreadablePlatformItem fails, not retryable, with `unreadable_platform_item`
 * and a message naming the item and its defect; anything else on the topic goes to `others` (the refund processor,
 * which reports eBay refunds its API does not return).
 */
export function unreadableItemProcessor(others: SyncProcessor): SyncProcessor {
  return async (context) => {
    let body: Partial<UnreadablePlatformItem> | null = null;
    try {
      body = context.event ? (JSON.parse(context.event.body) as Partial<UnreadablePlatformItem>) : null;
    } catch {
      body = null;
    }
    if (body?.kind !== UNREADABLE_ITEM_CODE) return others(context);
    const platform = PLATFORM_NAMES[body.platform as Platform] ?? String(body.platform);
    const order = body.orderId && !(body.item === 'order' && body.itemId === body.orderId) ? ` (order ${body.orderId})` : '';
    return {
      kind: 'failed',
      code: UNREADABLE_ITEM_CODE,
      message:
        `${platform} ${body.item} ${body.itemId}${order} cannot be read, so it was not synced: ${body.problem} ` +
        `Once it is corrected on ${platform}, retrieve the order's refunds again (or record the refund in NetSuite by hand), then cancel this record.`,
      retryable: false,
    };
  };
}

/** The id of an Amazon refund event (Amazon gives none): as the reader names the refund, or a digest of the event. */
function amazonEventKey(event: AmazonShipmentEvent): string {
  const ids = (event.ShipmentItemAdjustmentList ?? []).map((i) => i.OrderAdjustmentItemId).filter((x): x is string => !!x).sort();
  if (event.AmazonOrderId && ids.length > 0) return `${event.AmazonOrderId}:${ids.join('+')}`;
  if (event.AmazonOrderId && event.PostedDate) return `${event.AmazonOrderId}@${event.PostedDate}`;
  return `sha256:${createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32)}`;
}

async function storefrontChannels(db: Db): Promise<ChannelRow[]> {
  const rows = (await db.query<ChannelRow>('select * from lb_channels where enabled and connection_id is not null order by created_at')).rows;
  return rows.filter((c) => isStorefrontKind(c.kind));
}

/** New Magento credit memos after the channel's cursor become sync records; the cursor moves after they are stored. */
export async function pollMagento(deps: SweepDeps, channel: ChannelRow): Promise<{ found: number; queued: number; unreadable: number }> {
  const client = deps.storefronts.magento(channel);
  const out = { found: 0, queued: 0, unreadable: 0 };
  if (!client) return out;
  let after = (await store.getCursor(deps.db, channel.id, MAGENTO_STREAM)) ?? '0';
  for (;;) {
    const page = await client.pollCreditMemos(after);
    if (!page.ok) throw new Error(`Magento poll of channel ${channel.id}: ${page.error.message}`);
    for (const memo of page.value.creditMemos) {
      out.found += 1;
      const mapped = mapCreditMemo(memo, { account: accountOf('magento', channel.id, channel.settings) });
      if (!mapped.ok) {
        const item = { platform: 'magento' as const, item: 'credit memo', itemId: String(memo.entity_id), orderId: String(memo.order_id), problem: mapped.error.message };
        if (await recordUnreadableItem(deps, channel, item)) out.unreadable += 1;
        continue;
      }
      const accepted = await queueImportedRefund(deps.db, deps.jobs, channel, mapped.value, 'poll');
      if (!accepted.duplicate) out.queued += 1;
    }
    after = page.value.cursor;
    await store.setCursor(deps.db, channel.id, MAGENTO_STREAM, after);
    if (!page.value.more) break;
  }
  return out;
}

function sinceCursor(cursor: string | undefined, started: number): string {
  const from = cursor ? Date.parse(cursor) - OVERLAP_MS : started - FIRST_LOOK_BACK_MS;
  return new Date(from).toISOString();
}

/**
 * eBay orders modified since the cursor: their readable refunds become sync records; refunds eBay marks on the
 * order but does not return (no buyer request) are reported once per order and amount, with eBay's explanation.
 */
export async function pollEbay(deps: SweepDeps, channel: ChannelRow): Promise<{ found: number; queued: number; unreadable: number; unreadableItems: number }> {
  const client = deps.storefronts.ebay(channel);
  const out = { found: 0, queued: 0, unreadable: 0, unreadableItems: 0 };
  if (!client) return out;
  const started = Date.now();
  const since = sinceCursor(await store.getCursor(deps.db, channel.id, EBAY_STREAM), started);
  for (let offset = 0; ; offset += 50) {
    const page = await client.getOrdersModifiedSince(since, 50, offset);
    if (!page.ok) throw new Error(`eBay poll of channel ${channel.id}: ${page.error.message}`);
    for (const order of page.value.orders) {
      const mapped = mapOrderRefunds(order, accountOf('ebay', channel.id, channel.settings));
      if (!mapped.ok) {
        const item = { platform: 'ebay' as const, item: 'order', itemId: order.orderId, orderId: order.orderId, problem: mapped.error.message };
        if (await recordUnreadableItem(deps, channel, item)) out.unreadableItems += 1;
        continue;
      }
      for (const refund of mapped.value.refunds) {
        out.found += 1;
        // A refund still PENDING on eBay is picked up again once it settles (the order is modified then).
        if (refund.transactions.some((t) => t.status === 'pending')) continue;
        const accepted = await queueImportedRefund(deps.db, deps.jobs, channel, refund, 'poll');
        if (!accepted.duplicate) out.queued += 1;
      }
      for (const u of mapped.value.unreadable) {
        const accepted = await acceptEvent(deps.db, deps.jobs, {
          tenantId: channel.tenant_id,
          channelId: channel.id,
          platformEventId: `unreadable:${u.orderId}:${order.paymentSummary.refunds.length}:${JSON.stringify(order.pricingSummary?.total ?? null)}`,
          topic: UNREADABLE_REFUND_TOPIC,
          externalKey: `ebay:${channel.id}:unreadable:${u.orderId}`,
          headers: {},
          body: JSON.stringify(u),
        });
        if (!accepted.duplicate) out.unreadable += 1;
      }
    }
    if (page.value.orders.length < 50) break;
  }
  await store.setCursor(deps.db, channel.id, EBAY_STREAM, new Date(started).toISOString());
  return out;
}

/** Amazon refund events posted since the cursor (Finances API; Amazon has no refund push). */
export async function pollAmazon(deps: SweepDeps, channel: ChannelRow): Promise<{ found: number; queued: number; unreadable: number }> {
  const client = deps.storefronts.amazon(channel);
  const out = { found: 0, queued: 0, unreadable: 0 };
  if (!client) return out;
  const started = Date.now();
  let page = await client.listFinancialEvents({ postedAfter: sinceCursor(await store.getCursor(deps.db, channel.id, AMAZON_STREAM), started) });
  for (;;) {
    if (!page.ok) throw new Error(`Amazon poll of channel ${channel.id}: ${page.error.message}`);
    for (const event of page.value.payload.FinancialEvents.RefundEventList ?? []) {
      out.found += 1;
      const mapped = mapRefundEvent(event, accountOf('amazon', channel.id, channel.settings));
      if (!mapped.ok) {
        const item = { platform: 'amazon' as const, item: 'refund event', itemId: amazonEventKey(event), orderId: event.AmazonOrderId ?? null, problem: mapped.error.message };
        if (await recordUnreadableItem(deps, channel, item)) out.unreadable += 1;
        continue;
      }
      const accepted = await queueImportedRefund(deps.db, deps.jobs, channel, mapped.value, 'poll');
      if (!accepted.duplicate) out.queued += 1;
    }
    const next = page.value.payload.NextToken;
    if (!next) break;
    page = await client.listFinancialEvents({ nextToken: next });
  }
  await store.setCursor(deps.db, channel.id, AMAZON_STREAM, new Date(started).toISOString());
  return out;
}

/** Releases parked refunds (optionally of one order) so they look for their order again: the order has landed. */
export async function releaseParked(deps: Pick<SweepDeps, 'db' | 'jobs'>, channel: ChannelRow, orderId?: string): Promise<number> {
  let released = 0;
  for (const parked of await store.parkedRefundRecords(deps.db, channel.id, orderId)) {
    const result = await applyAction(deps.db, deps.jobs, channel.tenant_id, parked.sync_record_id, 'release', 'order landed');
    if (result.ok) released += 1;
  }
  return released;
}

/** Most orders of parked refunds one sweep checks in NetSuite per channel (one batch of lookups). */
const MAX_PARKED_ORDERS_PER_SWEEP = 200;

/**
 * The sweep's side of parked refunds, without churning their history: a parked refund is released only when its
 * order has landed in NetSuite (linked already, or found now through the channel's order link — one batch of
 * lookups per channel), or once it is past the age limit, when the processor turns it into the
 * order_never_synced exception. Refunds still waiting are left alone: no transition, no job.
 */
export async function releaseLandedOrAged(deps: SweepDeps, channel: ChannelRow, now: Date = new Date()): Promise<number> {
  const parked = await store.parkedRefundRecords(deps.db, channel.id);
  if (parked.length === 0) return 0;
  const platform = channel.kind as Platform;
  const settings = readRefundFlowSettings(platform, channel.settings);
  const maxAgeMs = settings.parkedMaxAgeHours * 3_600_000;
  const aged = parked.filter((p) => now.getTime() - new Date(p.created_at).getTime() > maxAgeMs);
  const waiting = parked.filter((p) => !aged.includes(p) && p.order_id);
  const landed = new Set<string>();
  const unknown: string[] = [];
  for (const orderId of new Set(waiting.map((p) => p.order_id as string))) {
    if ((await store.getOrder(deps.db, channel.id, orderId))?.netsuite_salesorder_id) landed.add(orderId);
    else if (unknown.length < MAX_PARKED_ORDERS_PER_SWEEP) unknown.push(orderId);
  }
  if (unknown.length > 0 && channel.connection_id) {
    const client = await deps.netsuite(channel.tenant_id, channel.connection_id);
    const account = accountOf(platform, channel.id, channel.settings);
    const results = await client.run(
      unknown.map((orderId, i) => ({ opId: `o${i}`, kind: 'lookup' as const, recordType: 'salesorder', by: refOf(salesOrderLookup(settings.orderLink, { platform, account, orderId })) })),
    );
    results.forEach((r, i) => {
      // An ambiguous or failed lookup leaves the refund parked; the next sweep looks again.
      if (r.status === 'ok' && r.kind === 'lookup' && r.found) landed.add(unknown[i] as string);
    });
  }
  let released = 0;
  for (const p of [...aged, ...waiting.filter((w) => landed.has(w.order_id as string))]) {
    const reason = aged.includes(p) ? `parked longer than ${settings.parkedMaxAgeHours} hours` : 'order landed in NetSuite';
    const result = await applyAction(deps.db, deps.jobs, channel.tenant_id, p.sync_record_id, 'release', reason);
    if (result.ok) released += 1;
  }
  return released;
}

export async function sweepOnce(deps: SweepDeps): Promise<SweepReport> {
  const report: SweepReport = {
    outbox: { pulled: 0, queued: 0, duplicates: 0, skipped: 0, acked: 0, pending: 0, restarts: 0 },
    magento: { found: 0, queued: 0 },
    ebay: { found: 0, queued: 0, unreadable: 0 },
    amazon: { found: 0, queued: 0 },
    unreadableItems: { magento: 0, ebay: 0, amazon: 0 },
    released: 0,
    errors: [],
  };
  const channels = await storefrontChannels(deps.db);
  const connections = new Map<string, string>();
  for (const c of channels) connections.set(`${c.tenant_id}\u0000${c.connection_id}`, c.tenant_id);
  for (const [key, tenantId] of connections) {
    const connectionId = key.split('\u0000')[1] as string;
    try {
      const r = await pullNetSuiteRefunds(deps, tenantId, connectionId);
      report.outbox.pulled += r.pulled;
      report.outbox.queued += r.queued;
      report.outbox.duplicates += r.duplicates;
      report.outbox.skipped += r.skipped;
      report.outbox.acked += r.acked;
      report.outbox.pending += r.pending;
      if (r.restarted) report.outbox.restarts += 1;
      report.errors.push(...r.errors.map((e) => `outbox ${connectionId}: ${e}`));
    } catch (error) {
      report.errors.push(`outbox ${connectionId}: ${(error as Error).message}`);
    }
  }
  for (const channel of channels) {
    const settings = readRefundFlowSettings(channel.kind as Platform, channel.settings);
    try {
      if (channel.kind === 'magento' && settings.direction === 'platform_to_netsuite') {
        const r = await pollMagento(deps, channel);
        report.magento.found += r.found;
        report.magento.queued += r.queued;
        report.unreadableItems.magento += r.unreadable;
      }
      if (channel.kind === 'ebay' && settings.direction === 'platform_to_netsuite') {
        const r = await pollEbay(deps, channel);
        report.ebay.found += r.found;
        report.ebay.queued += r.queued;
        report.ebay.unreadable += r.unreadable;
        report.unreadableItems.ebay += r.unreadableItems;
      }
      if (channel.kind === 'amazon' && settings.direction === 'platform_to_netsuite') {
        const r = await pollAmazon(deps, channel);
        report.amazon.found += r.found;
        report.amazon.queued += r.queued;
        report.unreadableItems.amazon += r.unreadable;
      }
      report.released += await releaseLandedOrAged(deps, channel);
    } catch (error) {
      report.errors.push(`channel ${channel.id}: ${(error as Error).message}`);
    }
  }
  if (report.errors.length) deps.logger.warn({ errors: report.errors }, 'refund sweep had errors');
  return report;
}
