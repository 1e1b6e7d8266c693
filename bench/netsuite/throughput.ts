/**
 * Sustained throughput of creates from the middleware to an emulated account answering each call in 300 ms with a
 * concurrency limit of 5, for one and for two middleware processes sharing the concurrency budget in PostgreSQL, and
 * for one process on the embedded store (its budget in memory).
 * Reported as a fraction of the theoretical maximum (limit ÷ latency × batch size), with the operations whose final
 * answer was a concurrency-limit error and duplicate records (both must be 0). The settings printed (latency,
 * concurrency limit, batch size, processes, records) are read back from the running host, the workers' client
 * config and the account, not repeated from the constants.
 *
 * "300 ms per call" is modelled as the account's whole answer time: the emulated script runs, then the call is
 * held until 300 ms have passed since it started (a call whose script ran longer answers when the script ends).
 * The emulator's own `latencyMs` instead adds 300 ms ON TOP of its script run time (5 emulated creates take
 * 25-50 ms of this machine's shared CPU), which would make the account slower than the one the target names and
 * measure the emulator's speed rather than the middleware's. LB_BENCH_LATENCY=added runs that mode instead (for
 * comparison; the target is stated for the padded mode). Each run also reports meanCallMs and
 * fractionOfMeasuredCallCapacity (throughput against limit ÷ measured call time), so both views stay visible.
 * Prints one JSON document, then a one-line summary.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor } from '../../emulator/http';
import type { RestletRunner } from '../../emulator/http/restlet-runner';
import type { NetSuiteConnectionSettings } from '../../middleware/netsuite/connection';
import { openDb } from '../../middleware/store/open-db';
import { migrate } from '../../middleware/store/migrate';
import { benchAccount, invoke } from './account';
import { startPostgres } from './postgres';
import type { WorkerConfig, WorkerResult } from './throughput-worker';
import { runNaive } from './naive-client';

const ACCOUNT = '1234567';
const LATENCY_MS = 300;
const LIMIT = 5;
// Fraction of limit ÷ latency × batch size every run must reach (one and two processes, either store).
const TARGET = 0.95;
// The naive comparison client: attempts per batch and the fixed pause after a limit error.
const NAIVE_ATTEMPTS = 3;
const NAIVE_PAUSE_MS = 500;
// Overridable for exploration: LB_BENCH_BATCH=10 LB_BENCH_OPS=2000 node bench/netsuite/run.js throughput
const BATCH = Number(process.env.LB_BENCH_BATCH ?? 5);
const OPS_PER_RUN = Number(process.env.LB_BENCH_OPS ?? 1200);
const LATENCY_MODE: 'padded' | 'added' = process.env.LB_BENCH_LATENCY === 'added' ? 'added' : 'padded';

/** A RESTlet runner whose every call takes at least `ms` in all (script time included): the account's answer time. */
export function paddedRunner(inner: RestletRunner, ms: () => number): RestletRunner & { paddingMs(): number } {
  return {
    paddingMs: ms,
    resolve: (script, deploy) => inner.resolve(script, deploy),
    async invoke(invocation) {
      const started = Date.now();
      const outcome = await inner.invoke(invocation);
      const rest = ms() - (Date.now() - started);
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      return outcome;
    },
  };
}

function worker(config: WorkerConfig): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'run.js'), 'throughput-worker', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() as string) as WorkerResult) : reject(new Error(`worker exited ${code}`))));
  });
}

export async function main(): Promise<number> {
  const pg = await startPostgres();
  const { account, customerId } = benchAccount(ACCOUNT);
  const creds = generateSandboxCredentials();
  // Padding is off while warming up, on for the runs (padded mode only).
  let padMs = 0;
  const runner = LATENCY_MODE === 'padded' ? paddedRunner(account.restlets, () => padMs) : account.restlets;
  const host = createNetSuiteHost({ accountId: ACCOUNT, runner, records: account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: LIMIT });
  const running = await host.listen();
  try {
    const db = await openDb({ kind: 'postgres', url: pg.url, poolSize: 2 });
    await migrate(db);
    await db.close();
    // Warm the script runtime (module loading, JIT) so the runs measure steady state.
    for (let i = 0; i < 20; i++) {
      await invoke(account, { action: 'batch', operations: Array.from({ length: BATCH }, (_, j) => ({ opId: `w${j}`, kind: 'create', recordType: 'cashsale', externalId: `warm:${i}:${j}`, values: { entity: customerId }, items: [{ sku: 'SKU-A', quantity: 1, rate: '1.00' }] })) });
    }
    if (LATENCY_MODE === 'padded') padMs = LATENCY_MS;
    else host.configure({ latencyMs: LATENCY_MS });
    const settings: NetSuiteConnectionSettings = {
      accountId: ACCOUNT,
      credentials: { kind: 'tba', tba: creds.tba },
      restletBaseUrl: running.url,
      concurrencyLimit: LIMIT,
      timeoutMs: 30_000,
      batch: { maxOps: BATCH, maxWaitMs: 5 },
    };
    // The settings as the run uses them, read back from the host and the runner (not the constants above).
    const hostSettings = host.settings();
    const callMs = 'paddingMs' in runner ? (runner as ReturnType<typeof paddedRunner>).paddingMs() : hostSettings.latencyMs;
    const limit = hostSettings.concurrencyLimit;
    const theoreticalOpsPerSec = (limit / (callMs / 1000)) * BATCH;
    const runs = [];
    const plans: Array<{ processes: number; store: WorkerConfig['store'] }> = [
      { processes: 1, store: 'postgresql' },
      { processes: 2, store: 'postgresql' },
      { processes: 1, store: 'embedded' },
    ];
    for (const { processes, store } of plans) {
      host.resetCounters();
      const startAt = Date.now() + 1500;
      const results = await Promise.all(
        Array.from({ length: processes }, (_, p) =>
          worker({ settings, store, databaseUrl: pg.url, customerId, prefix: `bench:${store}:${processes}p:${p}`, ops: Math.floor(OPS_PER_RUN / processes), startAt }),
        ),
      );
      const clientBatch = [...new Set(results.map((r) => r.client.batchMaxOps))];
      const clientLimit = [...new Set(results.map((r) => r.client.concurrencyLimit))];
      const start = Math.min(...results.map((r) => r.startedAt));
      const end = Math.max(...results.map((r) => r.endedAt));
      const ops = results.reduce((n, r) => n + r.ok, 0);
      let duplicates = 0;
      let records = 0;
      for (const r of results) {
        const rows = account.engine.search({ type: 'cashsale', filters: [['externalid', 'startswith', `${r.prefix}:`], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'externalid' }] });
        records += rows.length;
        duplicates += rows.length - new Set(rows.map((row) => String(row.values.externalid?.value))).size;
      }
      const opsPerSec = ops / ((end - start) / 1000);
      // What the account could do given how long its calls really took (300 ms + the emulated script's own run
      // time): separates the middleware's scheduling from the emulator's execution speed.
      const meanCallMs = results.reduce((n, r) => n + (r.stats.meanCallMs ?? 0), 0) / results.length;
      const counters = host.counters();
      runs.push({
        processes: results.length,
        budgetStore: store,
        settings: {
          callMs,
          hostAddedLatencyMs: host.settings().latencyMs,
          concurrencyLimit: host.settings().concurrencyLimit,
          clientConcurrencyLimit: clientLimit.length === 1 ? clientLimit[0] : clientLimit,
          batchSize: clientBatch.length === 1 ? clientBatch[0] : clientBatch,
          submitted: results.reduce((n, r) => n + r.submitted, 0),
          recordsCreated: records,
        },
        operations: ops,
        failed: results.reduce((n, r) => n + r.failed, 0),
        seconds: (end - start) / 1000,
        opsPerSec: Math.round(opsPerSec * 10) / 10,
        theoreticalOpsPerSec: Math.round(theoreticalOpsPerSec * 10) / 10,
        fractionOfTheoretical: Math.round((opsPerSec / theoreticalOpsPerSec) * 1000) / 1000,
        calls: counters.requests,
        meanOpsPerCall: Math.round((ops / Math.max(1, counters.scriptRuns)) * 10) / 10,
        meanCallMs: Math.round(meanCallMs),
        fractionOfMeasuredCallCapacity: Math.round((opsPerSec / ((limit / (meanCallMs / 1000)) * (ops / Math.max(1, counters.scriptRuns)))) * 1000) / 1000,
        maxInFlight: counters.maxInFlight,
        limitRejectionsByNetSuite: counters.limitRejections,
        operationsFailedByLimitError: results.reduce((n, r) => n + r.operationsFailedByLimitError, 0),
        duplicateRecords: duplicates,
        failureSamples: [...new Set(results.flatMap((r) => r.failureSamples))].slice(0, 3),
        clientStats: results.map((r) => r.stats),
      });
    }
    // The peers' pattern beside ours, on the same account: no shared budget, a fixed pause and sequential retries on
    // a limit error; at the account's limit and at twice it.
    const naiveSettings = { batchSize: BATCH, attempts: NAIVE_ATTEMPTS, pauseMs: NAIVE_PAUSE_MS };
    const naive = [];
    for (const parallelism of [limit, 2 * limit]) {
      host.resetCounters();
      const prefix = `bench:naive:${parallelism}`;
      const ops = Array.from({ length: OPS_PER_RUN }, (_, i) => ({ opId: `n${i % BATCH}`, kind: 'create' as const, recordType: 'cashsale', externalId: `${prefix}:${i}`, values: { entity: customerId }, items: [{ sku: 'SKU-A', quantity: 1, rate: '1.00' }] }));
      const r = await runNaive(settings, ops, { parallelism, ...naiveSettings });
      const opsPerSec = r.ok / ((r.endedAt - r.startedAt) / 1000);
      naive.push({
        parallelism,
        settings: { ...naiveSettings, submitted: ops.length },
        operations: r.ok,
        failed: r.failed,
        operationsFailedByLimitError: r.operationsFailedByLimitError,
        limitRejectionsByNetSuite: host.counters().limitRejections,
        calls: r.calls,
        opsPerSec: Math.round(opsPerSec * 10) / 10,
        fractionOfTheoretical: Math.round((opsPerSec / theoreticalOpsPerSec) * 1000) / 1000,
      });
    }
    const pass = runs.every((r) => r.fractionOfTheoretical >= TARGET && r.operationsFailedByLimitError === 0 && r.duplicateRecords === 0 && r.failed === 0);
    process.stdout.write(`${JSON.stringify({ benchmark: 'netsuite-throughput', latencyMs: callMs, latencyMode: LATENCY_MODE, concurrencyLimit: limit, batchSize: runs[0]?.settings.batchSize ?? null, runs, naiveClient: naive, target: TARGET, pass }, null, 2)}\n`);
    process.stdout.write(
      `netsuite-throughput: ${runs.map((r) => `${r.processes}p ${r.budgetStore} ${r.opsPerSec} ops/s = ${(r.fractionOfTheoretical * 100).toFixed(1)}% of ${r.theoreticalOpsPerSec} (${r.settings.submitted} ops, ${r.settings.recordsCreated} records)`).join('; ')}; ` +
        `at ${callMs} ms per call (${LATENCY_MODE}), concurrency limit ${limit}, batches of ${String(runs[0]?.settings.batchSize)}; ` +
        `operations failed by a limit error ${runs.reduce((n, r) => n + r.operationsFailedByLimitError, 0)}, duplicates ${runs.reduce((n, r) => n + r.duplicateRecords, 0)} — ${pass ? 'PASS' : 'FAIL'} (target ≥ ${TARGET * 100}% every run); ` +
        `naive client (no budget, ${NAIVE_ATTEMPTS} attempts ${NAIVE_PAUSE_MS} ms apart): ${naive.map((n) => `parallelism ${n.parallelism} ${(n.fractionOfTheoretical * 100).toFixed(1)}%, ${n.failed} of ${n.settings.submitted} failed`).join('; ')}\n`,
    );
    return pass ? 0 : 1;
  } finally {
    await running.close();
    await account.close();
    pg.stop();
  }
}
