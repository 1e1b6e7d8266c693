/**
 * Fixed-window attempt counters. `hit(key)` counts one attempt in the current window and says whether the key is
 * now over its limit (and for how long); `forgive(key)` takes one attempt back (e.g. after a success, so only
 * failures accumulate). Counting before deciding keeps concurrent attempts from all slipping under the limit.
 *
 * `createMemoryCounter` keeps the counts in this process (bounded: at most `maxKeys` keys, stale windows dropped
 * first). A store-backed counter with the same interface shares them across processes (see
 * middleware/partner-api/token-limits.ts).
 */

export interface WindowCounter {
  /** Counts one attempt for `key` in the current window; the count after counting it. */
  hit(key: string): Promise<{ count: number; windowEndsAt: number }>;
  /** Takes one attempt for `key` back (never below zero). */
  forgive(key: string): Promise<void>;
}

export interface CounterOptions {
  windowMs: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/** The start of the window `at` falls in (windows are aligned to multiples of `windowMs`). */
export function windowStart(at: number, windowMs: number): number {
  return Math.floor(at / windowMs) * windowMs;
}

/** Whole seconds until the window ends, at least 1 (a Retry-After value). */
export function retryAfterSeconds(windowEndsAt: number, now: number): number {
  return Math.max(1, Math.ceil((windowEndsAt - now) / 1000));
}

export function createMemoryCounter(options: CounterOptions & { maxKeys?: number }): WindowCounter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const counts = new Map<string, { start: number; count: number }>();

  function prune(current: number): void {
    if (counts.size < maxKeys) return;
    for (const [key, entry] of counts) if (entry.start !== current) counts.delete(key);
    // Still full with this window's keys: drop the oldest inserted.
    while (counts.size >= maxKeys) {
      const oldest = counts.keys().next().value;
      if (oldest === undefined) break;
      counts.delete(oldest);
    }
  }

  return {
    async hit(key) {
      const start = windowStart(now(), options.windowMs);
      const entry = counts.get(key);
      if (entry && entry.start === start) {
        entry.count += 1;
        return { count: entry.count, windowEndsAt: start + options.windowMs };
      }
      if (!entry) prune(start);
      counts.set(key, { start, count: 1 });
      return { count: 1, windowEndsAt: start + options.windowMs };
    },
    async forgive(key) {
      const entry = counts.get(key);
      if (entry && entry.count > 0) entry.count -= 1;
    },
  };
}
