// The store's hot queries at scale: a throwaway PostgreSQL, the store's migrations, a fill to --records sync
// records (default 1,000,000) with their events, transitions, attempts, refunds and orders (bench/store/fill.js),
// ANALYZE, then each hot query called through the built middleware functions (dist/) --reps times with rotating
// arguments: median and p95 in ms, and whether PostgreSQL's plan for every statement it sent reads the big tables
// through indexes (EXPLAIN). Prints one JSON object, then summary lines.
//
//   node bench/store/run.js [--records N] [--reps R]
'use strict';
const path = require('node:path');
const { startPostgres } = require('../common/postgres');
const { fillStore, tableRows } = require('./fill');
const { recordingDb, explainStatements, sampleArguments, hotQueries } = require('./hot-queries');

const dist = path.resolve(__dirname, '..', '..', 'dist', 'middleware');
const load = (p) => require(path.join(dist, p));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}

/** Server settings of the throwaway cluster: durability off (it is deleted afterwards), memory for the fill. */
const SERVER_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_buffers: '1GB', maintenance_work_mem: '512MB', max_wal_size: '8GB', checkpoint_timeout: '30min', autovacuum: 'off' };

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const round = (x) => Math.round(x * 1000) / 1000;

async function main() {
  const records = arg('records', 1_000_000);
  const reps = arg('reps', 30);
  const { openDb } = load('store/open-db');
  const { migrate } = load('store/migrate');
  const modules = {
    syncRecords: load('store/sql/sync-records'),
    webhookEvents: load('store/sql/webhook-events'),
    retention: load('store/sql/retention'),
    refundStore: load('flows/refunds/store'),
    operations: load('flows/refunds/operations'),
  };
  const pg = await startPostgres(SERVER_SETTINGS);
  const db = await openDb({ kind: 'postgres', url: pg.url, poolSize: 2 });
  try {
    const started = Date.now();
    const migration = await migrate(db);
    const fillSeconds = await fillStore(db, { records });
    const fillTotal = (Date.now() - started) / 1000;
    const rows = await tableRows(db);
    const server = {};
    for (const name of ['server_version', 'shared_buffers', 'work_mem', 'random_page_cost', 'effective_cache_size', 'fsync', 'autovacuum']) {
      server[name] = (await db.query(`select current_setting('${name}') as v`)).rows[0].v;
    }
    const samples = await sampleArguments(db);
    const queries = hotQueries(modules, samples);
    const results = {};
    for (const q of [...queries.filter((x) => !x.destructive), ...queries.filter((x) => x.destructive)]) {
      const statements = [];
      await q.run(recordingDb(db, statements), 0); // warm-up, and the statements it sends
      const plan = await explainStatements(db, statements);
      await q.run(db, 1);
      const ms = [];
      for (let i = 0; i < reps; i += 1) {
        const t0 = process.hrtime.bigint();
        await q.run(db, i + 2);
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      ms.sort((x, y) => x - y);
      results[q.name] = {
        caller: q.caller,
        medianMs: round(quantile(ms, 0.5)),
        p95Ms: round(quantile(ms, 0.95)),
        maxMs: round(ms[ms.length - 1]),
        statements: statements.length,
        usesIndex: plan.usesIndex,
        plans: plan.plans,
      };
    }
    const names = Object.keys(results);
    const slowest = names.reduce((a, b) => (results[b].p95Ms > results[a].p95Ms ? b : a));
    const report = {
      benchmark: 'store-hot-queries',
      settings: { records, reps, database: 'postgres', postgres: { source: pg.binaries.source, ...server } },
      migrationsApplied: migration.applied,
      rows,
      fillSeconds: Object.fromEntries(Object.entries({ ...fillSeconds, total: fillTotal }).map(([k, v]) => [k, round(v)])),
      queries: results,
      summary: {
        queries: names.length,
        usingIndexes: names.filter((n) => results[n].usesIndex).length,
        maxMedianMs: Math.max(...names.map((n) => results[n].medianMs)),
        maxP95Ms: results[slowest].p95Ms,
        slowestByP95: slowest,
      },
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `store at ${rows.lb_sync_records} sync records (PostgreSQL ${server.server_version}, filled in ${round(fillTotal)} s): ` +
        `${report.summary.usingIndexes}/${names.length} hot queries read the big tables through indexes; ` +
        `slowest median ${report.summary.maxMedianMs} ms, slowest p95 ${report.summary.maxP95Ms} ms (${slowest}), ${reps} calls each`,
    );
    for (const n of names) {
      const r = results[n];
      const seq = [...new Set(r.plans.flatMap((p) => p.seqScansOfBigTables))];
      console.log(`  ${n.padEnd(30)} median ${String(r.medianMs).padStart(8)} ms  p95 ${String(r.p95Ms).padStart(8)} ms  ${r.usesIndex ? 'index' : `FULL SCAN ${seq.join(', ')}`}`);
    }
    process.exitCode = report.summary.usingIndexes === names.length ? 0 : 1;
  } finally {
    await db.close();
    pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
