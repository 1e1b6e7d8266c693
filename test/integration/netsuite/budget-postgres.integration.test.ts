// The account-wide NetSuite concurrency budget on a REAL PostgreSQL 15 server, shared by two middleware processes
// (each with its own connection pool, as two processes would have): the slots are rows in the store, taken with
// FOR UPDATE SKIP LOCKED, so the two together never exceed the account's limit — checked both on the budget alone
// and end to end against the local account's HTTP host, which refuses any call over its limit.
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type NetSuiteHost, type RunningNetSuiteHost } from '../../../emulator/http';
import { acquireSlot, ensureSlots, heldSlots } from '../../../middleware/netsuite/budget-sql';
import { createConcurrencyBudget } from '../../../middleware/netsuite/budget';
import { createNetSuiteConnection, type NetSuiteConnectionSettings } from '../../../middleware/netsuite/connection';
import { migrate } from '../../../middleware/store/migrate';
import { openDb, type StoreHandle } from '../../../middleware/store/open-db';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { seededAccount, type Seeded } from '../bundle/local-account';

const ACCOUNT = '5550001';
let pg: TestPostgres;
/** Two pools on one database: the store of two middleware processes. */
let processA: StoreHandle;
let processB: StoreHandle;
/** A third pool that only watches the slot table. */
let observer: StoreHandle;

beforeAll(async () => {
  pg = await startPostgres();
  const url = pg.createDatabase('netsuite_budget');
  processA = await openDb({ kind: 'postgres', url, poolSize: 4 });
  processB = await openDb({ kind: 'postgres', url, poolSize: 4 });
  observer = await openDb({ kind: 'postgres', url, poolSize: 1 });
  // Both processes migrate at start, as they would; migrations serialise on an advisory lock.
  await Promise.all([migrate(processA), migrate(processB)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([processA?.close(), processB?.close(), observer?.close()]);
  pg?.stop();
});

describe('concurrency budget on PostgreSQL across two pools', () => {
  it('two processes together never hold more slots than the limit, and do use all of them', async () => {
    const limit = 4;
    const a = createConcurrencyBudget({ db: processA, accountKey: 'PG1', limit, pollMs: 4 });
    const b = createConcurrencyBudget({ db: processB, accountKey: 'PG1', limit, pollMs: 4 });
    let inFlight = 0;
    let peak = 0;
    let peakInStore = 0;
    const watching = { on: true };
    // Watches the table itself from a third connection while the two processes compete.
    const watcher = (async () => {
      while (watching.on) {
        peakInStore = Math.max(peakInStore, await heldSlots(observer, 'PG1'));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const slotsSeen = new Set<number>();
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const lease = await (i % 2 ? a : b).acquire();
        slotsSeen.add(lease.slot);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight -= 1;
        await lease.release();
      }),
    );
    watching.on = false;
    await watcher;
    expect(peak).toBe(limit);
    expect(peakInStore).toBeLessThanOrEqual(limit);
    expect(peakInStore).toBeGreaterThanOrEqual(limit - 1);
    expect([...slotsSeen].sort()).toEqual([0, 1, 2, 3]);
    expect(await heldSlots(observer, 'PG1')).toBe(0);
  }, 30_000);

  it('a process that dies holding a slot loses it once its lease expires; the other process takes it', async () => {
    const survivor = createConcurrencyBudget({ db: processB, accountKey: 'PG2', limit: 1, leaseMs: 60_000, pollMs: 5, waitMs: 5_000 });
    // Process A takes the slot with a 150 ms lease and dies: no release, no heartbeat renewing the lease.
    await ensureSlots(processA, 'PG2', 1);
    expect(await acquireSlot(processA, 'PG2', 1, 'process-a', 150)).toBe(0);
    const started = Date.now();
    const lease = await survivor.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(lease.slot).toBe(0);
    await lease.release();
  }, 10_000);
});

describe('two middleware processes calling one account through the budget on PostgreSQL', () => {
  const creds = generateSandboxCredentials();
  let s: Seeded;
  let host: NetSuiteHost;
  let running: RunningNetSuiteHost;

  beforeAll(async () => {
    s = seededAccount({ accountId: ACCOUNT });
    host = createNetSuiteHost({ accountId: ACCOUNT, runner: s.account.restlets, records: s.account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: 5 });
    running = await host.listen();
  }, 30_000);
  afterAll(async () => {
    await running?.close();
    await s?.account.close();
  });

  it('keep the account at its limit without a single SSS_REQUEST_LIMIT_EXCEEDED', async () => {
    host.configure({ latencyMs: 40, faults: {}, concurrencyLimit: 5 });
    host.resetCounters();
    const settings: NetSuiteConnectionSettings = {
      accountId: ACCOUNT,
      credentials: { kind: 'tba', tba: creds.tba },
      restletBaseUrl: running.url,
      concurrencyLimit: 5,
      timeoutMs: 10_000,
      // One attempt only: a limit error would surface as a failure instead of being retried away.
      backoff: { baseMs: 1, capMs: 1, maxAttempts: 1 },
    };
    const a = createNetSuiteConnection(settings, { db: processA });
    const b = createNetSuiteConnection(settings, { db: processB });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).client.health()));
    expect(answers.every((h) => h.ok)).toBe(true);
    const c = host.counters();
    expect(c.limitRejections).toBe(0);
    expect(c.maxInFlight).toBeLessThanOrEqual(5);
    expect(c.maxInFlight).toBeGreaterThanOrEqual(4);
    expect(a.client.stats.limitErrors + b.client.stats.limitErrors).toBe(0);
  }, 30_000);

  it('the same two processes without the shared budget do overrun the account (the test can fail)', async () => {
    host.configure({ latencyMs: 40, faults: {}, concurrencyLimit: 5 });
    host.resetCounters();
    const settings: NetSuiteConnectionSettings = {
      accountId: ACCOUNT,
      credentials: { kind: 'tba', tba: creds.tba },
      restletBaseUrl: running.url,
      concurrencyLimit: 5,
      timeoutMs: 10_000,
      backoff: { baseMs: 1, capMs: 1, maxAttempts: 1 },
    };
    // No db: each process counts only its own calls (5 each, 10 together).
    const a = createNetSuiteConnection(settings);
    const b = createNetSuiteConnection(settings);
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).client.health()));
    expect(host.counters().limitRejections).toBeGreaterThan(0);
    expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
  }, 30_000);
});
