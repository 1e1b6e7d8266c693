/**
 * A throwaway PostgreSQL 15 cluster for integration tests and benchmarks: initdb + pg_ctl as the `postgres` user
 * (initdb refuses to run as root) in a temp folder, on a free high port, trust auth on 127.0.0.1 only.
 * If the binaries are missing this FAILS with a clear message (CI installs postgresql); nothing is skipped.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A fresh database on the cluster; returns its URL. */
  createDatabase(name: string): string;
  stop(): void;
}

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

function findBinDir(): string {
  for (const dir of BIN_DIRS) if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  throw new Error(
    `PostgreSQL server binaries not found (looked for initdb and pg_ctl in ${BIN_DIRS.join(', ')}). ` +
      'Install them (Debian: apt-get install -y postgresql) — this test needs a real PostgreSQL server.',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function asPostgres(args: string[], binDir: string, bin: string): string {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', path.join(binDir, bin), ...args]] : [path.join(binDir, bin), args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

export async function startPostgres(): Promise<TestPostgres> {
  const binDir = findBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const sockets = path.join(dir, 'sock');
  fs.mkdirSync(sockets);
  fs.chmodSync(sockets, 0o777);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  asPostgres(['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], binDir, 'initdb');
  const port = await freePort();
  const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  asPostgres(['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start'], binDir, 'pg_ctl');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      asPostgres(['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name], binDir, 'createdb');
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres(['-D', data, '-m', 'immediate', 'stop'], binDir, 'pg_ctl');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
