/**
 * `ledgerbridge migrate` and `ledgerbridge start` from the built CLI, configured only through the environment:
 * migrate applies every migration to a real PostgreSQL server once (a second run applies nothing); start refuses
 * to run without a master key, and with bad settings, naming them; the command list names all three commands.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { migrations } from '../../../middleware/store/migrations';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'ledgerbridge.js');

let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);

afterAll(() => pg?.stop());

function cli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', ...env } });
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
