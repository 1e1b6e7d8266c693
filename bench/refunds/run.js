#!/usr/bin/env node
'use strict';
// Refund benchmarks, written in TypeScript and run straight from the sources (swc transpiles on require; the local
// account runs the compiled SuiteScripts, so `npm run build` first): governance units per refund for each NetSuite
// record kind beside NetSuite's documented floor, and end to end from signed Shopify webhooks to posted NetSuite
// records at concurrency limit 5 and 300 ms per call.
//   node bench/refunds/run.js [SIZE ...] [--in-flight=50] [--sender-timeout-ms=5000] [--batch-size=N]
// Sizes default to 100 and 1000. Prints one JSON object, then summary lines.
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  module._compile(code, filename);
};

// `run.js account <options>` is the account process refunds.ts forks.
const isAccount = process.argv[2] === 'account';
require(path.join(__dirname, isAccount ? 'account.ts' : 'refunds.ts'))
  .main(process.argv.slice(isAccount ? 3 : 2))
  .then((code) => {
    process.exitCode = code ?? 0;
  })
  .catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
