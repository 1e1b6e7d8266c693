/**
 * Retry policy of the NetSuite client: which answers are worth sending again, and full-jitter exponential
 * backoff (delay = random(0, min(cap, base × 2^attempt))), which spreads retries of many callers hitting the same
 * account limit instead of synchronising them. Pure.
 *
 * Why not a retry library: p-retry (9) is ESM-only and needs Node 22 (the Node side compiles to CommonJS for Node 20,
 * where an ESM-only package cannot be `require`d without flags in every tool that loads it). exponential-backoff
 * (3.1, CommonJS) computes each delay itself: it cannot honour a server's Retry-After for one attempt, takes no
 * injectable sleep or random source (the client's tests drive both), and wraps a whole call, while the NetSuite
 * client's loops interleave a shared concurrency-budget lease, a re-login that does not count as an attempt, and
 * a look-before-resend for writes whose outcome is unknown. What is shared is this delay function. The connectors'
 * retry loop (connectors/shared/http-client.ts) is the same shape: a few lines around its own backoff function.
 */

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Attempts in all (the first try included). */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 50, capMs: 5_000, maxAttempts: 8 };

/** Full jitter: uniformly random between 0 and the capped exponential step for this retry (attempt ≥ 1). */
export function fullJitterDelay(attempt: number, policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export type RetryDecision =
  /** NetSuite did not run the call (over the account's concurrency limit, throttled, or down): send it again. */
  | { retry: true; reason: 'concurrency_limit' | 'throttled' | 'server_error' }
  | { retry: false };

/** Decides from NetSuite's answer. The RESTlet's own handled errors arrive as 200 and are never retried here. */
export function classifyResponse(status: number, body: string): RetryDecision {
  if (status === 400 && body.includes('SSS_REQUEST_LIMIT_EXCEEDED')) return { retry: true, reason: 'concurrency_limit' };
  if (status === 429) return { retry: true, reason: 'throttled' };
  if (status >= 500) return { retry: true, reason: 'server_error' };
  return { retry: false };
}

/** Retry-After in milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
