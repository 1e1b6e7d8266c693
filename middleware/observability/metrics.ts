/**
 * Prometheus metrics (prom-client) on a registry per app instance, so several apps in one process (tests) do not
 * collide. Names follow Prometheus conventions: `_total` counters, `_seconds` histograms.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  webhookIntake: Counter<'channel_kind' | 'outcome'>;
  webhookIntakeSeconds: Histogram<'channel_kind' | 'outcome'>;
  syncOutcomes: Counter<'outcome'>;
  syncRecordsByState: Gauge<'state'>;
  jobsByState: Gauge<'queue' | 'state'>;
  queueWaitingJobs: Gauge<'queue'>;
  queueOldestWaitingSeconds: Gauge<'queue'>;
  netsuiteCalls: Counter<'operation' | 'outcome'>;
  netsuiteErrors: Counter<'operation' | 'reason'>;
  netsuiteCallSeconds: Histogram<'operation'>;
  httpRequestSeconds: Histogram<'method' | 'route' | 'status'>;
  tokenRateLimited: Counter<'limit'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    webhookIntake: new Counter({
      name: 'ledgerbridge_webhook_intake_total',
      help: 'Webhook deliveries by channel kind and outcome (accepted, duplicate, rejected_<code>).',
      labelNames: ['channel_kind', 'outcome'],
      registers,
    }),
    webhookIntakeSeconds: new Histogram({
      name: 'ledgerbridge_webhook_intake_seconds',
      help: 'Time from request to answer for webhook deliveries (verify, validate, durable store).',
      labelNames: ['channel_kind', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    syncOutcomes: new Counter({
      name: 'ledgerbridge_sync_attempts_total',
      help: 'Sync attempts by outcome (posted, skipped, parked, failed, retry; not_queued: a job whose record was no longer queued; dead_letter_failed, dead_letter_ignored).',
      labelNames: ['outcome'],
      registers,
    }),
    syncRecordsByState: new Gauge({
      name: 'ledgerbridge_sync_records',
      help: 'Sync records by state (sampled when /metrics is scraped).',
      labelNames: ['state'],
      registers,
    }),
    jobsByState: new Gauge({
      name: 'ledgerbridge_jobs',
      help: 'Jobs by queue and state (sampled when /metrics is scraped).',
      labelNames: ['queue', 'state'],
      registers,
    }),
    queueWaitingJobs: new Gauge({
      name: 'ledgerbridge_queue_waiting_jobs',
      help: 'Jobs due and waiting for a worker, by queue (backpressure: how far processing is behind intake; sampled when /metrics is scraped).',
      labelNames: ['queue'],
      registers,
    }),
    queueOldestWaitingSeconds: new Gauge({
      name: 'ledgerbridge_queue_oldest_waiting_seconds',
      help: 'Seconds the oldest waiting job of the queue has been due (0 when none waits; sampled when /metrics is scraped).',
      labelNames: ['queue'],
      registers,
    }),
    netsuiteCalls: new Counter({
      name: 'ledgerbridge_netsuite_calls_total',
      help: 'Calls to NetSuite (one per HTTP attempt) by operation and outcome: ok, retry, unknown (answer lost), failed.',
      labelNames: ['operation', 'outcome'],
      registers,
    }),
    netsuiteErrors: new Counter({
      name: 'ledgerbridge_netsuite_errors_total',
      help: 'NetSuite calls that did not answer ok, by operation and reason (HTTP status and NetSuite error code, or network error code).',
      labelNames: ['operation', 'reason'],
      registers,
    }),
    netsuiteCallSeconds: new Histogram({
      name: 'ledgerbridge_netsuite_call_seconds',
      help: 'Latency of calls to NetSuite.',
      labelNames: ['operation'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    tokenRateLimited: new Counter({
      name: 'ledgerbridge_oauth_token_rate_limited_total',
      help: 'POST /oauth/token answers 429 by the limit that was reached (client_id, address).',
      labelNames: ['limit'],
      registers,
    }),
    httpRequestSeconds: new Histogram({
      name: 'ledgerbridge_http_request_seconds',
      help: 'HTTP request latency by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}
