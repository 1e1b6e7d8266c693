// The store's hot queries on real PostgreSQL at a volume where a full scan costs: the store migrated, filled with
// 120,000 sync records and what goes with them (events, transitions, attempts, refunds, orders; bench/store/fill.js),
// ANALYZEd, planner settings untouched. Every statement each hot query sends, as the middleware sends it (its own
// functions, parameters from the data), is planned without a full scan of a big table. The /metrics counts read
// from the summary equal a count over the table after the fill, state changes, a retention batch and a fold.
// Retention batches are checked at 100 records: at this volume PostgreSQL rightly reads tables of 30-120k rows in
// full for 500 ids, which it stops doing well before 1,000,000 records (bench/store/run.js, at the default 500).
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { openDb, type StoreHandle } from '../../../middleware/store/open-db';
import { migrate } from '../../../middleware/store/migrate';
import * as syncRecords from '../../../middleware/store/sql/sync-records';
import * as webhookEvents from '../../../middleware/store/sql/webhook-events';
import * as retention from '../../../middleware/store/sql/retention';
import * as refundStore from '../../../middleware/flows/refunds/store';
import * as operations from '../../../middleware/flows/refunds/operations';

// Plain JS shared with the benchmark (bench/store/).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fillStore } = require('../../../bench/store/fill') as { fillStore: (db: StoreHandle, o: { records: number }) => Promise<Record<string, number>> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hot = require('../../../bench/store/hot-queries') as {
  recordingDb: (db: StoreHandle, statements: unknown[]) => StoreHandle;
  explainStatements: (db: StoreHandle, statements: unknown[]) => Promise<{ usesIndex: boolean; plans: Array<{ statement: string; seqScansOfBigTables: string[]; indexes: string[] }> }>;
  sampleArguments: (db: StoreHandle) => Promise<unknown>;
  hotQueries: (modules: unknown, samples: unknown, options?: { pruneBatch?: number }) => Array<{ name: string; destructive?: boolean; run: (db: StoreHandle, i: number) => Promise<unknown> }>;
};

const RECORDS = 120_000;
let pg: TestPostgres;
let db: StoreHandle;
let queries: ReturnType<typeof hot.hotQueries>;

beforeAll(async () => {
  pg = await startPostgres();
  db = await openDb({ kind: 'postgres', url: pg.createDatabase('store_indexes'), poolSize: 2 });
  await migrate(db);
  await fillStore(db, { records: RECORDS });
  queries = hot.hotQueries({ syncRecords, webhookEvents, retention, refundStore, operations }, await hot.sampleArguments(db), { pruneBatch: 100 });
}, 300_000);

afterAll(async () => {
  await db?.close();
  pg?.stop();
});

const tableCounts = async (): Promise<Record<string, number>> =>
  Object.fromEntries(
    (await db.query<{ state: string; n: number }>('select state, count(*)::int as n from lb_sync_records group by state')).rows.map((r) => [r.state, Number(r.n)]),
  );

test('the fill holds the volume the plans are checked at', async () => {
  const n = Number((await db.query<{ n: number }>('select count(*)::int as n from lb_sync_records')).rows[0]?.n);
  expect(n).toBe(RECORDS);
  const stats = await db.query<{ reltuples: number }>("select reltuples from pg_class where relname = 'lb_sync_records'");
  expect(Number(stats.rows[0]?.reltuples)).toBeGreaterThan(RECORDS * 0.9); // ANALYZEd
});

test('every hot query is planned without a full scan of a big table', async () => {
  const failures: string[] = [];
  const names: string[] = [];
  for (const q of queries) {
    names.push(q.name);
    const statements: unknown[] = [];
    await q.run(hot.recordingDb(db, statements), 0);
    expect(statements.length).toBeGreaterThan(0);
    const plan = await hot.explainStatements(db, statements);
    if (!plan.usesIndex) {
      for (const p of plan.plans.filter((x) => x.seqScansOfBigTables.length > 0)) failures.push(`${q.name}: ${p.seqScansOfBigTables.join(', ')} scanned in full by ${p.statement}`);
    }
  }
  expect(names).toEqual(
    expect.arrayContaining(['sweep.parkedRefunds', 'syncRecords.page', 'metrics.countsByState', 'outbound.orderBySalesOrder', 'partner.lookupByPlatformId', 'partner.whyNotRecords', 'retention.pruneBatch']),
  );
  expect(failures).toEqual([]);
}, 120_000);

test('the counts by state from the summary equal a count over the table, through changes, a prune and a fold', async () => {
  expect(await syncRecords.countSyncRecordsByState(db)).toEqual(await tableCounts());
  const some = (await db.query<{ id: string; state: string }>("select id, state from lb_sync_records where state = 'queued' order by id limit 25")).rows;
  expect(some.length).toBe(25);
  await db.transaction(async (tx) => {
    for (const r of some) await syncRecords.setSyncState(tx, r.id, 'queued', 'posting', null, null);
  });
  await db.query("update lb_sync_records set attempt_count = attempt_count + 1 where state = 'posting'"); // no state change
  const pruned = await retention.pruneFinalRecordsBatch(db, { cutoff: new Date(Date.now() - 90 * 86_400_000), redeliveryCutoff: new Date(Date.now() - 3 * 86_400_000), limit: 300 });
  expect(pruned.syncRecords).toBe(300);
  // A rolled-back change leaves the counts as they were.
  await expect(
    db.transaction(async (tx) => {
      await tx.query("update lb_sync_records set state = 'failed' where state = 'posting'");
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await syncRecords.countSyncRecordsByState(db)).toEqual(await tableCounts());
  // 600 state changes append 1,200 deltas: the next count still answers the sums, and folds them.
  await db.query("update lb_sync_records set state = 'skipped' where id in (select id from lb_sync_records where state = 'posted' order by id limit 600)");
  const expected = await tableCounts();
  const before = Number((await db.query<{ n: number }>('select count(*)::int as n from lb_sync_state_counts')).rows[0]?.n);
  expect(before).toBeGreaterThan(syncRecords.STATE_COUNT_FOLD_AFTER);
  expect(await syncRecords.countSyncRecordsByState(db)).toEqual(expected);
  const after = Number((await db.query<{ n: number }>('select count(*)::int as n from lb_sync_state_counts')).rows[0]?.n);
  expect(after).toBe(Object.keys(expected).length);
  expect(await syncRecords.countSyncRecordsByState(db)).toEqual(expected);
  await db.query("update lb_sync_records set state = 'posted' where state = 'skipped' and id in (select id from lb_sync_records where state = 'skipped' order by id limit 5)");
  const pieces = Number((await db.query<{ n: number }>('select count(*)::int as n from lb_sync_state_counts')).rows[0]?.n);
  await syncRecords.foldSyncStateCounts(db);
  const folded = Number((await db.query<{ n: number }>('select count(*)::int as n from lb_sync_state_counts')).rows[0]?.n);
  expect(folded).toBeLessThan(pieces);
  expect(folded).toBe(Object.keys(await tableCounts()).length);
  expect(await syncRecords.countSyncRecordsByState(db)).toEqual(await tableCounts());
}, 120_000);
