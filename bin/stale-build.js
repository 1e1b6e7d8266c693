'use strict';
// Is the build older than its sources? A cheap check the `ledgerbridge` command runs before every command (a stat
// of each source file, no hashing, no compiling). It never rebuilds: it names what changed and the command that
// rebuilds (`npm run build`).
//
// Outputs and the sources they are built from:
//   - dist/: one tsbuildinfo per Node-side project (dist/.tsbuild/<project>.tsbuildinfo, written by `tsc -b` on every
//     build of that project) against the project's .ts files and tsconfig.json;
//   - the compiled SuiteScripts (src/FileCabinet/SuiteScripts/ledgerbridge/, all rewritten by every build): their
//     oldest file against suitescripts/ and core/ (the pure modules they import).
const fs = require('node:fs');
const path = require('node:path');

const NODE_PROJECTS = ['core', 'tools', 'emulator', 'middleware'];
const FILE_CABINET = path.join('src', 'FileCabinet', 'SuiteScripts', 'ledgerbridge');

/** Walks `dir` (skipping node_modules), calling `visit(file, stats)` for each file `keep(file)` accepts. */
function walk(dir, keep, visit) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full, keep, visit);
    } else if (entry.isFile() && keep(full)) {
      visit(full, fs.statSync(full));
    }
  }
}

const isSource = (file) => (file.endsWith('.ts') && !file.endsWith('.d.ts')) || path.basename(file) === 'tsconfig.json';

/** The most recently modified source under the given folders: { file, mtimeMs } or undefined. */
function newestSource(root, dirs) {
  let newest;
  for (const dir of dirs) {
    walk(path.join(root, dir), isSource, (file, stats) => {
      if (!newest || stats.mtimeMs > newest.mtimeMs) newest = { file, mtimeMs: stats.mtimeMs };
    });
  }
  return newest;
}

/**
 * What is stale in the build under `root` (the repository folder): a list of
 * { output, source } (paths relative to root), empty when the build is current. A missing output counts as stale,
 * with source undefined.
 */
function findStaleBuild(root) {
  const stale = [];
  const rel = (file) => path.relative(root, file);

  for (const project of NODE_PROJECTS) {
    if (!fs.existsSync(path.join(root, project))) continue;
    const info = path.join(root, 'dist', '.tsbuild', `${project}.tsbuildinfo`);
    const source = newestSource(root, [project]);
    if (!source) continue;
    const built = fs.existsSync(info) ? fs.statSync(info).mtimeMs : undefined;
    if (built === undefined) stale.push({ output: `dist/ (${project})`, source: undefined });
    else if (source.mtimeMs > built) stale.push({ output: `dist/ (${project})`, source: rel(source.file) });
  }

  if (fs.existsSync(path.join(root, 'suitescripts'))) {
    let oldest;
    walk(path.join(root, FILE_CABINET), (file) => file.endsWith('.js'), (_file, stats) => {
      if (oldest === undefined || stats.mtimeMs < oldest) oldest = stats.mtimeMs;
    });
    const source = newestSource(root, ['suitescripts', 'core']);
    const output = `the compiled SuiteScripts (${FILE_CABINET.split(path.sep).join('/')}/)`;
    if (oldest === undefined) stale.push({ output, source: undefined });
    else if (source && source.mtimeMs > oldest) stale.push({ output, source: rel(source.file) });
  }
  return stale;
}

/** The message for a stale build, or '' when it is current. */
function staleBuildMessage(stale) {
  if (stale.length === 0) return '';
  const lines = stale.map(({ output, source }) =>
    source ? `  ${source.split(path.sep).join('/')} changed after ${output} was built` : `  ${output} is missing`,
  );
  return [
    'ledgerbridge: the build is older than the sources:',
    ...lines,
    '  Run `npm run build` to rebuild. Running the existing build.',
    '',
  ].join('\n');
}

module.exports = { findStaleBuild, staleBuildMessage };
