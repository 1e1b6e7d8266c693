#!/usr/bin/env node
'use strict';
// The `ledgerbridge` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (which `npm install` runs through the prepare script).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'middleware', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('ledgerbridge: dist/ is missing; run `npm run build` (or `npm install`) first.\n');
  process.exit(2);
}
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`ledgerbridge: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
