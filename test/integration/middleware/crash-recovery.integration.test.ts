/**
 * Kill -9 while jobs run: a middleware child process (built dist/) on a real PostgreSQL accepts N webhooks and is
 * SIGKILLed mid-processing; a second process started on the same database finishes the work. Every accepted event
 * ends posted, each effect exists exactly once, and the interrupted attempts are on record.
 *
 * The recovery stall, with the configuration's defaults (expireInSeconds 120, maintenance every 30 s): a process
 * SIGKILLed mid-job stops renewing the job's lease, and a peer process runs the job again within seconds (measured
 * and printed), exactly once.
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

function startChild(url: string, masterKey: string, options: Record<string, unknown> = { expireInSeconds: 2, superviseIntervalSeconds: 1 }): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ url, masterKey, ...options })], { stdio: ['ignore', 'pipe', 'pipe'] });
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

let leaseDb: StoreHandle | undefined;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await db?.close();
  await leaseDb?.close();
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

it('a peer runs the job of a SIGKILLed process again within seconds (default expiry), exactly once', async () => {
  const url = pg.createDatabase('crash_lease');
  const masterKey = randomBytes(32).toString('base64');
  leaseDb = await openDb({ kind: 'postgres', url, poolSize: 3 });
  const store = leaseDb;
  await migrate(store);
  await store.query('create table test_effects (id bigserial primary key, external_key text not null, pid integer not null)');
  await store.query('create table test_starts (id bigserial primary key, external_key text not null, pid integer not null, at timestamptz not null default clock_timestamp())');
  await ensureTenant(store, { id: 'tenant-lease', name: 'lease' });
  const channel = await createChannel(store, createSecretBox(masterKey), 'tenant-lease', {
    kind: 'shopify',
    name: 'Shop',
    settings: { shopDomain: 'lease.myshopify.com' },
    secrets: { webhookSecret: SECRET },
  });
  if (!channel.ok) throw new Error(channel.error.message);

  // The first process holds the attempt far longer than any lease; the configuration's default expiry (120 s) applies.
  const first = await startChild(url, masterKey, { recordStarts: true, holdMs: 600_000 });
  const body = '{"id":"77001"}';
  const res = await post(`${first.url}/webhooks/shopify/${channel.value.id}`, shopifyHeaders(SECRET, body, 'lease-1'), body);
  expect(res.status).toBe(202);
  const id = res.json.syncRecordId as string;
  await waitFor(async () => ((await store.query('select 1 from test_starts')).rows.length === 1 ? true : undefined), 30_000, 'first attempt started');
  // A peer, already running when the first dies.
  const second = await startChild(url, masterKey, { recordStarts: true });
  await new Promise((r) => setTimeout(r, 1_500)); // the first still renews its lease: the peer does not take the job
  expect((await store.query('select 1 from test_starts')).rows).toHaveLength(1);

  const killedAt = (await store.query<{ ms: number }>('select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms')).rows[0]?.ms as number;
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  const rerun = await waitFor(async () => {
    const r = await store.query<{ pid: number; ms: number }>(
      'select pid, (extract(epoch from at) * 1000)::float8 as ms from test_starts where pid <> $1 order by id',
      [first.child.pid],
    );
    return r.rows[0];
  }, 30_000, 'the job running again');
  const stallMs = Number(rerun.ms) - Number(killedAt);
  process.stdout.write(`recovery stall after SIGKILL: ${Math.round(stallMs)} ms (job expiry ${120} s)\n`);
  expect(rerun.pid).toBe(second.child.pid);
  expect(stallMs).toBeLessThan(10_000);

  await waitFor(async () => {
    const r = await store.query<{ state: string }>('select state from lb_sync_records where id = $1', [id]);
    return r.rows[0]?.state === 'posted' ? true : undefined;
  }, 15_000, 'posted by the peer');
  await new Promise((r) => setTimeout(r, 2_000)); // nothing runs it a third time
  const starts = await store.query<{ pid: number }>('select pid from test_starts order by id');
  expect(starts.rows.map((r) => r.pid)).toEqual([first.child.pid, second.child.pid]);
  expect((await store.query('select 1 from test_effects')).rows).toHaveLength(1);
  const attempts = await store.query<{ attempt: number; outcome: string }>('select attempt, outcome from lb_sync_attempts where sync_record_id = $1 order by attempt', [id]);
  expect(attempts.rows).toEqual([
    { attempt: 1, outcome: 'interrupted' },
    { attempt: 2, outcome: 'posted' },
  ]);
  second.child.kill('SIGTERM');
  await new Promise((r) => second.child.once('exit', r));
}, 90_000);
