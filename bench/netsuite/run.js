#!/usr/bin/env node
'use strict';
// Runs a NetSuite benchmark written in TypeScript straight from the sources (swc transpiles on require).
//   node bench/netsuite/run.js governance     units per RESTlet operation and per User Event save
//   node bench/netsuite/run.js throughput     sustained throughput at 300 ms per call, limit 5, 1 and 2 processes
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const name = process.argv[2];
const files = { governance: 'governance.ts', throughput: 'throughput.ts', 'throughput-worker': 'throughput-worker.ts' };
if (!files[name]) {
  process.stderr.write(`usage: node bench/netsuite/run.js <${Object.keys(files).join('|')}>\n`);
  process.exit(2);
}
require(path.join(__dirname, files[name]))
  .main(process.argv.slice(3))
  .then((code) => {
    process.exitCode = code ?? 0;
  })
  .catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
