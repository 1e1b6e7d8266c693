/**
 * /healthz: the process is up (no dependencies checked, so an orchestrator does not restart it for a db blip).
 * /readyz: the store answers, every migration is applied, and the job queue is running. It needs no auth, so a
 * failing store is reported as "database unavailable" only; the store's own error goes to the log.
 */
import { Router } from 'express';
import type { Db } from '../store/db';
import type { JobQueue } from '../jobs/job-queue';
import { pendingMigrations } from '../store/migrate';

export function healthRoutes(deps: { db: Db; jobs: JobQueue; isShuttingDown: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      await deps.db.query('select 1');
      checks.database = { ok: true };
      const pending = await pendingMigrations(deps.db);
      checks.migrations = pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${pending.join(', ')}` };
    } catch (error) {
      req.log?.warn({ err: error }, 'readiness: the database did not answer');
      checks.database = { ok: false, detail: 'database unavailable' };
    }
    checks.jobs = deps.jobs.running ? { ok: true } : { ok: false, detail: 'job queue is not running' };
    if (deps.isShuttingDown()) checks.shutdown = { ok: false, detail: 'shutting down' };
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  return router;
}
