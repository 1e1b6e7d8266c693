#!/usr/bin/env node
// Runs every benchmark in turn (each in its own process, so one's load does not skew another's numbers), prints one
// JSON object with all results and a summary line per benchmark. `npm run bench` (after `npm run build`).
// Ratios (intake vs bare Express, throughput vs theoretical maximum) are measured inside each run: compare those,
// not absolute numbers, on these shared machines.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const benches = [
  { name: 'intake', args: ['bench/intake/run.js'] },
  { name: 'netsuite-governance', args: ['bench/netsuite/run.js', 'governance'] },
  { name: 'netsuite-throughput', args: ['bench/netsuite/run.js', 'throughput'] },
  { name: 'refunds', args: ['bench/refunds/run.js'], optional: true },
  { name: 'hardening', args: ['bench/hardening/run.js'], optional: true },
  { name: 'crash', args: ['bench/crash/run.js'], optional: true },
  { name: 'faults', args: ['bench/faults/run.js'], optional: true },
  { name: 'emulator', args: ['bench/emulator/run.js'], optional: true },
  { name: 'store', args: ['bench/store/run.js'], optional: true },
];

const root = path.join(__dirname, '..');

/** The benchmark's JSON object (one line or pretty-printed over several) and the other output lines (its summary). */
function splitJson(stdout) {
  const lines = stdout.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start].trim().startsWith('{')) continue;
    for (let end = start; end < lines.length; end++) {
      try {
        const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
        const rest = [...lines.slice(0, start), ...lines.slice(end + 1)].filter((l) => l.trim() !== '');
        return { parsed, rest };
      } catch {
        // not complete yet
      }
    }
  }
  return { parsed: null, rest: lines.filter((l) => l.trim() !== '') };
}
const results = {};
const summaries = [];
let failed = 0;
for (const bench of benches) {
  if (bench.optional && !fs.existsSync(path.join(root, bench.args[0]))) continue;
  process.stderr.write(`== ${bench.name}\n`);
  const run = spawnSync(process.execPath, bench.args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  const { parsed, rest } = splitJson(run.stdout || '');
  if (run.status !== 0 || !parsed) failed += 1;
  results[bench.name] = parsed ?? { error: `exit ${run.status}${run.error ? `: ${run.error.message}` : ''}` };
  const summary = rest.join(' ').trim();
  summaries.push(summary.startsWith(`${bench.name}:`) ? summary : `${bench.name}: ${summary || (parsed ? 'done' : 'FAILED')}`);
}
const out = { ranAt: new Date().toISOString(), node: process.version, results };
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(out)}\n`);
for (const s of summaries) process.stdout.write(`${s}\n`);
process.exitCode = failed ? 1 : 0;
