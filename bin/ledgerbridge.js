#!/usr/bin/env node
'use strict';
// The `ledgerbridge` command. The TypeScript sources are compiled to dist/ (and the SuiteScripts to
// src/FileCabinet/) by `npm run build`, which `npm install` runs through the prepare script. This command never
// builds: a build older than the sources is reported with the command that rebuilds it, then the existing build runs.
const path = require('node:path');
const fs = require('node:fs');
const { findStaleBuild, staleBuildMessage } = require('./stale-build');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'middleware', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('ledgerbridge: dist/ is missing; run `npm run build` (or `npm install`) first.\n');
  process.exit(2);
}
process.stderr.write(staleBuildMessage(findStaleBuild(root)));
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`ledgerbridge: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
