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
  /** Poll interval while every slot is held by other processes (releases in this process hand slots on at once). */
  pollMs?: number;
  /** How long a slot may pass from caller to caller in this process before it goes back to the store (fairness). */
  handoffMs?: number;
  waitMs?: number;
}


export function createConcurrencyBudget(options: BudgetOptions): ConcurrencyBudget {
  const { db, accountKey, limit } = options;
  const leaseMs = options.leaseMs ?? 15_000;
  const pollMs = options.pollMs ?? 10;
  const waitMs = options.waitMs ?? 10 * 60_000;
  const handoffMs = options.handoffMs ?? 5_000;
  let ready: Promise<void> | null = null;
  // This process holds its slots under one holder id: a slot can pass from one of its callers to the next without
  // a query, and the heartbeat renews it meanwhile.
  const holder = randomUUID();
  /** Callers in this process waiting for a slot: a release hands its slot to the first at once. */
  const waiters: Array<(slot: number) => void> = [];
  /** Slots this process holds: the heartbeat renewing each, and since when it has been passed on without the store. */
  const held = new Map<number, { heartbeat: NodeJS.Timeout; since: number }>();
  /** After giving a slot back for fairness, this process takes none from the store before this time. */
  let yieldUntil = 0;

  function hold(slot: number): Lease {
    if (!held.has(slot)) {
      // Heartbeat: the lease outlives the call however long it runs, and no longer than a lease after a crash.
      const heartbeat = setInterval(() => {
        void renewSlot(db, accountKey, slot, holder, leaseMs).catch(() => undefined);
      }, Math.max(1, Math.floor(leaseMs / 3)));
      heartbeat.unref();
      held.set(slot, { heartbeat, since: Date.now() });
    }
    let released = false;
    return {
      slot,
      async release() {
        if (released) return;
        released = true;
        const entry = held.get(slot);
        // Handed on while this process has work waiting, for at most handoffMs: then the slot goes back to the
        // store and this process leaves the store alone for a moment, so another process waiting for the
        // account's slots gets its turn.
        if (waiters.length > 0 && entry && Date.now() - entry.since < handoffMs) {
          (waiters.shift() as (slot: number) => void)(slot);
          return;
        }
        if (entry) clearInterval(entry.heartbeat);
        held.delete(slot);
        if (entry && waiters.length > 0) yieldUntil = Date.now() + 2 * pollMs;
        await releaseSlot(db, accountKey, slot, holder);
      },
    };
  }

  /** Waits up to `ms` for a slot a caller of this process hands on: its number, or -1 (try the store again). */
  function waitForHandoff(ms: number): Promise<number> {
    return new Promise((resolve) => {
      const take = (slot: number) => {
        clearTimeout(timer);
        resolve(slot);
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(take);
        if (i !== -1) waiters.splice(i, 1);
        resolve(-1);
      }, ms);
      waiters.push(take);
    });
  }

  return {
    async acquire() {
      ready ??= ensureSlots(db, accountKey, limit).catch((e) => {
        ready = null;
        throw e;
      });
      await ready;
      const deadline = Date.now() + waitMs;
      for (;;) {
        if (Date.now() >= yieldUntil) {
          const slot = await acquireSlot(db, accountKey, limit, holder, leaseMs);
          if (slot !== null) return hold(slot);
        }
        if (Date.now() >= deadline) throw new BudgetTimeoutError(accountKey, waitMs);
        // Jitter keeps processes polling together from colliding on the same instants.
        const handed = await waitForHandoff(pollMs / 2 + Math.random() * pollMs);
        if (handed >= 0) return hold(handed);
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
