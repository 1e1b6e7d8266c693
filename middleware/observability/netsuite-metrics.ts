/**
 * Turns the NetSuite client's attempt events into Prometheus metrics: calls by operation and outcome, errors by
 * reason, and latency. Pass the result as `onAttempt` when building a NetSuite client
 * (`createNetSuiteConnection(settings, { onAttempt: observeNetSuiteAttempts(metrics) })`).
 */
import type { AttemptEvent } from '../netsuite/client';
import type { Metrics } from './metrics';

/** Keeps label values few and safe: "503 UNEXPECTED_ERROR", "ECONNRESET", "auth"; anything odd is cut down. */
export function errorReason(event: Pick<AttemptEvent, 'status' | 'reason'>): string {
  const raw = event.reason ?? (event.status === null ? 'network' : String(event.status));
  const cleaned = raw.replace(/[^A-Za-z0-9_ .-]/g, '').trim().slice(0, 64);
  return cleaned || 'unknown';
}

export function observeNetSuiteAttempts(metrics: Metrics): (event: AttemptEvent) => void {
  return (event) => {
    const operation = event.action;
    metrics.netsuiteCalls.inc({ operation, outcome: event.outcome });
    metrics.netsuiteCallSeconds.observe({ operation }, event.ms / 1000);
    if (event.outcome !== 'ok') metrics.netsuiteErrors.inc({ operation, reason: errorReason(event) });
  };
}
