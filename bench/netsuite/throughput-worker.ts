/**
 * One middleware process of the throughput benchmark: a NetSuite client with the budget in the shared PostgreSQL
 * store or in its own embedded store,
 * submitting a backlog of creates through the batching queue. Config comes as JSON in argv; the result is one
 * JSON line on stdout.
 */
import type { OperationResult } from '../../core/contracts/restlet';
import { createNetSuiteConnection, type NetSuiteConnectionSettings } from '../../middleware/netsuite/connection';
import { openDb } from '../../middleware/store/open-db';
import { migrate } from '../../middleware/store/migrate';

export interface WorkerConfig {
  settings: NetSuiteConnectionSettings;
  /** Where the concurrency budget lives: the shared PostgreSQL store, or the process's own embedded store (PGlite). */
  store: 'postgresql' | 'embedded';
  databaseUrl: string;
  customerId: string;
  prefix: string;
  ops: number;
  /** Epoch ms at which to start submitting (so several processes start together). */
  startAt: number;
}

export interface WorkerResult {
  prefix: string;
  startedAt: number;
  endedAt: number;
  /** Operations this process submitted. */
  submitted: number;
  ok: number;
  failed: number;
  /**
   * Operations whose final answer from the NetSuite client (after its retries) was a concurrency-limit error
   * (SSS_REQUEST_LIMIT_EXCEEDED): the failures a sync record would show. Limit errors the client retried past are
   * not counted here (the host's limitRejectionsByNetSuite counts every refusal).
   */
  operationsFailedByLimitError: number;
  /** Up to 3 distinct reasons of failed operations (error message or result error), to tell causes apart. */
  failureSamples: string[];
  /** The client settings this process ran with, as it read them from its config. */
  client: { concurrencyLimit: number | null; batchMaxOps: number | null; batchMaxWaitMs: number | null };
  stats: Record<string, number>;
}

export async function run(config: WorkerConfig): Promise<WorkerResult> {
  const db = config.store === 'embedded' ? await openDb({ kind: 'pglite', dataDir: 'memory://' }) : await openDb({ kind: 'postgres', url: config.databaseUrl, poolSize: 4 });
  if (config.store === 'embedded') await migrate(db);
  try {
    const callMs: number[] = [];
    const { client, queue } = createNetSuiteConnection(config.settings, {
      db,
      onAttempt: (e) => {
        if (e.action === 'batch') callMs.push(e.ms);
      },
    });
    await client.health(); // sign-in and connection warm-up before the clock starts
    await new Promise((r) => setTimeout(r, Math.max(0, config.startAt - Date.now())));
    const startedAt = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: config.ops }, (_, i) =>
        queue
          .submit({
            kind: 'create',
            recordType: 'cashsale',
            externalId: `${config.prefix}:${i}`,
            values: { entity: config.customerId },
            items: [{ sku: 'SKU-A', quantity: 1, rate: '1.00' }],
          })
          .then((r: OperationResult) => ({ r, e: null as unknown }), (e: unknown) => ({ r: null, e })),
      ),
    );
    const endedAt = Date.now();
    const limitHits = outcomes.filter(({ r, e }) => {
      const text = e ? String((e as Error).message) : r && r.status === 'error' ? JSON.stringify(r.error) : '';
      return text.includes('SSS_REQUEST_LIMIT_EXCEEDED');
    }).length;
    return {
      prefix: config.prefix,
      startedAt,
      endedAt,
      submitted: outcomes.length,
      ok: outcomes.filter(({ r }) => r?.status === 'ok').length,
      failed: outcomes.filter(({ r }) => !r || r.status !== 'ok').length,
      operationsFailedByLimitError: limitHits,
      failureSamples: [...new Set(outcomes
        .filter(({ r }) => !r || r.status !== 'ok')
        .map(({ r, e }) => (e ? String((e as Error).message) : JSON.stringify(r && 'error' in r ? r.error : r)).slice(0, 300)))].slice(0, 3),
      client: {
        concurrencyLimit: config.settings.concurrencyLimit ?? null,
        batchMaxOps: config.settings.batch?.maxOps ?? null,
        batchMaxWaitMs: config.settings.batch?.maxWaitMs ?? null,
      },
      stats: { ...client.stats, meanCallMs: Math.round(callMs.reduce((a, b) => a + b, 0) / Math.max(1, callMs.length)) },
    };
  } finally {
    await db.close();
  }
}

export async function main(args: string[]): Promise<number> {
  const result = await run(JSON.parse(args[0] as string) as WorkerConfig);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
