/**
 * Kill -9 while jobs run: a middleware child process (built dist/) on a real PostgreSQL accepts N webhooks and is
 * SIGKILLed mid-processing; a second process started on the same database finishes the work. Every accepted event
 * ends posted, each effect exists exactly once, and the interrupted attempts are on record.
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

const CHILD = path.join(__dirname, 'crash-child.js');
const BUILT = path.join(__dirname, '..', '..', '..', 'dist', 'middleware', 'runtime', 'server.js');
const SECRET = randomBytes(24).toString('hex');
const N = 24;

let pg: TestPostgres;
let db: StoreHandle;
const children: ChildProcess[] = [];

function startChild(url: string, masterKey: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ url, masterKey, expireInSeconds: 2 })], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before ready: ${stderr}`)));
  });
}

beforeAll(async () => {
  if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` before the integration tests`);
  pg = await startPostgres();
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await db?.close();
  pg?.stop();
});

it('finishes every accepted event exactly once after the process is SIGKILLed mid-job', async () => {
  const url = pg.createDatabase('crash');
  const masterKey = randomBytes(32).toString('base64');
  db = await openDb({ kind: 'postgres', url, poolSize: 3 });
  await migrate(db);
  await db.query('create table test_effects (id bigserial primary key, external_key text not null, pid integer not null)');
  await ensureTenant(db, { id: 'tenant-crash', name: 'crash' });
  const channel = await createChannel(db, createSecretBox(masterKey), 'tenant-crash', {
    kind: 'shopify',
    name: 'Shop',
    settings: { shopDomain: 'crash.myshopify.com' },
    secrets: { webhookSecret: SECRET },
  });
  if (!channel.ok) throw new Error(channel.error.message);

  const first = await startChild(url, masterKey);
  const accepted = await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const body = `{"id":${4_503_599_627_370_496n * 4n + BigInt(i)}}`;
      return post(`${first.url}/webhooks/shopify/${channel.value.id}`, shopifyHeaders(SECRET, body, `crash-${i}`), body);
    }),
  );
  expect(accepted.every((r) => r.status === 202)).toBe(true);

  // Kill once some work is done and some is in flight.
  await waitFor(async () => {
    const n = (await db.query<{ n: number }>('select count(*)::int as n from test_effects')).rows[0]?.n ?? 0;
    return n >= 3 ? true : undefined;
  }, 30_000, 'first effects');
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  const postedAtKill = (await db.query<{ n: number }>("select count(*)::int as n from lb_sync_records where state = 'posted'")).rows[0]?.n ?? 0;
  expect(postedAtKill).toBeLessThan(N);

  const second = await startChild(url, masterKey);
  await waitFor(async () => {
    const n = (await db.query<{ n: number }>("select count(*)::int as n from lb_sync_records where state = 'posted'")).rows[0]?.n ?? 0;
    return n === N ? true : undefined;
  }, 60_000, 'all records posted after restart');
  second.child.kill('SIGTERM');

  const effects = await db.query<{ external_key: string; n: number }>('select external_key, count(*)::int as n from test_effects group by external_key');
  expect(effects.rows).toHaveLength(N);
  expect(effects.rows.every((r) => r.n === 1)).toBe(true);
  const interrupted = await db.query<{ n: number }>("select count(*)::int as n from lb_sync_attempts where outcome = 'interrupted'");
  expect(interrupted.rows[0]?.n).toBeGreaterThanOrEqual(1);
}, 120_000);
