// Removes stale compiled SuiteScripts before a build, so a deleted source never lingers in the SDF project.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const dir = path.join(__dirname, '..', 'src', 'FileCabinet', 'SuiteScripts', 'ledgerbridge');
for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  if (entry === '.gitkeep') continue;
  fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}
