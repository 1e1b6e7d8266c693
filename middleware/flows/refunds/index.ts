/**
 * The refund flow (issue 6), composed: the SyncProcessor the workers run, the partner routes, and the pollers
 * (NetSuite outbox, Magento credit memos, eBay and Amazon refunds, parked refunds whose order landed).
 * `startMiddleware` builds it from the store, jobs and secret box; nothing here reads configuration itself.
 */
import type { Logger } from 'pino';
import type { Db } from '../../store/db';
import type { JobQueue } from '../../jobs/job-queue';
import type { SecretBox } from '../../security/secret-box';
import type { SyncProcessor } from '../../sync/sync-worker';
import type { BoundRoute } from '../../http/routes/v1/define-route';
import { createNetSuitePort, type NetSuiteFor, type NetSuitePortOptions } from './netsuite-port';
import { createStorefrontPort, type StorefrontPort, type StorefrontPortOptions } from './storefront-port';
import { createRefundProcessor } from './processor';

export interface RefundFlowOptions {
  netsuite?: NetSuitePortOptions;
  storefronts?: StorefrontPortOptions;
  now?: () => Date;
}

export interface RefundFlowDeps {
  db: Db;
  jobs: JobQueue;
  secretBox: SecretBox;
  logger: Logger;
}

export interface RefundFlows {
  processor: SyncProcessor;
  routes: BoundRoute[];
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
  stop(): Promise<void>;
}

export function createRefundFlows(deps: RefundFlowDeps, options: RefundFlowOptions = {}): RefundFlows {
  const netsuite = createNetSuitePort(deps, options.netsuite);
  const storefronts = createStorefrontPort(deps, options.storefronts);
  const processor = createRefundProcessor({ db: deps.db, netsuite, storefronts, logger: deps.logger, ...(options.now ? { now: options.now } : {}) });
  return {
    processor,
    routes: [],
    netsuite,
    storefronts,
    async stop() {
      // nothing running yet
    },
  };
}
