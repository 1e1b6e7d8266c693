#!/usr/bin/env node
// Standing guarantee: exactly-once refund sync to NetSuite through crashes. Against the BUILT code (`npm run build`
// first), loopback only: the local NetSuite account in its own process (bench/crash/account.js: emulator with a state
// file, its HTTP host, simulated Shopify and Amazon), real `node bin/ledgerbridge.js start` processes configured by
// environment, N refunds (Shopify webhooks posted signed to the intake, Amazon refunds found by the sweep's poll,
// over cash sales, open invoices, paid invoices and customer deposits), the start process SIGKILLed K times at spread
// points of the posting and restarted at once; on the embedded PGlite store in a data folder and on PostgreSQL.
// Usage: node bench/crash/run.js [--refunds 1000] [--kills 5] [--store both|pglite|postgres] [--rate 25]
//        [--settle-seconds 150]
// Prints one JSON object, then summary lines; exits 1 when a guarantee fails.
'use strict';
const { arg, runScenario } = require('../common/refund-world');

async function main() {
  const argv = process.argv.slice(2);
  const settings = {
    refunds: arg(argv, 'refunds', 1000),
    kills: arg(argv, 'kills', 5),
    store: arg(argv, 'store', 'both', ['both', 'pglite', 'postgres']),
    ratePerSecond: arg(argv, 'rate', 25),
    settleSeconds: arg(argv, 'settle-seconds', 150),
  };
  const stores = settings.store === 'both' ? ['pglite', 'postgres'] : [settings.store];
  const started = Date.now();
  const runs = [];
  for (const store of stores) {
    runs.push(await runScenario({ refunds: settings.refunds, kills: settings.kills, store, faults: null, rate: settings.ratePerSecond, settleSeconds: settings.settleSeconds, label: 'crash' }));
  }
  const result = { benchmark: 'crash', settings, seconds: Number(((Date.now() - started) / 1000).toFixed(1)), runs, pass: runs.every((r) => r.pass) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const r of runs) {
    const e = r.exactlyOnce;
    process.stdout.write(
      `crash ${r.store}: ${r.refunds.issued} refunds (${r.refunds.shopifyWebhooks} Shopify webhooks, ${r.refunds.amazonPolled} Amazon polled), ${r.kills.length} SIGKILLs, ` +
        `${e.netsuiteRecords}/${e.expectedRecords} NetSuite records, ${e.duplicated} duplicated, ${e.lost} lost, ${e.wrongAmount} wrong amounts, ` +
        `${r.exceptions.total} exceptions (${r.exceptions.falseExceptions} false), ${r.attempts.interrupted ?? 0} interrupted attempts; ` +
        `recovery to first completed job ${r.recoveryMs.each.map((ms) => (ms === null ? 'none' : `${ms} ms`)).join(', ')} (max ${r.recoveryMs.max} ms); ${r.seconds} s — ${r.pass ? 'PASS' : 'FAIL'}\n`,
    );
  }
  return result.pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
