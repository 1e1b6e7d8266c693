/** /metrics in Prometheus text format. Gauges that mirror the store (records, jobs by state) are sampled here. */
import { Router } from 'express';
import type { Db } from '../store/db';
import type { JobQueue } from '../jobs/job-queue';
import type { Metrics } from '../observability/metrics';
import { countSyncRecordsByState } from '../store/sql/sync-records';
import { SYNC_STATES } from '../sync/sync-states';
import { SYNC_DEAD_LETTER_QUEUE, SYNC_QUEUE } from '../sync/queues';

export function metricsRoutes(deps: { db: Db; jobs: JobQueue; metrics: Metrics }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    try {
      const byState = await countSyncRecordsByState(deps.db);
      for (const state of SYNC_STATES) deps.metrics.syncRecordsByState.set({ state }, byState[state] ?? 0);
      if (deps.jobs.running) {
        for (const q of await deps.jobs.counts([SYNC_QUEUE, SYNC_DEAD_LETTER_QUEUE])) {
          for (const [state, n] of Object.entries(q.byState)) deps.metrics.jobsByState.set({ queue: q.queue, state }, n);
        }
        for (const b of await deps.jobs.backlog([SYNC_QUEUE, SYNC_DEAD_LETTER_QUEUE])) {
          deps.metrics.queueWaitingJobs.set({ queue: b.queue }, b.waiting);
          deps.metrics.queueOldestWaitingSeconds.set({ queue: b.queue }, b.oldestWaitingSeconds);
        }
      }
    } catch (error) {
      // A store hiccup must not hide the process metrics; the gauges keep their last values.
      req.log.warn({ err: error }, 'could not sample store gauges for /metrics');
    }
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
