// Adds lockfile entries for platform-specific optional packages that the registry mirror on these machines does
// not carry at the version the parent pins (e.g. @swc/core-darwin-arm64 when only linux-x64 is mirrored).
// Without them `npm ci` refuses the lockfile ("Missing: … from lock file"); with them npm ci skips the package
// on this platform (os/cpu mismatch) and never fetches it. Run after any `npm install` that changes dependencies:
//   node scripts/complete-lockfile.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

function platformOf(name) {
  const os = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony'].find((o) => name.includes(o));
  const cpu = ['arm64', 'x64', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'arm'].find((c) =>
    new RegExp(`[-_]${c}([-_]|$)`).test(name.replace('arm-eabi', 'arm-').replace('gnueabihf', '').replace('musleabihf', '')),
  );
  const libc = /musl/.test(name) ? ['musl'] : /gnu/.test(name) && os === 'linux' ? ['glibc'] : undefined;
  return { os: os ? [os] : undefined, cpu: cpu ? [cpu] : undefined, libc };
}

let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  const optional = entry.optionalDependencies || {};
  for (const [name, spec] of Object.entries(optional)) {
    const parentDir = key === '' ? '' : `${key}/`;
    const nested = `${parentDir}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os) continue; // only platform binaries are completed
    packages[hoisted] = {
      version: String(spec).replace(/^[~^=]/, ''),
      ...(cpu ? { cpu } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc } : {}),
      license: entry.license || 'UNKNOWN',
      optional: true,
      os,
    };
    added += 1;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: added ${added} platform entries\n`);
