/**
 * The refund flow's SyncProcessor: reads the record's channel and event, and hands it to the right step —
 * storefront refunds (Shopify webhooks, polled or retrieved refunds) to NetSuite, and eBay refunds its API cannot
 * read reported as exceptions. Topics it does not own are parked as unhandled.
 */
import type { Logger } from 'pino';
import type { Db } from '../../store/db';
import { findChannelById } from '../../store/sql/channels';
import { parkUnhandled, type ProcessContext, type ProcessOutcome, type SyncProcessor } from '../../sync/sync-worker';
import { FlowError, type NetSuiteFor } from '../../ports/netsuite';
import type { JobQueue } from '../../jobs/job-queue';
import type { ChannelRow } from '../../store/sql/channels';
import type { Platform } from '../../../core/orders';
import { fetchCanonicalOrder, queueOrderImport } from '../../ports/storefront-orders';
import { readRefundFlowSettings } from './settings';
import { syncInboundRefund } from './inbound';
import { flowErrorOutcome } from '../../ports/flow-outcomes';
import { IMPORTED_REFUND_TOPIC, importedRefund, shopifyRefundFromWebhook, type SourcedRefund } from './sources';
import type { StorefrontPort } from '../../ports/platforms';
import * as store from './store';
import { UNREADABLE_REFUND_TOPIC } from './sweep';

export interface ProcessorDeps {
  db: Db;
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
  logger: Logger;
  now?: () => Date;
  /** With it, a refund parked for its order queues the order's import (channels that import orders). */
  jobs?: JobQueue;
}

export function createRefundProcessor(deps: ProcessorDeps): SyncProcessor {
  return async (context: ProcessContext): Promise<ProcessOutcome> => {
    const { record, event } = context;
    if (record.topic === UNREADABLE_REFUND_TOPIC && event) {
      // Reported, not guessed: the refund is on the platform but its API does not return it.
      const unreadable = JSON.parse(event.body) as { orderId: string; explanation: string };
      return { kind: 'failed', code: 'ebay_refund_unreadable', message: `eBay order ${unreadable.orderId}: ${unreadable.explanation}`, retryable: false };
    }
    if (record.topic !== 'refunds/create' && record.topic !== IMPORTED_REFUND_TOPIC) return parkUnhandled(context);
    const channel = await findChannelById(deps.db, record.channel_id);
    if (!channel || !event) return { kind: 'failed', code: 'event_missing', message: 'The stored event or its channel is gone.', retryable: false };
    let sourced: SourcedRefund;
    try {
      sourced = record.topic === 'refunds/create' ? await shopifyRefundFromWebhook(channel, event.body, deps.storefronts) : importedRefund(event.body);
    } catch (error) {
      return flowErrorOutcome(error);
    }
    // A refund this channel posted from NetSuite comes back as a platform refund: recognise it and do not import it.
    let echoOf = sourced.echoOf;
    if (!echoOf) {
      const outbound = (await store.findRefundsByPlatformId(deps.db, channel.tenant_id, sourced.refund.refundId, channel.id)).find((r) => r.direction === 'outbound');
      echoOf = outbound ? outbound.source_key : null;
    }
    const outcome = await syncInboundRefund({ db: deps.db, netsuite: deps.netsuite, logger: context.logger, ...(deps.now ? { now: deps.now } : {}) }, { record, channel, refund: sourced.refund, echoOf });
    if (outcome.kind === 'parked' && outcome.code === 'order_not_synced' && deps.jobs) await importMissingOrder({ ...deps, jobs: deps.jobs }, channel, sourced.refund.orderId, context.logger);
    return outcome;
  };
}

const PULLED_ORDER_PLATFORMS = ['magento', 'ebay', 'amazon'];

/**
 * A refund came before its order, on a Magento, eBay or Amazon channel that imports orders: the order is read from the platform and its
 * import queued (once per order), so the refund does not wait for a webhook that may never come (Magento, eBay and
 * Amazon push no order events). The import releases the parked refund when the sales order is written.
 */
async function importMissingOrder(deps: ProcessorDeps & { jobs: JobQueue }, channel: ChannelRow, orderId: string, logger: Logger): Promise<void> {
  // Shopify pushes orders/create itself; the others only answer reads.
  if (!PULLED_ORDER_PLATFORMS.includes(channel.kind) || !readRefundFlowSettings(channel.kind as Platform, channel.settings).orderImport.enabled) return;
  try {
    const order = await fetchCanonicalOrder(channel, orderId, deps.storefronts);
    await queueOrderImport(deps.db, deps.jobs, channel, order, 'refund');
  } catch (error) {
    // The refund stays parked either way; the sweep and the age limit take it from there.
    logger.warn({ orderId, err: error instanceof FlowError ? error.message : error }, 'could not queue the import of a refund\'s order');
  }
}
