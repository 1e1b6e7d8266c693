/**
 * NetSuite -> storefront. The bundle's User Event records an outbox event when a person saves a cash refund or a
 * credit memo; the middleware pulls the outbox through the RESTlet (cursor per connection, restarted at "0" on a
 * schedule), turns each event of a synced order into a sync record (deduped by record), and acknowledges every
 * event it has finished with, skipped ones too (logged with the reason). Processing posts the refund to the
 * cart once (Shopify calculate + create with refund_line_items; Magento credit memo with items; eBay issueRefund)
 * under an idempotency key derived from the NetSuite record — lines by SKU with quantities and restock read from
 * the record (outbound-lines.ts), money exactly the record's total — then writes the storefront refund id back
 * to the record (setFields through the RESTlet, which marks it as the integration's own change, so no echo).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { LookupResult, PulledOutboxEvent } from '../../../core/contracts/restlet';
import { money, parseMoney } from '../../../core/money';
import type { Platform } from '../../../core/orders';
import { storefrontRefundKey } from '../../../core/refunds';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import type { Metrics } from '../../observability/metrics';
import { findChannelById, type ChannelRow } from '../../store/sql/channels';
import { acceptEvent } from '../../sync/sync-service';
import type { ProcessContext, ProcessOutcome, SyncProcessor } from '../../sync/sync-worker';
import type { NetSuiteClient } from '../../netsuite/client';
import type { RestockType } from '../../connectors/shopify';
import { mapNetSuiteRefundLines, type MappedCartRefund, type NetSuiteRefundLine } from './outbound-lines';
import { flowErrorOutcome } from './inbound';
import { FlowError, runOps, type NetSuiteFor } from '../../ports/netsuite';
import { PLATFORM_REF_FIELD } from './posting-ops';
import { readRefundFlowSettings, isStorefrontKind } from './settings';
import type { StorefrontPort } from '../../ports/platforms';
import * as store from './store';

export const NETSUITE_REFUND_TOPIC = 'ledgerbridge/netsuite.refund';
export const OUTBOX_STREAM = 'netsuite-outbox';
const REFUND_TYPES = ['cashrefund', 'creditmemo'];

interface NetSuiteRefundEvent {
  recordType: string;
  recordId: string;
  orderId: string;
  occurredAt: string;
  /** An outbox event the flow does not act on (an edit or delete of a refund it already took): recorded as skipped. */
  skipped?: { code: OutboxSkipReason; message: string; event: string };
}

export interface OutboundDeps {
  db: Db;
  jobs: JobQueue;
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
  logger: Logger;
  /** Counts skipped outbox events (`ledgerbridge_outbox_events_skipped_total`). */
  metrics?: Metrics;
  now?: () => Date;
  /** When the outbox cursor restarts at "0" (default DEFAULT_OUTBOX_RESTART). */
  outboxRestart?: OutboxRestartOptions;
}

const value = (r: LookupResult, column: string): string | null => {
  const v = r.values[column]?.value;
  return v === undefined || v === null || v === '' ? null : String(v);
};

async function lookup(client: NetSuiteClient, recordType: string, id: string, columns: string[]): Promise<LookupResult> {
  return (await runOps(client, [{ opId: 'r', kind: 'lookup', recordType, by: { id }, columns }])).get('r') as LookupResult;
}

/** The synced order a NetSuite refund record belongs to, among the channels that push refunds to their cart. */
async function orderOfRecord(deps: OutboundDeps, client: NetSuiteClient, channels: ChannelRow[], createdFrom: string): Promise<{ channel: ChannelRow; orderId: string } | null> {
  const ids = new Set(channels.map((c) => c.id));
  const byBilling = (await store.findOrderByBilling(deps.db, createdFrom)).find((o) => ids.has(o.channel_id));
  if (byBilling) return { channel: channels.find((c) => c.id === byBilling.channel_id) as ChannelRow, orderId: byBilling.order_id };
  // Not seen yet: follow the billing record to its sales order, then the channel's order link.
  const billingTypes = ['cashsale', 'invoice'];
  for (const type of billingTypes) {
    const billing = await lookup(client, type, createdFrom, ['createdfrom']);
    const salesOrderId = billing.found ? value(billing, 'createdfrom') : null;
    if (!salesOrderId) continue;
    const known = (await deps.db.query<store.RefundOrderRow>('select * from lb_refund_orders where netsuite_salesorder_id = $1', [salesOrderId])).rows.find((o) => ids.has(o.channel_id));
    if (known) {
      await store.upsertOrder(deps.db, { channel_id: known.channel_id, order_id: known.order_id, tenant_id: known.tenant_id, netsuite_billing_type: type === 'cashsale' ? 'cash_sale' : 'invoice', netsuite_billing_id: createdFrom });
      return { channel: channels.find((c) => c.id === known.channel_id) as ChannelRow, orderId: known.order_id };
    }
    const candidates: Array<{ channel: ChannelRow; orderId: string }> = [];
    for (const channel of channels) {
      const link = readRefundFlowSettings(channel.kind as Platform, channel.settings).orderLink;
      if (link.mode !== 'external_field') continue;
      const so = await lookup(client, 'salesorder', salesOrderId, [link.fieldId]);
      const orderId = so.found ? value(so, link.fieldId) : null;
      if (orderId) candidates.push({ channel, orderId });
    }
    // The field holds an order id but not whose: with several channels, the one whose platform has the order wins.
    for (const { channel, orderId } of candidates) {
      if (candidates.length === 1 || (await platformHasOrder(deps, channel, orderId))) {
        await store.upsertOrder(deps.db, {
          channel_id: channel.id,
          order_id: orderId,
          tenant_id: channel.tenant_id,
          netsuite_salesorder_id: salesOrderId,
          netsuite_billing_type: type === 'cashsale' ? 'cash_sale' : 'invoice',
          netsuite_billing_id: createdFrom,
        });
        return { channel, orderId };
      }
    }
  }
  return null;
}

/**
 * When a connection's outbox cursor restarts at "0": on every `everySweeps`-th sweep, and/or once `everyMinutes`
 * have passed since its last restart (whichever comes first; a rule left out does not apply). Between restarts a
 * sweep pulls from the stored cursor. Internal ids are not in commit order: a record committed late can get an id
 * below the cursor, and only a pull from "0" returns it (every pending event, nothing acknowledged).
 */
export interface OutboxRestartOptions {
  everySweeps?: number;
  everyMinutes?: number;
}

/** Ten sweeps (ten minutes on `ledgerbridge start`'s schedule, 20 s on the sandbox's timer) or 15 minutes. */
export const DEFAULT_OUTBOX_RESTART: Readonly<Required<OutboxRestartOptions>> = Object.freeze({ everySweeps: 10, everyMinutes: 15 });

/** Why an outbox event was acknowledged without a sync record. */
export type OutboxSkipReason = 'record_type_not_consumed' | 'event_not_acted_on' | 'no_outbound_channel' | 'record_gone' | 'no_source_record' | 'order_not_synced';

export const OUTBOX_SKIPPED_METRIC = 'ledgerbridge_outbox_events_skipped_total';

export interface OutboxPullReport {
  pulled: number;
  /** New sync records. */
  queued: number;
  /** Events seen again whose sync record exists already (a restart, a lost acknowledgement): nothing new. */
  duplicates: number;
  /** Events acknowledged without a sync record, each logged with its reason and counted on /metrics. */
  skipped: number;
  acked: number;
  /** Whether this sweep started at "0". */
  restarted: boolean;
  /** Events left pending because handling them failed (NetSuite or the storefront did not answer): pulled again. */
  pending: number;
  errors: string[];
}

export function emptyOutboxReport(): OutboxPullReport {
  return { pulled: 0, queued: 0, duplicates: 0, skipped: 0, acked: 0, restarted: false, pending: 0, errors: [] };
}

/** Whether this sweep of a connection's outbox starts at "0" (a first sweep always does). */
export function outboxRestartDue(state: store.ConnectionCursorState | undefined, now: Date, rule: OutboxRestartOptions = DEFAULT_OUTBOX_RESTART): boolean {
  if (!state) return true;
  if (rule.everySweeps !== undefined && state.sweepsSinceRestart + 1 >= rule.everySweeps) return true;
  if (rule.everyMinutes !== undefined && (!state.restartedAt || now.getTime() - state.restartedAt.getTime() >= rule.everyMinutes * 60_000)) return true;
  return false;
}

function skippedCounter(metrics: Metrics | undefined): Counter<'reason'> | undefined {
  if (!metrics) return undefined;
  const existing = metrics.registry.getSingleMetric(OUTBOX_SKIPPED_METRIC) as Counter<'reason'> | undefined;
  return (
    existing ??
    new Counter({
      name: OUTBOX_SKIPPED_METRIC,
      help: 'NetSuite outbox events the refund flow acknowledged without a sync record, by reason (edits and deletes, records of orders no channel syncs from NetSuite, ...).',
      labelNames: ['reason'],
      registers: [metrics.registry],
    })
  );
}

/**
 * One sweep of a connection's outbox. Every event is finished with and acknowledged: a refund record of a synced
 * order becomes a sync record (deduped by record, so an event seen again adds nothing); any other event is skipped
 * with its reason logged (info) and counted on /metrics. Only an event whose handling failed is left pending, and
 * the stored cursor stops before it, so the next sweep pulls it again. The cursor restarts at "0" on the schedule
 * of `outboxRestart` (late-committed ids).
 */
export async function pullNetSuiteRefunds(deps: OutboundDeps, tenantId: string, connectionId: string): Promise<OutboxPullReport> {
  const storefronts = (
    await deps.db.query<ChannelRow>('select * from lb_channels where tenant_id = $1 and connection_id = $2 and enabled order by created_at', [tenantId, connectionId])
  ).rows.filter((c) => isStorefrontKind(c.kind));
  const channels = storefronts.filter((c) => readRefundFlowSettings(c.kind as Platform, c.settings).direction === 'netsuite_to_platform');
  const report = emptyOutboxReport();
  if (storefronts.length === 0) return report;
  const client = await deps.netsuite(tenantId, connectionId);
  const now = deps.now?.() ?? new Date();
  // One outbox per NetSuite account: the cursor is the connection's, whichever of its channels come and go.
  const state = await store.getConnectionCursorState(deps.db, connectionId, OUTBOX_STREAM);
  report.restarted = outboxRestartDue(state, now, deps.outboxRestart);
  let after = report.restarted || !state ? '0' : state.cursor;
  // The cursor to store: it never passes an event left pending, so the next sweep pulls that event again.
  let keep = after;
  let held = false;
  const counter = skippedCounter(deps.metrics);
  for (;;) {
    const page = await client.pullOutbox(after, 100);
    report.pulled += page.events.length;
    const finished: string[] = [];
    for (const event of page.events) {
      let outcome: EventOutcome;
      try {
        outcome = await handleEvent(deps, client, channels, event);
      } catch (error) {
        report.pending += 1;
        report.errors.push(`outbox event ${event.id} (${event.recordType} ${event.recordId}): ${(error as Error).message}`);
        held = true;
        continue;
      }
      finished.push(event.id);
      if (!held) keep = event.id;
      if (outcome.kind === 'queued') {
        if (outcome.duplicate) report.duplicates += 1;
        else report.queued += 1;
        continue;
      }
      report.skipped += 1;
      counter?.inc({ reason: outcome.reason });
      deps.logger.info(
        { connectionId, outboxEventId: event.id, recordType: event.recordType, recordId: event.recordId, event: event.event, reason: outcome.reason },
        `NetSuite outbox event skipped: ${outcome.message}`,
      );
    }
    // Acknowledged only after the sync records are stored: an event is never dropped between the two.
    if (finished.length > 0) {
      const acked = await client.ackOutbox(finished);
      report.acked += acked.results.filter((r) => r.status === 'acked').length;
    }
    after = page.nextCursor;
    if (!held) keep = after;
    await store.setConnectionCursor(deps.db, connectionId, OUTBOX_STREAM, keep);
    if (!page.more) break;
  }
  await store.recordOutboxSweep(deps.db, connectionId, OUTBOX_STREAM, keep, report.restarted ? now : null);
  return report;
}

type EventOutcome = { kind: 'queued'; duplicate: boolean } | { kind: 'skipped'; reason: OutboxSkipReason; message: string };

const skip = (reason: OutboxSkipReason, message: string): EventOutcome => ({ kind: 'skipped', reason, message });

/**
 * An edit or delete of a NetSuite refund the flow already took for a channel: also a `skipped` sync record on that
 * channel (one per outbox event), so the refund's own history says the change was not posted. Other skipped events
 * belong to no channel; the log line and the counter are their record.
 */
async function recordSkipOnChannel(deps: OutboundDeps, channels: ChannelRow[], event: PulledOutboxEvent, reason: OutboxSkipReason, message: string): Promise<void> {
  const channelId = await store.channelOfOutboundRecord(deps.db, `netsuite:${event.recordType}:${event.recordId}`, channels.map((c) => c.id));
  const channel = channels.find((c) => c.id === channelId);
  if (!channel) return;
  const body: NetSuiteRefundEvent = { recordType: event.recordType, recordId: event.recordId, orderId: '', occurredAt: event.occurredAt, skipped: { code: reason, message, event: event.event } };
  await acceptEvent(deps.db, deps.jobs, {
    tenantId: channel.tenant_id,
    channelId: channel.id,
    platformEventId: `netsuite:${event.recordType}:${event.recordId}:${event.event}:${event.id}`,
    topic: NETSUITE_REFUND_TOPIC,
    externalKey: `netsuite:${event.recordType}:${event.recordId}:${event.event}:${event.id}`,
    headers: {},
    body: JSON.stringify(body),
  });
}

async function handleEvent(deps: OutboundDeps, client: NetSuiteClient, channels: ChannelRow[], event: PulledOutboxEvent): Promise<EventOutcome> {
  const what = `${event.recordType} ${event.recordId}`;
  if (!REFUND_TYPES.includes(event.recordType)) return skip('record_type_not_consumed', `${what}: the refund flow reads only ${REFUND_TYPES.join(' and ')} records.`);
  if (event.event !== 'create') {
    const message = `${what} (${event.event}): only a new refund record is posted to the storefront; later edits and deletes are not.`;
    await recordSkipOnChannel(deps, channels, event, 'event_not_acted_on', message);
    return skip('event_not_acted_on', message);
  }
  if (channels.length === 0) return skip('no_outbound_channel', `${what}: no channel on this NetSuite connection syncs refunds from NetSuite to its platform.`);
  const record = await lookup(client, event.recordType, event.recordId, ['createdfrom']);
  if (!record.found) return skip('record_gone', `${what} no longer exists in NetSuite.`);
  const createdFrom = value(record, 'createdfrom');
  if (!createdFrom) return skip('no_source_record', `${what} was not created from a cash sale or invoice, so it belongs to no storefront order.`);
  const order = await orderOfRecord(deps, client, channels, createdFrom);
  if (!order) return skip('order_not_synced', `${what}: its source record ${createdFrom} is of no order of a channel that syncs refunds from NetSuite to its platform.`);
  const body: NetSuiteRefundEvent = { recordType: event.recordType, recordId: event.recordId, orderId: order.orderId, occurredAt: event.occurredAt };
  const accepted = await acceptEvent(deps.db, deps.jobs, {
    tenantId: order.channel.tenant_id,
    channelId: order.channel.id,
    platformEventId: `netsuite:${event.recordType}:${event.recordId}`,
    topic: NETSUITE_REFUND_TOPIC,
    externalKey: `netsuite:${event.recordType}:${event.recordId}`,
    headers: {},
    body: JSON.stringify(body),
  });
  return { kind: 'queued', duplicate: accepted.duplicate };
}

/** Whether the channel's platform has the order; a platform that does not answer is an error (the event stays pending). */
async function platformHasOrder(deps: OutboundDeps, channel: ChannelRow, orderId: string): Promise<boolean> {
  const kind = channel.kind as Platform;
  const answer =
    kind === 'shopify'
      ? await deps.storefronts.shopify(channel)?.getOrder(orderId)
      : kind === 'magento'
        ? await deps.storefronts.magento(channel)?.getOrder(orderId)
        : kind === 'ebay'
          ? await deps.storefronts.ebay(channel)?.getOrder(orderId)
          : undefined;
  if (!answer) return false;
  if (answer.ok) return true;
  if (answer.error.code === 'not_found') return false;
  throw new FlowError(`${kind}_${answer.error.code}`, `${kind} order ${orderId} of channel ${channel.id}: ${answer.error.message}`, answer.error.retryable);
}

/** A NetSuite refund record as read for posting: its total, and its item lines (null from a bundle without `read`). */
export interface NetSuiteRefundRecord {
  found: boolean;
  total: string;
  lines: NetSuiteRefundLine[] | null;
}

/**
 * Reads the record with the RESTlet's `read` (body total + item lines with SKUs: one load and one item search).
 * A bundle older than `read` refuses the kind: the total is then looked up and the refund is posted as money only.
 */
export async function readNetSuiteRefund(client: NetSuiteClient, recordType: string, recordId: string): Promise<NetSuiteRefundRecord> {
  const [result] = await client.run([{ opId: 'read', kind: 'read', recordType, id: recordId, fields: ['total'], sublists: ['item'] }]);
  if (result?.status === 'ok' && result.kind === 'read') {
    if (!result.found) return { found: false, total: '0', lines: null };
    const total = result.fields.total?.value;
    return {
      found: true,
      total: total === undefined || total === null || total === '' ? '0' : String(total),
      lines: (result.items ?? []).map((l) => ({ sku: l.sku, quantity: l.quantity, amount: l.amount, location: l.location })),
    };
  }
  if (result?.status === 'error' && result.error.code !== 'INVALID_OPERATION') {
    throw new FlowError('netsuite_error', `NetSuite read ${recordType} ${recordId}: ${result.error.message}`, result.error.retryable);
  }
  if (result?.status === 'not_attempted') throw new FlowError('netsuite_not_attempted', `NetSuite did not read ${recordType} ${recordId}.`, true);
  const ns = await lookup(client, recordType, recordId, ['total']);
  return { found: ns.found, total: value(ns, 'total') ?? '0', lines: null };
}

export interface PostedToStorefront {
  storefrontRefundId: string;
  currency: string;
  amount: number;
  /** What the cart refund carries besides the money: its lines, shipping, and NetSuite lines that stayed money only. */
  detail: Record<string, unknown>;
}

async function postToStorefront(deps: OutboundDeps, channel: ChannelRow, orderId: string, ns: NetSuiteRefundRecord, key: string, note: string): Promise<PostedToStorefront> {
  const platform = channel.kind as Platform;
  const settings = readRefundFlowSettings(platform, channel.settings);
  const fail = (r: { error: { code: string; message: string; retryable: boolean } }, what: string): never => {
    throw new FlowError(`${platform}_${r.error.code}`, `${what}: ${r.error.message}`, r.error.retryable);
  };
  const mapping = (currency: string) => ({
    currency,
    shippingItem: settings.shippingItem,
    adjustmentItem: settings.adjustmentItem,
    nonRestockLocationId: settings.nonRestockLocationId,
    storefrontLocations: settings.storefrontLocations,
  });
  const linesNote = ns.lines === null ? { lines: 'the bundle cannot read lines (no read capability): posted as money only' } : {};
  if (platform === 'shopify') {
    const client = deps.storefronts.shopify(channel);
    if (!client) throw new FlowError('storefront_not_configured', 'The Shopify channel has no access token.', false);
    const order = await client.getOrder(orderId);
    if (!order.ok) return fail(order, `Shopify order ${orderId}`);
    const currency = order.value.currency;
    const amount = parseMoney(ns.total, currency);
    let mapped: MappedCartRefund = { lines: [], shipping: 0, moneyOnly: [] };
    if (ns.lines) {
      const earlier = await client.listRefunds(orderId);
      if (!earlier.ok) return fail(earlier, `Shopify refunds of order ${orderId}`);
      const refunded = new Map<string, number>();
      for (const r of earlier.value) for (const l of r.refund_line_items) refunded.set(l.line_item_id, (refunded.get(l.line_item_id) ?? 0) + l.quantity);
      const orderLines = order.value.line_items.map((l) => ({ lineId: l.id, sku: l.sku ?? '', quantity: l.quantity, refundedQuantity: refunded.get(l.id) ?? 0 }));
      mapped = mapNetSuiteRefundLines(ns.lines, orderLines, mapping(currency));
    }
    // Shopify restocks only at a location: a restocked NetSuite line without a mapped Shopify location is refunded
    // without restocking on Shopify (NetSuite holds the stock), and said so in the detail.
    const lines = mapped.lines.map((l) => ({
      lineItemId: l.lineId,
      quantity: l.quantity,
      restockType: (l.restock && l.locationId ? 'return' : 'no_restock') as RestockType,
      ...(l.restock && l.locationId ? { locationId: l.locationId } : {}),
    }));
    const made = await client.refundFromNetSuite(orderId, {
      lines,
      amount,
      ...(mapped.shipping > 0 ? { shipping: money(mapped.shipping, currency) } : {}),
      idempotencyKey: key,
      note,
    });
    if (!made.ok) return fail(made, `Shopify refund of order ${orderId}`);
    const notRestocked = mapped.lines.filter((l) => l.restock && !l.locationId).map((l) => l.sku);
    return {
      storefrontRefundId: made.value.refund.id,
      currency,
      amount: amount.amount,
      detail: { lines, shipping: mapped.shipping, moneyOnly: mapped.moneyOnly, ...(notRestocked.length ? { notRestockedOnCart: notRestocked } : {}), ...linesNote },
    };
  }
  if (platform === 'magento') {
    const client = deps.storefronts.magento(channel);
    if (!client) throw new FlowError('storefront_not_configured', 'The Magento channel has no access token.', false);
    const order = await client.getOrder(orderId);
    if (!order.ok) return fail(order, `Magento order ${orderId}`);
    const currency = order.value.order_currency_code;
    const amount = parseMoney(ns.total, currency);
    const parents = order.value.items.filter((i) => !i.parent_item_id);
    const mapped = ns.lines
      ? mapNetSuiteRefundLines(ns.lines, parents.map((i) => ({ lineId: i.item_id, sku: i.sku, quantity: i.qty_ordered, refundedQuantity: i.qty_refunded })), mapping(currency))
      : { lines: [], shipping: 0, moneyOnly: [] };
    // What Magento will credit for the items and shipping; the rest of the NetSuite total (either sign) is the
    // credit memo's adjustment, so its grand total is the NetSuite total to the cent.
    const minor = (v: string | number | null | undefined) => (v === null || v === undefined ? 0 : parseMoney(v, currency).amount);
    const itemsMoney = mapped.lines.reduce((acc, l) => {
      const item = parents.find((i) => i.item_id === l.lineId);
      if (!item || item.qty_ordered <= 0) return acc;
      const share = (x: number) => Math.round((x * l.quantity) / item.qty_ordered);
      return acc + share(minor(item.row_total)) + share(minor(item.tax_amount)) - share(minor(item.discount_amount));
    }, 0);
    const difference = amount.amount - itemsMoney - mapped.shipping;
    const made = await client.refundOrder(orderId, {
      items: mapped.lines.map((l) => ({ orderItemId: l.lineId, qty: l.quantity, restock: l.restock })),
      ...(mapped.shipping > 0 ? { shipping: money(mapped.shipping, currency) } : {}),
      ...(difference > 0 ? { adjustmentPositive: money(difference, currency) } : {}),
      ...(difference < 0 ? { adjustmentNegative: money(-difference, currency) } : {}),
      idempotencyKey: key,
    });
    if (!made.ok) return fail(made, `Magento refund of order ${orderId}`);
    return {
      storefrontRefundId: made.value.creditMemoId,
      currency,
      amount: amount.amount,
      detail: { items: mapped.lines, shipping: mapped.shipping, adjustment: difference, moneyOnly: mapped.moneyOnly, ...linesNote },
    };
  }
  if (platform === 'ebay') {
    const client = deps.storefronts.ebay(channel);
    if (!client) throw new FlowError('storefront_not_configured', 'The eBay channel has no access token.', false);
    const order = await client.getOrder(orderId);
    if (!order.ok) return fail(order, `eBay order ${orderId}`);
    const currency = order.value.pricingSummary?.total?.currency ?? 'USD';
    const amount = parseMoney(ns.total, currency);
    // eBay refunds are money (the order-level OTHER_ADJUSTMENT): eBay keeps no stock to restock.
    const made = await client.issueOrderRefund(orderId, amount, 'OTHER_ADJUSTMENT', note);
    if (!made.ok) return fail(made, `eBay refund of order ${orderId}`);
    return { storefrontRefundId: made.value.refundId ?? `pending:${key}`, currency, amount: amount.amount, detail: {} };
  }
  throw new FlowError('direction_unsupported', 'Amazon has no seller refund API: refunds cannot be pushed to Amazon.', false);
}

export function createOutboundProcessor(deps: OutboundDeps): SyncProcessor {
  return async ({ record, event }: ProcessContext): Promise<ProcessOutcome> => {
    const channel = await findChannelById(deps.db, record.channel_id);
    if (!channel || !event) return { kind: 'failed', code: 'event_missing', message: 'The stored event or its channel is gone.', retryable: false };
    const platform = channel.kind as Platform;
    const body = JSON.parse(event.body) as NetSuiteRefundEvent;
    if (body.skipped) return { kind: 'skipped', code: body.skipped.code, message: body.skipped.message };
    const settings = readRefundFlowSettings(platform, channel.settings);
    if (settings.direction !== 'netsuite_to_platform') {
      return {
        kind: 'failed',
        code: 'direction_not_outbound',
        message: `NetSuite ${body.recordType} ${body.recordId} was made in NetSuite, but this channel's refund direction is '${settings.direction}': it is not posted to ${platform}.`,
        retryable: false,
      };
    }
    const row = await store.claimRefund(deps.db, {
      id: randomUUID(),
      tenant_id: channel.tenant_id,
      channel_id: channel.id,
      direction: 'outbound',
      source_key: `${body.recordType}:${body.recordId}`,
      sync_record_id: record.id,
      order_id: body.orderId,
      platform_refund_id: null,
      currency: null,
      total_minor: null,
    });
    if (row.platform_refund_id) return { kind: 'posted' };
    try {
      const client = await deps.netsuite(channel.tenant_id, channel.connection_id ?? '');
      const ns = await readNetSuiteRefund(client, body.recordType, body.recordId);
      if (!ns.found) {
        return { kind: 'failed', code: 'netsuite_record_deleted', message: `NetSuite ${body.recordType} ${body.recordId} no longer exists; nothing to post to ${platform}.`, retryable: false };
      }
      const key = storefrontRefundKey(platform, channel.id, body.recordType, body.recordId);
      const made = await postToStorefront(deps, channel, body.orderId, ns, key, `NetSuite ${body.recordType} ${body.recordId}`);
      await store.updateRefund(deps.db, row.id, {
        platform_refund_id: made.storefrontRefundId,
        currency: made.currency,
        total_minor: made.amount,
        netsuite_record_type: body.recordType,
        netsuite_record_id: body.recordId,
        netsuite_records: [{ kind: body.recordType, id: body.recordId, externalId: null, amount: made.amount, created: false }],
        detail: made.detail,
      });
      // Write the storefront refund id back; the RESTlet marks the change as the integration's own (no echo).
      await runOps(client, [
        { opId: 'writeback', kind: 'setFields', recordType: body.recordType, target: { id: body.recordId }, values: { [PLATFORM_REF_FIELD]: `${platform}:${made.storefrontRefundId}` } },
      ]);
      deps.logger.info({ recordType: body.recordType, recordId: body.recordId, storefrontRefundId: made.storefrontRefundId }, 'NetSuite refund posted to storefront');
      return { kind: 'posted' };
    } catch (error) {
      return flowErrorOutcome(error);
    }
  };
}
