/**
 * /metrics contents over real HTTP: NetSuite calls, errors and latency recorded from a real NetSuite client talking
 * to a small loopback server that answers as NetSuite does (a 503 it retries, a 200, a refused 400), jobs by queue
 * and state, sync records by state, webhook intake and HTTP latency.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestMiddleware, waitFor } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { createNetSuiteConnection } from '../../../middleware/netsuite/connection';
import { errorReason, observeNetSuiteAttempts } from '../../../middleware/observability/netsuite-metrics';

let mw: RunningMiddleware;
let netsuite: http.Server;
let netsuiteUrl: string;
/** What the fake account answers next, in order; then 200. */
const answers: Array<{ status: number; body: string }> = [];

beforeAll(async () => {
  ({ mw } = await startTestMiddleware({ logLevel: 'warn', jobs: { superviseIntervalSeconds: 1 } }));
  netsuite = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const next = answers.shift() ?? { status: 200, body: JSON.stringify({ ok: true, action: 'health', bundleVersion: '1.0.0' }) };
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body);
    });
  });
  await new Promise<void>((resolve) => netsuite.listen(0, '127.0.0.1', resolve));
  netsuiteUrl = `http://127.0.0.1:${(netsuite.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  await mw?.close();
  await new Promise((resolve) => netsuite?.close(resolve));
});

async function scrape(): Promise<string> {
  const res = await fetch(`${mw.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

function client() {
  return createNetSuiteConnection(
    {
      accountId: 'TSTDRV0000001',
      restletBaseUrl: netsuiteUrl,
      credentials: { kind: 'tba', tba: { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'tk', tokenSecret: 'ts' } },
      backoff: { baseMs: 1, capMs: 5, maxAttempts: 3 },
      timeoutMs: 5_000,
    },
    { onAttempt: observeNetSuiteAttempts(mw.metrics) },
  ).client;
}

describe('/metrics', () => {
  it('counts NetSuite calls by operation and outcome, errors by reason, and their latency', async () => {
    const ns = client();
    answers.push({ status: 503, body: JSON.stringify({ error: { code: 'UNEXPECTED_ERROR', message: 'try later' } }) });
    await expect(ns.health()).resolves.toMatchObject({ action: 'health' });
    answers.push({ status: 400, body: JSON.stringify({ error: { code: 'SSS_INVALID_SCRIPTLET_ID', message: 'no such script' } }) });
    await expect(ns.health()).rejects.toThrow(/SSS_INVALID_SCRIPTLET_ID/);

    const text = await scrape();
    expect(text).toContain('ledgerbridge_netsuite_calls_total{operation="health",outcome="retry"} 1');
    expect(text).toContain('ledgerbridge_netsuite_calls_total{operation="health",outcome="ok"} 1');
    expect(text).toContain('ledgerbridge_netsuite_calls_total{operation="health",outcome="failed"} 1');
    expect(text).toContain('ledgerbridge_netsuite_errors_total{operation="health",reason="503 UNEXPECTED_ERROR"} 1');
    expect(text).toContain('ledgerbridge_netsuite_errors_total{operation="health",reason="400 SSS_INVALID_SCRIPTLET_ID"} 1');
    expect(text).toContain('ledgerbridge_netsuite_call_seconds_count{operation="health"} 3');
    expect(text).toMatch(/ledgerbridge_netsuite_call_seconds_bucket\{le="0.05",operation="health"\} [0-3]/);
  });

  it('shows jobs by queue and state, sync records by state, HTTP latency and the process metrics', async () => {
    const text = await waitFor(async () => {
      const t = await scrape();
      return /ledgerbridge_jobs\{queue="sync-record",state="queued"\} \d+/.test(t) ? t : undefined;
    }, 10_000, 'job gauges');
    for (const state of ['queued', 'active', 'deferred', 'failed', 'total']) {
      expect(text).toMatch(new RegExp(`ledgerbridge_jobs\\{queue="sync-record",state="${state}"\\} \\d+`));
      expect(text).toMatch(new RegExp(`ledgerbridge_jobs\\{queue="sync-record-dead",state="${state}"\\} \\d+`));
    }
    for (const state of ['received', 'queued', 'posting', 'posted', 'parked', 'failed', 'cancelled']) {
      expect(text).toMatch(new RegExp(`ledgerbridge_sync_records\\{state="${state}"\\} \\d+`));
    }
    expect(text).toMatch(/ledgerbridge_http_request_seconds_count\{method="GET",route="\/metrics",status="200"\} [1-9]/);
    expect(text).toMatch(/process_cpu_seconds_total \d/);
  });

  it('keeps NetSuite error labels few and safe', () => {
    expect(errorReason({ status: 503, reason: '503 UNEXPECTED_ERROR' })).toBe('503 UNEXPECTED_ERROR');
    expect(errorReason({ status: null, reason: 'ECONNRESET' })).toBe('ECONNRESET');
    expect(errorReason({ status: null })).toBe('network');
    expect(errorReason({ status: 418 })).toBe('418');
    expect(errorReason({ status: 400, reason: `400 ${'"}{\n'.repeat(10)}${'X'.repeat(100)}` })).toMatch(/^400 X{60}$/);
  });
});
