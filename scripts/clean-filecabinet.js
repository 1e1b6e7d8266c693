// Empties the compiled SuiteScripts folder before a build (so a deleted source never lingers in the SDF project)
// and creates it, so the File Cabinet folder exists in a fresh clone without a placeholder file in the package.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const dir = path.join(__dirname, '..', 'src', 'FileCabinet', 'SuiteScripts', 'ledgerbridge');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
