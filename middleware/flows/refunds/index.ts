/**
 * The refund flow (issue 6), composed: the SyncProcessor the workers run, the partner routes, and the sweep
 * (NetSuite outbox, Magento credit memos, parked refunds whose order landed) on a pg-boss schedule and/or a
 * timer. `startMiddleware` builds it from the store, jobs and secret box; nothing here reads configuration.
 */
import type { Logger } from 'pino';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import type { SecretBox } from '../../security/secret-box';
import type { SyncProcessor } from '../../sync/sync-worker';
import type { BoundRoute } from '../../http/routes/v1/define-route';
import type { Metrics } from '../../observability/metrics';
import { createNetSuitePort, type NetSuiteFor, type NetSuitePortOptions } from './netsuite-port';
import { createStorefrontPort, type StorefrontPort, type StorefrontPortOptions } from './storefront-port';
import { createRefundProcessor } from './processor';
import { createOutboundProcessor, NETSUITE_REFUND_TOPIC } from './outbound';
import { createOrderImportProcessor, ORDER_TOPICS } from './orders';
import { refundRoutes } from './routes';
import { SWEEP_QUEUE, sweepOnce, type SweepReport } from './sweep';

export interface RefundFlowOptions {
  netsuite?: NetSuitePortOptions;
  storefronts?: StorefrontPortOptions;
  now?: () => Date;
  /**
   * Periodic sweep (outbox pull, Magento poll, parked release): `cron` registers a pg-boss schedule shared by every
   * process (e.g. '* * * * *'); `intervalMs` also runs it on a timer in this process (the sandbox). Off when absent.
   */
  sweep?: { cron?: string; intervalMs?: number };
}

export interface RefundFlowDeps {
  db: Db;
  jobs: JobQueue;
  secretBox: SecretBox;
  logger: Logger;
  /** When given, every NetSuite call of the flow is counted on /metrics (observeNetSuiteAttempts). */
  metrics?: Metrics;
}

export interface RefundFlows {
  processor: SyncProcessor;
  routes: BoundRoute[];
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
  /** One sweep now (tests, the sandbox, the schedule's worker). Sweeps never overlap within a process. */
  sweep(): Promise<SweepReport>;
  /** Starts the schedule/timer (when configured); called once the job workers run. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createRefundFlows(deps: RefundFlowDeps, options: RefundFlowOptions = {}): RefundFlows {
  const netsuite = createNetSuitePort(deps, options.netsuite);
  const storefronts = createStorefrontPort(deps, options.storefronts);
  const shared = { db: deps.db, jobs: deps.jobs, netsuite, storefronts, logger: deps.logger };
  const processor = createRefundProcessor({
    db: deps.db,
    jobs: deps.jobs,
    netsuite,
    storefronts,
    logger: deps.logger,
    ...(options.now ? { now: options.now } : {}),
    handlers: {
      [NETSUITE_REFUND_TOPIC]: createOutboundProcessor(shared),
      ...Object.fromEntries(ORDER_TOPICS.map((t) => [t, createOrderImportProcessor(shared)])),
    },
  });
  let running: Promise<SweepReport> | null = null;
  const sweep = (): Promise<SweepReport> => {
    running ??= sweepOnce(shared).finally(() => {
      running = null;
    });
    return running;
  };
  let timer: NodeJS.Timeout | null = null;
  return {
    processor,
    routes: refundRoutes({ db: deps.db, jobs: deps.jobs, netsuite, storefronts }),
    netsuite,
    storefronts,
    sweep,
    async start() {
      if (options.sweep?.cron) {
        await deps.jobs.ensureQueues([{ name: SWEEP_QUEUE, retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 300, policy: 'singleton' }]);
        await deps.jobs.schedule(SWEEP_QUEUE, options.sweep.cron, {}, 'refunds');
        await deps.jobs.work(SWEEP_QUEUE, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
          await sweep();
        });
      }
      if (options.sweep?.intervalMs) {
        timer = setInterval(() => {
          sweep().catch((error: unknown) => deps.logger.error({ err: error }, 'refund sweep failed'));
        }, options.sweep.intervalMs);
        timer.unref();
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
