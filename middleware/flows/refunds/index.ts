/**
 * The refund flow: storefront and marketplace refunds to NetSuite, NetSuite refunds to the carts. Its sync topics,
 * its partner routes (lookup, retrieve, why-not) and its sweep (NetSuite outbox, Magento credit memos, eBay and
 * Amazon refunds, parked refunds whose order landed), on a pg-boss schedule and/or a timer.
 */
import { REFUND_CHANNEL_SETTINGS } from './settings';
import { defineFlow, type FlowContext } from '../registry';
import { createRefundProcessor } from './processor';
import { createOutboundProcessor, NETSUITE_REFUND_TOPIC } from './outbound';
import { refundRoutes } from './routes';
import { IMPORTED_REFUND_TOPIC } from './sources';
import type { OutboxRestartOptions } from './outbound';
import { releaseParked, SWEEP_QUEUE, sweepOnce, UNREADABLE_REFUND_TOPIC, unreadableItemProcessor, type SweepReport } from './sweep';
import { upsertOrder } from './store';

export type { SweepReport };

export interface RefundFlowOptions {
  /**
   * Periodic sweep (outbox pull, Magento/eBay/Amazon polls, parked release): `cron` registers a pg-boss schedule
   * shared by every process (e.g. '* * * * *'); `intervalMs` also runs it on a timer in this process (the sandbox).
   * Off when absent (then it runs only when called). `outboxRestart`: when the NetSuite outbox cursor restarts at
   * "0" (`{ everySweeps?, everyMinutes? }`; default every 10 sweeps or 15 minutes).
   */
  sweep?: { cron?: string; intervalMs?: number; outboxRestart?: OutboxRestartOptions };
}

/** Storefront refund webhooks (Shopify), refunds the middleware fetched, and polled items it cannot read. */
export const REFUND_TOPICS = ['refunds/create', IMPORTED_REFUND_TOPIC, UNREADABLE_REFUND_TOPIC, NETSUITE_REFUND_TOPIC] as const;
export const SWEEP_SCHEDULE = 'sweep';

export const refundsFlow = defineFlow<RefundFlowOptions>({
  name: 'refunds',
  settings: REFUND_CHANNEL_SETTINGS,
  views: [
    { id: 'refunds.lookup', title: 'Find an order or refund', shows: 'State, history and NetSuite record of any order or refund by its platform id', dataRoute: 'GET /v1/lookup/:platformId' },
    { id: 'refunds.why-not', title: "Why didn't this refund sync?", shows: "Every prerequisite of an order's refund, checked now, with what to fix", dataRoute: 'GET /v1/channels/:id/orders/:orderId/why-not' },
  ],
  create(context: FlowContext, options) {
    const { db, jobs, netsuite, platforms: storefronts, logger } = context;
    const shared = { db, jobs, netsuite, storefronts, logger };
    const inbound = createRefundProcessor({ ...shared, ...(context.now ? { now: context.now } : {}) });
    const outbound = createOutboundProcessor(shared);
    const sweepDeps = {
      ...shared,
      ...(context.metrics ? { metrics: context.metrics } : {}),
      ...(context.now ? { now: context.now } : {}),
      ...(options?.sweep?.outboxRestart ? { outboxRestart: options.sweep.outboxRestart } : {}),
    };
    // An order landed in NetSuite (imported, or noted on channels whose orders come from another connector): keep
    // its link for refunds and let refunds parked for it look again.
    context.orderEvents?.onOrderLanded(async ({ channel, syncRecordId, wrote, order, netsuite: ns }) => {
      await upsertOrder(db, {
        channel_id: channel.id,
        order_id: order.orderId,
        tenant_id: channel.tenant_id,
        order_number: order.orderNumber,
        currency: order.currency,
        total_minor: order.total,
        ...(ns ? { netsuite_salesorder_id: ns.salesOrderId, netsuite_billing_type: ns.billingType, netsuite_billing_id: ns.billingId } : {}),
        // The order's sync record is the one that wrote it (a later event that found it all done does not replace it).
        ...(ns && wrote ? { sync_record_id: syncRecordId } : {}),
      });
      await releaseParked({ db, jobs }, channel, order.orderId);
    });
    return {
      topics: { 'refunds/create': inbound, [IMPORTED_REFUND_TOPIC]: inbound, [UNREADABLE_REFUND_TOPIC]: unreadableItemProcessor(inbound), [NETSUITE_REFUND_TOPIC]: outbound },
      routes: refundRoutes({ db, jobs, netsuite, storefronts }),
      schedules: [
        {
          name: SWEEP_SCHEDULE,
          run: (): Promise<SweepReport> => sweepOnce(sweepDeps),
          ...(options?.sweep?.cron ? { cron: options.sweep.cron } : {}),
          ...(options?.sweep?.intervalMs ? { intervalMs: options.sweep.intervalMs } : {}),
          queue: { name: SWEEP_QUEUE, key: 'refunds' },
        },
      ],
    };
  },
});
