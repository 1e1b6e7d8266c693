// The account-wide concurrency budget's SQL on a real store (PGlite; the throughput benchmark runs it on
// PostgreSQL across processes).
import { acquireSlot, heldSlots, releaseSlot } from '../../../middleware/netsuite/budget-sql';
import { createConcurrencyBudget } from '../../../middleware/netsuite/budget';
import { budgetFor } from '../../../middleware/netsuite/connection';
import { migrate } from '../../../middleware/store/migrate';
import { openDb, type StoreHandle } from '../../../middleware/store/open-db';

let db: StoreHandle;
beforeAll(async () => {
  db = await openDb({ kind: 'pglite', dataDir: 'memory://' });
  await migrate(db);
}, 30_000);
afterAll(async () => {
  await db.close();
});

describe('concurrency budget in the store', () => {
  it('never hands out more slots than the limit, across budget instances (processes)', async () => {
    const a = createConcurrencyBudget({ db, accountKey: 'ACCT1', limit: 3, pollMs: 5 });
    const b = createConcurrencyBudget({ db, accountKey: 'ACCT1', limit: 3, pollMs: 5 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const lease = await (i % 2 ? a : b).acquire();
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 15));
        inFlight -= 1;
        await lease.release();
      }),
    );
    expect(peak).toBe(3);
    expect(await heldSlots(db, 'ACCT1')).toBe(0);
  });

  it('reclaims a slot whose holder died once its lease expires, and ignores a stale release', async () => {
    expect(await acquireSlot(db, 'ACCT1', 1, 'crashed-process', 30)).toBe(0);
    expect(await acquireSlot(db, 'ACCT1', 1, 'other', 60_000)).toBeNull();
    await new Promise((r) => setTimeout(r, 60));
    expect(await acquireSlot(db, 'ACCT1', 1, 'other', 60_000)).toBe(0);
    // The crashed holder coming back must not free the slot someone else now holds.
    expect(await releaseSlot(db, 'ACCT1', 0, 'crashed-process')).toBe(false);
    expect(await heldSlots(db, 'ACCT1')).toBe(1);
    expect(await releaseSlot(db, 'ACCT1', 0, 'other')).toBe(true);
  });

  it('keeps accounts apart', async () => {
    const x = createConcurrencyBudget({ db, accountKey: 'X', limit: 1 });
    const y = createConcurrencyBudget({ db, accountKey: 'Y', limit: 1 });
    const lx = await x.acquire();
    const ly = await y.acquire();
    expect([lx.slot, ly.slot]).toEqual([0, 0]);
    await Promise.all([lx.release(), ly.release()]);
  });

  it('gives up after waitMs', async () => {
    const budget = createConcurrencyBudget({ db, accountKey: 'Z', limit: 1, waitMs: 50, pollMs: 5 });
    const held = await budget.acquire();
    await expect(budget.acquire()).rejects.toMatchObject({ name: 'BudgetTimeoutError' });
    await held.release();
  });
});

describe('slot leases with a heartbeat', () => {
  it('a live holder keeps its slot past the lease (it renews it); a process that stops renewing loses it within one lease', async () => {
    const mine = createConcurrencyBudget({ db, accountKey: 'HB', limit: 1, leaseMs: 150, pollMs: 5 });
    const other = createConcurrencyBudget({ db, accountKey: 'HB', limit: 1, leaseMs: 150, pollMs: 5, waitMs: 100 });
    const held = await mine.acquire();
    await new Promise((r) => setTimeout(r, 500)); // more than three leases
    await expect(other.acquire()).rejects.toMatchObject({ name: 'BudgetTimeoutError' });
    await held.release();
    const next = await other.acquire();
    await next.release();
    // A holder that dies mid-call (no release, no renewal): taken raw here, as a killed process would leave it.
    expect(await acquireSlot(db, 'HB', 1, 'killed-process', 150)).toBe(0);
    const started = Date.now();
    const after = await createConcurrencyBudget({ db, accountKey: 'HB', limit: 1, leaseMs: 150, pollMs: 5, waitMs: 5_000 }).acquire();
    expect(Date.now() - started).toBeLessThan(1_000);
    await after.release();
  });
});

describe('slots handed on inside a process', () => {
  it('a busy process passes its slots from caller to caller, and gives them back to the store within handoffMs', async () => {
    const busy = createConcurrencyBudget({ db, accountKey: 'HAND', limit: 2, pollMs: 5, handoffMs: 150 });
    const other = createConcurrencyBudget({ db, accountKey: 'HAND', limit: 2, pollMs: 5 });
    let inFlight = 0;
    let peak = 0;
    let stop = false;
    // 8 callers in the busy process, each taking a slot for 10 ms again and again: it always has someone waiting.
    const loops = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const lease = await busy.acquire();
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight -= 1;
        await lease.release();
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const turn = await other.acquire();
    const waited = Date.now() - started;
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 10));
    inFlight -= 1;
    await turn.release();
    stop = true;
    await Promise.all(loops);
    expect(waited).toBeLessThan(1_000);
    expect(peak).toBeLessThanOrEqual(2);
    expect(await heldSlots(db, 'HAND')).toBe(0);
  });
});

describe('the budget each store gets (budgetFor)', () => {
  it('the embedded store: one in-memory budget per account, shared by every connection, with no row in the store', async () => {
    const a = budgetFor(db, 'MEM1', 2, 60_000);
    const b = budgetFor(db, 'MEM1', 2, 60_000);
    expect(b).toBe(a);
    expect(budgetFor(db, 'MEM2', 2, 60_000)).not.toBe(a);
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const lease = await (i % 2 ? a : b).acquire();
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight -= 1;
        await lease.release();
      }),
    );
    expect(peak).toBe(2);
    const rows = await db.query<{ n: number }>(`select count(*)::int as n from lb_netsuite_slots where account_key like 'MEM%'`);
    expect(rows.rows[0]?.n).toBe(0);
  });

  it('another store of the same process gets budgets of its own', async () => {
    const other = await openDb({ kind: 'pglite', dataDir: 'memory://' });
    try {
      expect(budgetFor(other, 'MEM1', 2, 60_000)).not.toBe(budgetFor(db, 'MEM1', 2, 60_000));
    } finally {
      await other.close();
    }
  });
});
