#!/usr/bin/env node
'use strict';
// Refund benchmarks, written in TypeScript and run straight from the sources (swc transpiles on require):
// governance units per refund for each NetSuite record kind beside the documented floor, and end-to-end refunds per
// second on the sandbox stack. Prints one JSON line, then a one-line summary.
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  module._compile(code, filename);
};

require(path.join(__dirname, 'refunds.ts'))
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code ?? 0;
  })
  .catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
