#!/usr/bin/env node
// Webhook intake benchmark: signed Shopify refund webhooks (verify the HMAC on the raw body, validate, store event +
// sync record + job durably, answer 202) on PGlite and on a throwaway PostgreSQL cluster, beside a bare Express 5
// handler, in one run. The load comes from ANOTHER process (bench/intake/load.js, autocannon), so the server under
// test has its process to itself. Needs `npm run build` first.
//   node bench/intake/run.js [--duration=8] [--connections=8] [--padding=200] [--burst=5000] [--burst-in-flight=50]
//                            [--sender-timeout-ms=5000] [--drain-seconds=60]
// For each target: a warm-up, then `duration` seconds at `connections`; each intake again at half its own measured
// rate (p99 at that rate). Then the burst on PGlite with the sync workers on: `burst` refund webhooks at
// `burst-in-flight` from the other process with a sender timeout, while the workers process, and how long the
// queue then takes to drain (gauges read from /metrics). Prints one JSON object, then summary lines.
'use strict';
const path = require('node:path');
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { startPostgres } = require('../common/postgres');

const root = path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist', 'middleware');

function arg(name, fallback) {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!hit) return fallback;
  const n = Number(hit.slice(name.length + 3));
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`--${name} must be a non-negative number`);
  return n;
}

const DURATION = arg('duration', 8);
const CONNECTIONS = arg('connections', 8);
const PADDING = arg('padding', 200);
const WARMUP = arg('warmup', 2);
const BURST = arg('burst', 5000);
const BURST_IN_FLIGHT = arg('burst-in-flight', 50);
const SENDER_TIMEOUT_MS = arg('sender-timeout-ms', 5000);
const DRAIN_SECONDS = arg('drain-seconds', 60);

let prefixSeq = 0;
/** Runs one autocannon job in a child process and returns what it measured. */
function load(target, job) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load.js'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let answer;
    child.once('message', (m) => (answer = m));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (answer?.error) reject(new Error(answer.error));
      else if (!answer) reject(new Error(`load generator exited with ${code} and no result`));
      else resolve(answer);
    });
    child.send({
      url: target.url,
      secret: target.secret,
      prefix: `${target.name}-${prefixSeq++}-${randomBytes(3).toString('hex')}`,
      padding: 'x'.repeat(PADDING),
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      timeoutSeconds: 10,
      ...job,
    });
  });
}

const round = (x, d = 1) => Number(Number(x).toFixed(d));

async function measure(target) {
  await load(target, { durationSeconds: WARMUP });
  const full = await load(target, {});
  const out = {
    name: target.name,
    store: target.store,
    connections: full.connections,
    durationSeconds: full.durationSeconds,
    bodyBytes: full.bodyBytes,
    requests: full.requests,
    non2xx: full.non2xx,
    errors: full.errors,
    requestsPerSecond: round(full.ok2xx / full.durationSeconds),
    p50Ms: full.latencyMs.p50,
    p99Ms: full.latencyMs.p99,
  };
  if (target.store) {
    const rate = Math.max(1, Math.floor(out.requestsPerSecond / 2));
    const half = await load(target, { overallRate: rate });
    out.halfRate = {
      targetRate: half.overallRate,
      requestsPerSecond: round(half.ok2xx / half.durationSeconds),
      p50Ms: half.latencyMs.p50,
      p99Ms: half.latencyMs.p99,
      non2xx: half.non2xx,
      errors: half.errors,
    };
  }
  if (target.stored) out.storedEvents = await target.stored();
  return out;
}

async function bareExpress() {
  const express = require('express');
  const app = express();
  app.post('/webhooks/:kind/:id', express.raw({ type: () => true, limit: 1024 * 1024 }), (req, res) => {
    res.status(202).json({ received: true });
  });
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const target = { name: 'bare-express', url: `http://127.0.0.1:${server.address().port}/webhooks/shopify/x`, secret: 'bare' };
  try {
    return await measure(target);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

async function startIntake(database, workers) {
  const { loadConfig } = require(path.join(dist, 'config'));
  const { startMiddleware } = require(path.join(dist, 'runtime', 'server'));
  const { ensureTenant } = require(path.join(dist, 'store', 'sql', 'tenants'));
  const { createChannel } = require(path.join(dist, 'tenancy', 'tenancy-service'));
  const config = loadConfig({
    mode: 'production',
    env: {},
    overrides: {
      masterKey: randomBytes(32).toString('base64'),
      database,
      logLevel: 'silent',
      http: { host: '127.0.0.1', port: 0 },
      jobs: { workers },
    },
  });
  const mw = await startMiddleware(config);
  const secret = randomBytes(24).toString('hex');
  await ensureTenant(mw.db, { id: 'bench', name: 'bench' });
  const channel = await createChannel(mw.db, mw.secretBox, 'bench', { kind: 'shopify', name: 'bench', settings: { shopDomain: 'bench.myshopify.com' }, secrets: { webhookSecret: secret } });
  if (!channel.ok) throw new Error(channel.error.message);
  return { mw, config, secret, url: `${mw.url}/webhooks/shopify/${channel.value.id}` };
}

async function intake(name, database) {
  // Intake only: no workers competing for the store while the intake is measured.
  const { mw, config, secret, url } = await startIntake(database, false);
  try {
    return await measure({
      name,
      store: config.database.kind,
      url,
      secret,
      stored: async () => Number((await mw.db.query('select count(*)::int as n from lb_webhook_events')).rows[0].n),
    });
  } finally {
    await mw.close();
  }
}

function gauge(text, name, queue) {
  const m = new RegExp(`^${name}\\{queue="${queue}"\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/** The burst: BURST refunds at BURST_IN_FLIGHT with a sender timeout while the workers process (PGlite). */
async function burst() {
  const { mw, config, secret, url } = await startIntake({ kind: 'pglite', dataDir: 'memory://' }, true);
  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const started = Date.now();
      try {
        const text = await (await fetch(`${mw.url}/metrics`)).text();
        samples.push({ atMs: started, waiting: gauge(text, 'ledgerbridge_queue_waiting_jobs', 'sync-record'), oldestSeconds: gauge(text, 'ledgerbridge_queue_oldest_waiting_seconds', 'sync-record') });
      } catch {
        // a missed sample
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  try {
    const started = Date.now();
    const sent = await load(
      { name: 'burst', url, secret },
      { amount: BURST, connections: BURST_IN_FLIGHT, timeoutSeconds: SENDER_TIMEOUT_MS / 1000 },
    );
    const sentMs = Date.now() - started;
    let drainedMs = null;
    const deadline = Date.now() + DRAIN_SECONDS * 1000;
    while (Date.now() < deadline) {
      const open = Number((await mw.db.query(`select count(*)::int as n from lb_sync_records where state in ('received', 'queued', 'posting')`)).rows[0].n);
      if (open === 0) {
        drainedMs = Date.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    sampling = false;
    await sampler;
    const states = Object.fromEntries(
      (await mw.db.query('select state, count(*)::int as n from lb_sync_records group by 1 order by 1')).rows.map((r) => [r.state, Number(r.n)]),
    );
    const events = Number((await mw.db.query('select count(*)::int as n from lb_webhook_events')).rows[0].n);
    return {
      store: config.database.kind,
      workers: config.jobs.workers,
      workerSlots: config.jobs.batchSize,
      refunds: BURST,
      inFlight: sent.connections,
      senderTimeoutMs: sent.timeoutSeconds * 1000,
      answered2xx: sent.ok2xx,
      non2xx: sent.non2xx,
      senderTimeouts: sent.timeouts,
      errors: sent.errors,
      answerMs: sent.latencyMs,
      sendSeconds: round(sentMs / 1000, 2),
      storedEvents: events,
      drainedSeconds: drainedMs === null ? null : round(drainedMs / 1000, 2),
      recordStates: states,
      queue: {
        samples: samples.length,
        maxWaitingJobs: samples.reduce((m, s) => Math.max(m, Number.isFinite(s.waiting) ? s.waiting : 0), 0),
        maxOldestWaitingSeconds: round(samples.reduce((m, s) => Math.max(m, Number.isFinite(s.oldestSeconds) ? s.oldestSeconds : 0), 0), 2),
      },
    };
  } finally {
    sampling = false;
    await sampler;
    await mw.close();
  }
}

async function main() {
  const results = [];
  results.push(await bareExpress());
  results.push(await intake('intake-pglite', { kind: 'pglite', dataDir: 'memory://' }));
  const pg = await startPostgres();
  try {
    results.push(await intake('intake-postgres', { kind: 'postgres', url: pg.createDatabase('bench_intake'), poolSize: 10 }));
  } finally {
    pg.stop();
  }
  const bare = results[0].requestsPerSecond;
  for (const r of results.slice(1)) r.ratioToBare = round(r.requestsPerSecond / bare, 3);
  const burstResult = BURST > 0 ? await burst() : null;
  const out = {
    benchmark: 'webhook-intake',
    loadGenerator: 'autocannon in a separate process',
    node: process.version,
    cpus: require('node:os').cpus().length,
    settings: { connections: results[0].connections, durationSeconds: results[0].durationSeconds, warmupSeconds: WARMUP, bodyBytes: results[0].bodyBytes },
    results,
    burst: burstResult,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  for (const r of results) {
    const half = r.halfRate ? `; at ${r.halfRate.targetRate} req/s p99 ${r.halfRate.p99Ms} ms` : '';
    const ratio = r.ratioToBare !== undefined ? ` = ${(r.ratioToBare * 100).toFixed(1)}% of bare` : '';
    const bad = r.non2xx || r.errors ? ` (${r.non2xx} non-2xx, ${r.errors} errors)` : '';
    process.stdout.write(`intake: ${r.name} ${r.requestsPerSecond} req/s${ratio}, p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms at ${r.connections} connections, ${r.bodyBytes} B bodies${half}${bad}\n`);
  }
  if (burstResult) {
    const b = burstResult;
    process.stdout.write(
      `intake burst (${b.store}, workers on): ${b.refunds} refunds at ${b.inFlight} in flight, sender timeout ${b.senderTimeoutMs} ms: ${b.senderTimeouts} timeouts, ${b.non2xx} non-2xx, answer p99 ${b.answerMs.p99} ms; sent in ${b.sendSeconds} s, queue peak ${b.queue.maxWaitingJobs} waiting (oldest ${b.queue.maxOldestWaitingSeconds} s), drained in ${b.drainedSeconds ?? `>${DRAIN_SECONDS}`} s\n`,
    );
  }
  const failed = results.some((r) => r.non2xx > 0 || r.errors > 0) || (burstResult && (burstResult.senderTimeouts > 0 || burstResult.non2xx > 0));
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
