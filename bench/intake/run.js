#!/usr/bin/env node
// Webhook intake benchmark: throughput and p50/p99 latency of POST /webhooks/shopify/:id (verify HMAC on the raw
// body, validate, store event + sync record + job in one transaction, answer 202) on PGlite and on a throwaway
// PostgreSQL 15 cluster, beside a bare Express handler measured in the same run. Needs `npm run build` first.
// Bounded: REQUESTS per target (default 400) at CONCURRENCY (default 8), and a 60 s cap per target.
// Prints one JSON object, then a one-line summary.
'use strict';
const path = require('node:path');
const http = require('node:http');
const { createHmac, randomBytes } = require('node:crypto');
const { startPostgres } = require('./postgres');

const root = path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist', 'middleware');
const REQUESTS = Number(process.argv[2] ?? 400);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const CAP_MS = 60_000;

function request(url, headers, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name, makeRequest) {
  for (let i = 0; i < 20; i++) await makeRequest(-1 - i); // warm-up
  const latencies = [];
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + CAP_MS;
  async function worker() {
    while (next < REQUESTS && Date.now() < deadline) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      const status = await makeRequest(i);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (status < 200 || status >= 300) failures++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    failures,
    seconds: Number(seconds.toFixed(3)),
    requestsPerSecond: Number((latencies.length / seconds).toFixed(1)),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
  };
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
  const url = `http://127.0.0.1:${server.address().port}/webhooks/shopify/x`;
  const body = '{"id":1}';
  const result = await measure('bare-express', () => request(url, { 'content-type': 'application/json' }, body));
  await new Promise((resolve) => server.close(resolve));
  return result;
}

async function intake(name, database) {
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
      // Intake only: no workers competing for the store while we measure.
      jobs: { workers: false },
    },
  });
  const mw = await startMiddleware(config);
  const secret = randomBytes(24).toString('hex');
  await ensureTenant(mw.db, { id: 'bench', name: 'bench' });
  const channel = await createChannel(mw.db, mw.secretBox, 'bench', { kind: 'shopify', name: 'bench', settings: { shopDomain: 'bench.myshopify.com' }, secrets: { webhookSecret: secret } });
  const url = `${mw.url}/webhooks/shopify/${channel.value.id}`;
  const result = await measure(name, (i) => {
    const body = `{"id":${9007199254740993n + BigInt(i + 100)},"order_id":"450789469","amount":"10.00"}`;
    return request(url, {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
      'x-shopify-topic': 'refunds/create',
      'x-shopify-event-id': `bench-${i}`,
    }, body);
  });
  await mw.close();
  return result;
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
  agent.destroy();
  const out = { benchmark: 'webhook-intake', requestsPerTarget: REQUESTS, concurrency: CONCURRENCY, node: process.version, results };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  const line = results.map((r) => `${r.name} ${r.requestsPerSecond} req/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms${r.failures ? ` (${r.failures} failed)` : ''}`).join(' | ');
  process.stdout.write(`intake: ${line}\n`);
  if (results.some((r) => r.failures > 0)) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
