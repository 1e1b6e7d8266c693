/**
 * Scale-out with the real command: two `ledgerbridge start` OS processes (built bin/, production configuration from
 * the environment only) on one PostgreSQL 15 server the test starts. Webhooks sent to both are accepted by both,
 * every job runs exactly once across the two, both take a share of the work, and both stop on SIGTERM.
 * (scale-out.integration.test.ts covers the same with two in-process instances and a counting processor.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { post, shopifyHeaders, waitFor } from './harness';
import { openDb, type StoreHandle } from '../../../middleware/store/open-db';
import { migrate } from '../../../middleware/store/migrate';
import { createSecretBox } from '../../../middleware/security/secret-box';
import { ensureTenant } from '../../../middleware/store/sql/tenants';
import { createChannel } from '../../../middleware/tenancy/tenancy-service';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'ledgerbridge.js');
const BUILT = path.join(__dirname, '..', '..', '..', 'dist', 'middleware', 'cli', 'start-command.js');
const SECRET = randomBytes(24).toString('hex');
const N = 40;

interface Started {
  name: string;
  child: ChildProcess;
  url: string;
  /** Parsed JSON log lines (stdout). */
  logs: Array<Record<string, unknown>>;
}

let pg: TestPostgres;
let db: StoreHandle;
const processes: Started[] = [];

function startProcess(name: string, databaseUrl: string, masterKey: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    LEDGERBRIDGE_MASTER_KEY: masterKey,
    LEDGERBRIDGE_INSTANCE_NAME: name,
    LEDGERBRIDGE_JOB_POLL_SECONDS: '0.5',
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const started: Started = { name, child, url: '', logs: [] };
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        started.logs.push(parsed);
        if (parsed.msg === 'ledgerbridge middleware listening') {
          started.url = String(parsed.url);
          processes.push(started);
          resolve(started);
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`ledgerbridge start (${name}) exited (${code}) before listening:\n${stderr}`)));
  });
}

beforeAll(async () => {
  if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` before the integration tests`);
  pg = await startPostgres();
}, 60_000);

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await db?.close();
  pg?.stop();
});

it('two `ledgerbridge start` processes share intake and jobs on one PostgreSQL, each job processed once', async () => {
  const url = pg.createDatabase('scale_cli');
  const masterKey = randomBytes(32).toString('base64');
  db = await openDb({ kind: 'postgres', url, poolSize: 2 });
  await migrate(db);
  await ensureTenant(db, { id: 'tenant-cli', name: 'cli' });
  const channel = await createChannel(db, createSecretBox(masterKey), 'tenant-cli', {
    kind: 'shopify',
    name: 'Shop',
    settings: { shopDomain: 'cli.myshopify.com' },
    secrets: { webhookSecret: SECRET },
  });
  if (!channel.ok) throw new Error(channel.error.message);

  const [a, b] = await Promise.all([startProcess('lb-a', url, masterKey), startProcess('lb-b', url, masterKey)]);
  // A topic no flow handles: each record is parked by exactly one attempt, which makes double processing visible.
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const body = `{"id":${2n ** 62n + BigInt(i)}}`;
      const target = i % 2 === 0 ? a : b;
      return post(`${target.url}/webhooks/shopify/${channel.value.id}`, shopifyHeaders(SECRET, body, `cli-${i}`, 'app/uninstalled'), body);
    }),
  );
  expect(results.map((r) => r.status)).toEqual(Array(N).fill(202));
  const ids = results.map((r) => r.json.syncRecordId as string);

  await waitFor(async () => {
    const r = await db.query<{ n: number }>("select count(*)::int as n from lb_sync_records where tenant_id = 'tenant-cli' and state = 'parked'");
    return r.rows[0]?.n === N ? true : undefined;
  }, 40_000, 'every record parked');

  const attempts = await db.query<{ sync_record_id: string; n: number }>(
    'select sync_record_id, count(*)::int as n from lb_sync_attempts where sync_record_id = any($1::text[]) group by sync_record_id',
    [ids],
  );
  expect(attempts.rows).toHaveLength(N);
  expect(attempts.rows.every((r) => r.n === 1)).toBe(true);

  // Who ran what, from each process's own logs: every record once in all, and both processes did some.
  const ranBy = (p: Started): string[] => p.logs.filter((l) => l.msg === 'sync attempt finished').map((l) => String(l.syncRecordId));
  const all = [...ranBy(a), ...ranBy(b)];
  expect(all.sort()).toEqual([...ids].sort());
  expect(ranBy(a).length).toBeGreaterThan(0);
  expect(ranBy(b).length).toBeGreaterThan(0);

  for (const p of [a, b]) {
    const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
    p.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
}, 90_000);
