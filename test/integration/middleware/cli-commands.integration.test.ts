/**
 * `ledgerbridge migrate` and `ledgerbridge start` from the built CLI, configured only through the environment:
 * migrate applies every migration to a real PostgreSQL server once (a second run applies nothing); start refuses
 * to run without a master key, and with bad settings, naming them, and names a busy port; the command list names all
 * three commands. The command reports a build older than its sources (never rebuilding): the check on temporary
 * trees, and the built command run from a tree whose source is newer than the build.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { findStaleBuild, staleBuildMessage } from '../../../bin/stale-build';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { migrations } from '../../../middleware/store/migrations';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'ledgerbridge.js');

let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);

afterAll(() => pg?.stop());

function cli(args: string[], env: Record<string, string> = {}, bin = BIN): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('lists start, sandbox and migrate with their summaries', () => {
  const r = cli(['--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^\s+migrate\s+\S/m);
  expect(r.stdout).toMatch(/^\s+sandbox\s+\S/m);
  expect(r.stdout).toMatch(/^\s+start\s+\S/m);
});

it('migrate applies every migration once to DATABASE_URL and prints what it did', () => {
  const url = pg.createDatabase('cli_migrate');
  const first = cli(['migrate'], { DATABASE_URL: url });
  expect(first.status).toBe(0);
  const ids = migrations.map((m) => m.id);
  expect(JSON.parse(first.stdout)).toEqual({ database: 'postgres', applied: ids, alreadyApplied: [] });
  const again = cli(['migrate'], { DATABASE_URL: url });
  expect(JSON.parse(again.stdout)).toEqual({ database: 'postgres', applied: [], alreadyApplied: ids });
}, 60_000);

it('start refuses to run without a master key, or with a bad setting, naming it', () => {
  const url = pg.createDatabase('cli_start');
  const noKey = cli(['start', '--port', '0'], { DATABASE_URL: url });
  expect(noKey.status).toBe(2);
  expect(noKey.stderr).toContain('LEDGERBRIDGE_MASTER_KEY is required');
  const badKey = cli(['start', '--port', '0'], { DATABASE_URL: url, LEDGERBRIDGE_MASTER_KEY: 'too-short' });
  expect(badKey.status).toBe(2);
  expect(badKey.stderr).toMatch(/masterKey: must be 32 random bytes/);
  const badDb = cli(['start', '--port', '0'], { DATABASE_URL: 'mysql://nope', LEDGERBRIDGE_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') });
  expect(badDb.status).toBe(2);
  expect(badDb.stderr).toContain('database.url');
  expect(cli(['start', '--bogus']).status).toBe(2);
}, 60_000);

it('start names a busy port and the flag that picks a free one, without a stack trace', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const url = pg.createDatabase('cli_busy');
    const r = cli(['start', '--port', String(port), '--host', '127.0.0.1'], { DATABASE_URL: url, LEDGERBRIDGE_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`ledgerbridge start: port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).toContain('--port 0');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
}, 60_000);

describe('a build older than its sources', () => {
  const trees: string[] = [];
  afterAll(() => {
    for (const t of trees) fs.rmSync(t, { recursive: true, force: true });
  });

  const T0 = Date.parse('2030-01-01T00:00:00Z') / 1000;
  /** Writes a file under root with the given mtime (seconds). */
  function put(root: string, file: string, mtime: number, text = ''): void {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    fs.utimesSync(full, mtime, mtime);
  }
  function tree(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-stale-'));
    trees.push(root);
    put(root, 'core/money.ts', T0);
    put(root, 'middleware/cli/main.ts', T0);
    put(root, 'middleware/tsconfig.json', T0);
    put(root, 'suitescripts/entry/api.ts', T0);
    put(root, 'dist/.tsbuild/core.tsbuildinfo', T0 + 10);
    put(root, 'dist/.tsbuild/middleware.tsbuildinfo', T0 + 10);
    put(root, 'src/FileCabinet/SuiteScripts/ledgerbridge/suitescripts/entry/api.js', T0 + 10);
    put(root, 'src/FileCabinet/SuiteScripts/ledgerbridge/core/money.js', T0 + 10);
    return root;
  }

  it('finds nothing when every output is newer than its sources', () => {
    const root = tree();
    expect(findStaleBuild(root)).toEqual([]);
    expect(staleBuildMessage(findStaleBuild(root))).toBe('');
  });

  it('names the source changed after dist/ or the compiled SuiteScripts, and a missing output', () => {
    const root = tree();
    fs.utimesSync(path.join(root, 'middleware/cli/main.ts'), T0 + 20, T0 + 20);
    expect(findStaleBuild(root)).toEqual([{ output: 'dist/ (middleware)', source: path.join('middleware', 'cli', 'main.ts') }]);

    // core feeds both dist/ and the compiled SuiteScripts.
    fs.utimesSync(path.join(root, 'core/money.ts'), T0 + 30, T0 + 30);
    const both = findStaleBuild(root).map((s) => s.output);
    expect(both).toEqual(['dist/ (core)', 'dist/ (middleware)', 'the compiled SuiteScripts (src/FileCabinet/SuiteScripts/ledgerbridge/)']);
    const message = staleBuildMessage(findStaleBuild(root));
    expect(message).toContain('core/money.ts changed after the compiled SuiteScripts');
    expect(message).toContain('Run `npm run build` to rebuild.');

    fs.rmSync(path.join(root, 'dist/.tsbuild/middleware.tsbuildinfo'));
    expect(findStaleBuild(root)).toContainEqual({ output: 'dist/ (middleware)', source: undefined });
  });

  it('the built command reports it, with the command that fixes it, runs the existing build and rebuilds nothing', () => {
    // A tree with this repository's command and build, and one source newer than the build.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-stale-cli-'));
    trees.push(root);
    fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(root, 'dist'));
    const info = path.join(ROOT, 'dist', '.tsbuild', 'middleware.tsbuildinfo');
    const builtAt = fs.statSync(info).mtimeMs;
    const bin = path.join(root, 'bin', 'ledgerbridge.js');

    put(root, 'middleware/cli/main.ts', builtAt / 1000 - 60);
    const current = cli(['--help'], {}, bin);
    expect(current.status).toBe(0);
    expect(current.stderr).toBe('');

    put(root, 'middleware/cli/main.ts', builtAt / 1000 + 60);
    const stale = cli(['--help'], {}, bin);
    expect(stale.status).toBe(0);
    expect(stale.stderr).toContain('ledgerbridge: the build is older than the sources:');
    expect(stale.stderr).toContain('middleware/cli/main.ts changed after dist/ (middleware) was built');
    expect(stale.stderr).toContain('Run `npm run build` to rebuild.');
    expect(stale.stdout).toMatch(/^\s+sandbox\s+\S/m); // the existing build ran
    expect(fs.statSync(info).mtimeMs).toBe(builtAt); // and nothing was rebuilt
  });
});
