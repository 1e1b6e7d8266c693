/**
 * One middleware process of the throughput benchmark: a NetSuite client with the budget in the shared store,
 * submitting a backlog of creates through the batching queue. Config comes as JSON in argv; the result is one
 * JSON line on stdout.
 */
import type { OperationResult } from '../../core/contracts/restlet';
import { createNetSuiteConnection, type NetSuiteConnectionSettings } from '../../middleware/netsuite/connection';
import { openDb } from '../../middleware/store/open-db';

export interface WorkerConfig {
  settings: NetSuiteConnectionSettings;
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
  ok: number;
  failed: number;
  /** Operations whose final answer was (or was caused by) a NetSuite concurrency-limit error. */
  limitErrorsReachingSyncRecords: number;
  stats: Record<string, number>;
}

export async function run(config: WorkerConfig): Promise<WorkerResult> {
  const db = await openDb({ kind: 'postgres', url: config.databaseUrl, poolSize: 4 });
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
      ok: outcomes.filter(({ r }) => r?.status === 'ok').length,
      failed: outcomes.filter(({ r }) => !r || r.status !== 'ok').length,
      limitErrorsReachingSyncRecords: limitHits,
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
