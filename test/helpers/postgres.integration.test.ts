// The PostgreSQL helper's fallback on every run: a cluster from the npm package's binaries (whatever the system
// has), real SQL through pg on a created database, and stop() taking the server and its folder away.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { findPostgresBinaries, startPostgres, type TestPostgres } from './postgres';

let pg: TestPostgres | undefined;

afterAll(() => pg?.stop());

it("runs a throwaway cluster from the npm package's binaries", async () => {
  pg = await startPostgres({ source: 'embedded' });
  expect(pg.binaries.source).toBe('embedded');
  expect(pg.binaries.binDir).toContain(`${path.sep}native${path.sep}bin`);

  const url = pg.createDatabase('helper_check');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    expect(version.rows[0]?.server_version).toMatch(/^\d+\.\d+/);
    await client.query('CREATE TABLE t (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL)');
    await client.query('INSERT INTO t VALUES ($1, $2), ($3, $4)', ['9007199254740993', '10.05', '2', '0.10']);
    const sum = await client.query<{ total: string }>('SELECT sum(amount)::text AS total, max(id)::text AS id FROM t');
    expect(sum.rows[0]).toEqual({ total: '10.15', id: '9007199254740993' });
    const db = await client.query<{ current_database: string }>('SELECT current_database()');
    expect(db.rows[0]?.current_database).toBe('helper_check');
  } finally {
    await client.end();
  }

  expect(fs.existsSync(path.join(pg.dir, 'data', 'PG_VERSION'))).toBe(true);
  const { port, dir } = pg;
  pg.stop();
  expect(fs.existsSync(dir)).toBe(false);
  const after = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 });
  await expect(after.connect()).rejects.toThrow();
}, 120_000);

it('refuses an unknown forced source', () => {
  expect(() => findPostgresBinaries({ source: 'docker' as never })).toThrow(/LEDGERBRIDGE_TEST_PG must be/);
});
