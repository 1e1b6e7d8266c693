/**
 * The account-wide concurrency budget shared by every middleware process (held in the store): a request to
 * NetSuite first takes a slot, and gives it back when its answer arrives. So the processes together never send
 * more than the account's limit at once, and NetSuite's SSS_REQUEST_LIMIT_EXCEEDED stays the exception (another
 * integration using the account), not the way the limit is discovered.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db';
import { acquireSlot, ensureSlots, releaseSlot, renewSlot } from './budget-sql';

export interface Lease {
  slot: number;
  release(): Promise<void>;
}

export interface ConcurrencyBudget {
  /** Waits for a slot (up to waitMs, then throws BudgetTimeoutError). */
  acquire(): Promise<Lease>;
}

export class BudgetTimeoutError extends Error {
  constructor(accountKey: string, waitMs: number) {
    super(`No NetSuite concurrency slot for account ${accountKey} within ${waitMs} ms.`);
    this.name = 'BudgetTimeoutError';
  }
}

export interface BudgetOptions {
  db: Db;
  /** The NetSuite account id: connections to one account share its slots. */
  accountKey: string;
  /** The account's concurrency limit (configuration; reference 1.4: 5 on standard tiers). */
  limit: number;
  /**
   * How long a slot stays held if its holder stops renewing it (its process died). A holder renews its lease every
   * third of it while the call runs, so a call may take longer than the lease; a killed process's slots come
   * back within one lease.
   */
  leaseMs?: number;
  /** Poll interval while every slot is held by other processes (releases in this process wake waiters at once). */
  pollMs?: number;
  waitMs?: number;
}


export function createConcurrencyBudget(options: BudgetOptions): ConcurrencyBudget {
  const { db, accountKey, limit } = options;
  const leaseMs = options.leaseMs ?? 15_000;
  const pollMs = options.pollMs ?? 10;
  const waitMs = options.waitMs ?? 10 * 60_000;
  let ready: Promise<void> | null = null;
  // Callers in this process waiting for a slot; a local release wakes the first at once.
  const waiters: Array<() => void> = [];

  function wakeOne(): void {
    waiters.shift()?.();
  }

  function nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(wake);
        if (i !== -1) waiters.splice(i, 1);
        resolve();
      }, ms);
      waiters.push(wake);
    });
  }

  return {
    async acquire() {
      ready ??= ensureSlots(db, accountKey, limit).catch((e) => {
        ready = null;
        throw e;
      });
      await ready;
      const holder = randomUUID();
      const deadline = Date.now() + waitMs;
      for (;;) {
        const slot = await acquireSlot(db, accountKey, limit, holder, leaseMs);
        if (slot !== null) {
          let released = false;
          // Heartbeat: the lease outlives the call however long it runs, and no longer than a lease after a crash.
          const heartbeat = setInterval(() => {
            void renewSlot(db, accountKey, slot, holder, leaseMs).catch(() => undefined);
          }, Math.max(1, Math.floor(leaseMs / 3)));
          heartbeat.unref();
          return {
            slot,
            async release() {
              if (released) return;
              released = true;
              clearInterval(heartbeat);
              try {
                await releaseSlot(db, accountKey, slot, holder);
              } finally {
                wakeOne();
              }
            },
          };
        }
        if (Date.now() >= deadline) throw new BudgetTimeoutError(accountKey, waitMs);
        // Jitter keeps processes polling together from colliding on the same instants.
        await nap(pollMs / 2 + Math.random() * pollMs);
      }
    },
  };
}


/** A budget for one process without a store (the `netsuite check` command): a counting semaphore. */
export function createLocalBudget(limit: number): ConcurrencyBudget {
  let held = 0;
  const waiters: Array<() => void> = [];
  return {
    async acquire() {
      while (held >= limit) await new Promise<void>((resolve) => waiters.push(resolve));
      held += 1;
      let released = false;
      return {
        slot: held - 1,
        async release() {
          if (released) return;
          released = true;
          held -= 1;
          waiters.shift()?.();
        },
      };
    },
  };
}
