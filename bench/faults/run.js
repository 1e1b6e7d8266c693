#!/usr/bin/env node
// Standing guarantee: exactly-once refund sync to NetSuite through NetSuite faults. The crash suite's world (built
// code, loopback: the local account process with its HTTP host, simulated Shopify and Amazon, a real
// `ledgerbridge start` process) with no kills, and the local account's host injecting faults on every RESTlet call:
// limit errors (SSS_REQUEST_LIMIT_EXCEEDED although under the limit), 5xx before the script runs, and lost responses
// (the script ran and its writes committed, the answer never arrives).
// Usage: node bench/faults/run.js [--refunds 300] [--store pglite|postgres|both] [--limit-error-rate 0.2]
//        [--server-error-rate 0.05] [--lost-response-rate 0.05] [--rate 25] [--settle-seconds 150]
// Prints one JSON object, then summary lines; exits 1 when a guarantee fails.
'use strict';
const { arg, runScenario } = require('../common/refund-world');

async function main() {
  const argv = process.argv.slice(2);
  const settings = {
    refunds: arg(argv, 'refunds', 300),
    store: arg(argv, 'store', 'pglite', ['both', 'pglite', 'postgres']),
    faults: {
      limitErrorRate: arg(argv, 'limit-error-rate', 0.2, 'rate'),
      serverErrorRate: arg(argv, 'server-error-rate', 0.05, 'rate'),
      lostResponseRate: arg(argv, 'lost-response-rate', 0.05, 'rate'),
    },
    ratePerSecond: arg(argv, 'rate', 25),
    settleSeconds: arg(argv, 'settle-seconds', 150),
  };
  const stores = settings.store === 'both' ? ['pglite', 'postgres'] : [settings.store];
  const started = Date.now();
  const runs = [];
  for (const store of stores) {
    runs.push(await runScenario({ refunds: settings.refunds, kills: 0, store, faults: settings.faults, rate: settings.ratePerSecond, settleSeconds: settings.settleSeconds, label: 'faults' }));
  }
  const result = { benchmark: 'faults', settings, seconds: Number(((Date.now() - started) / 1000).toFixed(1)), runs, pass: runs.every((r) => r.pass) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const r of runs) {
    const e = r.exactlyOnce;
    const h = r.netsuiteHost;
    const share = (n) => (h.requests ? `${((100 * n) / h.requests).toFixed(1)}%` : 'n/a');
    process.stdout.write(
      `faults ${r.store}: ${r.refunds.issued} refunds (${r.refunds.shopifyWebhooks} Shopify webhooks, ${r.refunds.amazonPolled} Amazon polled); NetSuite host: ${h.requests} calls, ` +
        `${h.faultsInjected} faults injected (${h.injectedLimitErrors} limit errors ${share(h.injectedLimitErrors)}, ${h.injectedServerErrors} 5xx ${share(h.injectedServerErrors)}, ` +
        `${h.lostResponses} lost responses ${share(h.lostResponses)}), ${h.limitRejections} real limit rejections; ` +
        `${e.netsuiteRecords}/${e.expectedRecords} NetSuite records, ${e.duplicated} duplicated, ${e.lost} lost, ${e.wrongAmount} wrong amounts, ` +
        `${r.exceptions.total} exceptions (${r.exceptions.falseExceptions} false); ${r.seconds} s — ${r.pass ? 'PASS' : 'FAIL'}\n`,
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
