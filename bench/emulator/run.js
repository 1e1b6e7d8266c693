#!/usr/bin/env node
'use strict';
// ms per RESTlet call of the local NetSuite account (dist/emulator) as the account grows: a refund-flow call mix
// run against accounts holding about 1k, 10k and 100k records. Prints one JSON object, then a summary line.
//   node bench/emulator/run.js [--sizes 1000,10000,100000] [--scan-sizes 1000,10000] [--rounds 200] [--warmup 10]
// --scan-sizes runs the same mix with search indexes off (searchIndexes: false: every search reads every record of
// its types), as the reference the indexed figures compare with; '--scan-sizes none' skips it.
// Each round is four RESTlet calls (customscript_lb_rl_api, in-process, as the HTTP host runs them):
//   byExternalId  batch lookup of a sales order by externalId
//   orderLink     batch lookup of a sales order by its order-link field (otherrefnum)
//   billingFacts  batch of three lookups: cash sale and invoice by createdfrom, customer deposit by salesorder
//   cashRefund    batch transform cashsale -> cashrefund with one item line by SKU, saved (outbox User Event fires)
// All accounts are seeded first and live side by side; each round then runs on every account in turn (the load of
// a shared machine falls on every size alike). The first --warmup rounds are not measured.
// The accounts are seeded through the record engine (engine.transform / engine.save), not through RESTlet calls.
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const { createLocalAccount } = require(path.join(root, 'dist', 'emulator'));

const SCRIPT = 'customscript_lb_rl_api';
const DEPLOY = 'customdeploy_lb_rl_api';

function parseArgs(argv) {
  const out = { sizes: [1000, 10000, 100000], scanSizes: [1000, 10000], rounds: 200, warmup: 10 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--sizes') out.sizes = String(value).split(',').map((s) => Number(s.trim()));
    else if (flag === '--scan-sizes') out.scanSizes = value === 'none' ? [] : String(value).split(',').map((x) => Number(x.trim()));
    else if (flag === '--rounds') out.rounds = Number(value);
    else if (flag === '--warmup') out.warmup = Number(value);
    else if (flag === '--help') {
      process.stdout.write('usage: node bench/emulator/run.js [--sizes 1000,10000,100000] [--scan-sizes 1000,10000|none] [--rounds 200] [--warmup 10]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
    i += 1;
  }
  for (const n of [...out.sizes, ...out.scanSizes, out.rounds]) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`sizes and rounds must be positive integers (got ${n})`);
  }
  if (!Number.isInteger(out.warmup) || out.warmup < 0) throw new Error('warmup must be a non-negative integer');
  return out;
}

/** A deterministic pseudo-random sequence (the same picks for every size). */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function save(engine, type, fields, sublists) {
  const r = engine.newRecord(type);
  Object.assign(r.fields, fields);
  if (sublists) Object.assign(r.sublists, sublists);
  return engine.save(r);
}

function transform(engine, fromType, fromId, toType, externalId) {
  const r = engine.transform(fromType, fromId, toType);
  r.fields.externalid = externalId;
  return engine.save(r);
}

/**
 * Seeds orders until the account holds `target` records: per order a sales order (externalId, otherrefnum), its
 * item fulfillment, its cash sale and (but for the first `open` orders) a cash refund of one line; one customer per
 * 10 orders and one item per 20. The cashRefund calls refund the `open` orders.
 */
function seedAccount(account, target, open) {
  const engine = account.engine;
  const location = save(engine, 'location', { name: 'Main', externalid: 'bench-loc-main' });
  const customers = [];
  const items = [];
  const orders = [];
  let records = engine.exportState().store.records.length;
  for (let g = 0; g < open || records < target; g++) {
    if (g % 10 === 0) {
      const n = customers.length;
      customers.push(save(engine, 'customer', { companyname: `Bench Customer ${n}`, externalid: `bench-cust-${n}`, email: `c${n}@bench.test` }));
      records += 1;
    }
    if (g % 20 === 0) {
      const n = items.length;
      items.push({ sku: `BENCH-${n}`, id: save(engine, 'inventoryitem', { itemid: `BENCH-${n}`, displayname: `Bench item ${n}`, baseprice: 10, externalid: `bench-item-${n}` }) });
      records += 1;
    }
    const a = items[g % items.length];
    const b = items[(g * 7 + 3) % items.length];
    const lines = a === b ? [a] : [a, b];
    const externalId = `bench:order:${g}`;
    const so = save(engine, 'salesorder', {
      entity: customers[Math.floor(g / 10)], externalid: externalId, otherrefnum: `BO-${g}`, location,
    }, { item: lines.map((it, i) => ({ item: it.id, quantity: 2, rate: 10 + i })) });
    transform(engine, 'salesorder', so, 'itemfulfillment', `${externalId}:fulfillment`);
    const cs = transform(engine, 'salesorder', so, 'cashsale', `${externalId}:cashsale`);
    records += 3;
    const refunded = g >= open;
    if (refunded) {
      const r = engine.transform('cashsale', cs, 'cashrefund');
      r.fields.externalid = `${externalId}:refund:seed`;
      r.sublists.item = r.sublists.item.slice(0, 1).map((l) => ({ ...l, quantity: 1 }));
      engine.save(r);
      records += 1;
    }
    orders.push({ externalId, otherrefnum: `BO-${g}`, salesOrder: so, cashSale: cs, sku: a.sku, refunded });
  }
  return { orders, open: orders.filter((o) => !o.refunded) };
}

function call(account, body) {
  const started = process.hrtime.bigint();
  const outcome = account.restlets.invokeSync({
    script: SCRIPT, deploy: DEPLOY, method: 'POST', contentType: 'application/json', body: JSON.stringify(body), query: {},
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let parsed = JSON.parse(outcome.body);
  if (typeof parsed === 'string') parsed = JSON.parse(parsed);
  if (outcome.status !== 200 || !parsed.ok) throw new Error(`RESTlet call failed: ${outcome.status} ${outcome.body.slice(0, 300)}`);
  for (const r of parsed.results ?? []) {
    if (r.status !== 'ok') throw new Error(`operation ${r.opId} failed: ${JSON.stringify(r)}`);
  }
  return { ms, units: outcome.unitsUsed, results: parsed.results };
}

const batch = (operations) => ({ action: 'batch', operations });

const KINDS = {
  byExternalId: (o) => batch([{ opId: 'so', kind: 'lookup', recordType: 'salesorder', by: { externalId: o.externalId }, columns: ['entity'] }]),
  orderLink: (o) => batch([{ opId: 'so', kind: 'lookup', recordType: 'salesorder', by: { field: 'otherrefnum', value: o.otherrefnum }, columns: ['entity'] }]),
  billingFacts: (o) => batch([
    { opId: 'cashsale', kind: 'lookup', recordType: 'cashsale', by: { field: 'createdfrom', value: o.salesOrder }, columns: ['total'] },
    { opId: 'invoice', kind: 'lookup', recordType: 'invoice', by: { field: 'createdfrom', value: o.salesOrder }, columns: ['amountremaining'] },
    { opId: 'deposit', kind: 'lookup', recordType: 'customerdeposit', by: { field: 'salesorder', value: o.salesOrder }, columns: ['unapplied'] },
  ]),
  cashRefund: (o, n) => batch([{
    opId: 'refund', kind: 'transform', fromType: 'cashsale', from: { id: o.cashSale }, toType: 'cashrefund',
    externalId: `${o.externalId}:refund:bench-${n}`, items: [{ sku: o.sku, quantity: 1 }],
  }]),
};

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const round3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { calls: sorted.length, medianMs: round3(percentile(sorted, 50)), p95Ms: round3(percentile(sorted, 95)) };
}

/** Seeds one account and prepares its measurements. */
function prepare(target, rounds, warmup, searchIndexes) {
  const seedStarted = Date.now();
  const account = createLocalAccount({ accountId: 'TSTDRV0000001', searchIndexes });
  const { orders, open } = seedAccount(account, target, rounds + warmup);
  const seedMs = Date.now() - seedStarted;
  return {
    account, orders, open, pick: rng(42), target, searchIndexes, seedMs, warmup,
    recordsBefore: account.engine.exportState().store.records.length,
    ms: Object.fromEntries(Object.keys(KINDS).map((k) => [k, []])),
    units: Object.fromEntries(Object.keys(KINDS).map((k) => [k, new Set()])),
  };
}

/** Round i on one account: the four calls, checked; timed and their units kept once past the warm-up. */
function runRound(run, i) {
  const { account, orders, open } = run;
  const o = orders[Math.floor(run.pick() * orders.length)];
  const refund = open[i];
  for (const kind of Object.keys(KINDS)) {
    const r = call(account, KINDS[kind](kind === 'cashRefund' ? refund : o, i));
    if (kind === 'byExternalId' || kind === 'orderLink') {
      if (r.results[0].id !== o.salesOrder) throw new Error(`${kind}: found ${r.results[0].id}, expected ${o.salesOrder}`);
    }
    if (kind === 'cashRefund' && r.results[0].created !== true) throw new Error('cashRefund: no record created');
    if (i >= run.warmup) {
      run.ms[kind].push(r.ms);
      run.units[kind].add(r.units);
    }
  }
  account.clearUsage();
  account.clearLogs();
}

function finish(run) {
  const all = Object.values(run.ms).flat();
  return {
    searchIndexes: run.searchIndexes,
    targetRecords: run.target,
    recordsInAccount: run.recordsBefore,
    recordsAfterCalls: run.account.engine.exportState().store.records.length,
    orders: run.orders.length,
    seedMs: run.seedMs,
    warmupRounds: run.warmup,
    ...stats(all),
    byKind: Object.fromEntries(Object.keys(KINDS).map((k) => [k, { ...stats(run.ms[k]), units: [...run.units[k]].sort((a, b) => a - b) }])),
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const indexed = opts.sizes.map((size) => prepare(size, opts.rounds, opts.warmup, true));
  const scanned = opts.scanSizes.map((size) => prepare(size, opts.rounds, opts.warmup, false));
  // The accounts live side by side and every round goes through all of them in turn, so the load of a shared
  // machine falls on every size alike.
  for (let i = 0; i < opts.warmup + opts.rounds; i++) for (const run of [...indexed, ...scanned]) runRound(run, i);
  const sizes = indexed.map(finish);
  const scan = scanned.map(finish);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const kinds = Object.keys(KINDS);
  const unitsOf = (s) => JSON.stringify(kinds.map((k) => s.byKind[k].units));
  const unitsSame = [...sizes, ...scan].every((s) => unitsOf(s) === unitsOf(first));
  const ratio = round3(last.medianMs / first.medianMs);
  const result = {
    bench: 'emulator',
    node: process.version,
    settings: {
      sizes: opts.sizes, scanSizes: opts.scanSizes, rounds: opts.rounds, warmupRounds: opts.warmup,
      callsPerRound: kinds.length, callKinds: kinds, callsPerSize: opts.rounds * kinds.length,
    },
    sizes,
    scan,
    medianRatio: { from: first.recordsInAccount, to: last.recordsInAccount, ratio },
    p95Ratio: round3(last.p95Ms / first.p95Ms),
    unitsPerCallSameAtEverySize: unitsSame,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const line = (list) => list.map((s) => `${s.recordsInAccount} records ${s.medianMs} ms (p95 ${s.p95Ms})`).join(', ');
  process.stdout.write(`emulator: ms per RESTlet call, median: ${line(sizes)}; ${last.recordsInAccount}/${first.recordsInAccount} ratio ${ratio}; units per call ${unitsSame ? 'the same' : 'DIFFERENT'} at every size${scan.length ? `; without indexes: ${line(scan)}` : ''}\n`);
  return unitsSame ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
}).catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
