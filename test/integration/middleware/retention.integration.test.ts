// Retention on PGlite: events taken in through the real intake path (acceptEvent), their records moved to every
// state and aged; one prune deletes exactly the final records (posted, skipped, cancelled) past the retention with
// their history, attempts and events, keeps everything else, keeps a compact dedupe row for an event still inside
// the redelivery window (a redelivery stays a duplicate), deletes that row once the window has passed, and works in
// batches. The schedule is registered on pg-boss.
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { acceptEvent } from '../../../middleware/sync/sync-service';
import { pruneExpired, RETENTION_QUEUE, startRetention, type RetentionSettings } from '../../../middleware/retention';
import { seedChannel, startTestMiddleware } from './harness';

let mw: RunningMiddleware;
let channelId: string;
const TENANT = 'tenant-retention';
const NOW = new Date('2026-06-30T12:00:00Z');
const DAY = 86_400_000;
const settings: RetentionSettings = { days: 90, redeliveryWindowHours: 72, batchSize: 3, maxBatchesPerRun: 100, cron: '23 3 * * *' };

beforeAll(async () => {
  ({ mw } = await startTestMiddleware({ workers: false, logLevel: 'warn' }));
  channelId = await seedChannel(mw, TENANT, { kind: 'shopify', name: 'Shop', settings: { shopDomain: 'ret.myshopify.com' }, secrets: { webhookSecret: 'retention-test-secret-0123' } });
}, 60_000);

afterAll(async () => {
  await mw?.close();
});

let seq = 0;
/** One event through the intake's store path, then its record set to `state`, last changed and received `ageDays` ago. */
async function record(state: string, ageDays: number, receivedAgeDays = ageDays): Promise<{ eventId: string; recordId: string; platformEventId: string; refundId: string }> {
  seq += 1;
  const n = seq;
  const platformEventId = `evt-${n}`;
  const accepted = await acceptEvent(mw.db, mw.jobs, {
    tenantId: TENANT,
    channelId,
    platformEventId,
    topic: 'retention/test',
    externalKey: `key-${n}`,
    headers: { 'x-test': String(n) },
    body: JSON.stringify({ id: n }),
  });
  const recordId = accepted.syncRecordId as string;
  const changed = new Date(NOW.getTime() - ageDays * DAY).toISOString();
  const received = new Date(NOW.getTime() - receivedAgeDays * DAY).toISOString();
  await mw.db.query('update lb_sync_records set state = $2, state_changed_at = $3, created_at = $4 where id = $1', [recordId, state, changed, received]);
  await mw.db.query('update lb_webhook_events set received_at = $2 where id = $1', [accepted.eventId, received]);
  await mw.db.query("insert into lb_sync_attempts (sync_record_id, attempt, outcome) values ($1, 1, 'posted')", [recordId]);
  await mw.db.query(
    "insert into lb_refunds (id, tenant_id, channel_id, direction, source_key, sync_record_id, netsuite_records) values ($1, $2, $3, 'inbound', $4, $5, '[{\"type\":\"cashrefund\",\"id\":\"9\"}]'::jsonb)",
    [`refund-${n}`, TENANT, channelId, `src-${n}`, recordId],
  );
  return { eventId: accepted.eventId, recordId, platformEventId, refundId: `refund-${n}` };
}

const count = async (sql: string, params: unknown[]): Promise<number> => Number((await mw.db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
const exists = {
  record: (id: string) => count('select count(*) as n from lb_sync_records where id = $1', [id]),
  event: (id: string) => count('select count(*) as n from lb_webhook_events where id = $1', [id]),
  transitions: (id: string) => count('select count(*) as n from lb_sync_transitions where sync_record_id = $1', [id]),
  attempts: (id: string) => count('select count(*) as n from lb_sync_attempts where sync_record_id = $1', [id]),
};

it('prunes final records past the retention with their history, and nothing else', async () => {
  const old = { posted: await record('posted', 120), skipped: await record('skipped', 91), cancelled: await record('cancelled', 400) };
  const young = { posted: await record('posted', 89), skipped: await record('skipped', 10) };
  const open = await Promise.all(['received', 'queued', 'posting', 'parked', 'failed'].map((state) => record(state, 500)));
  // More old final records than one batch holds (batchSize 3).
  const more = await Promise.all([1, 2, 3, 4].map(() => record('posted', 200)));
  for (const r of [...Object.values(old), ...more]) expect(await exists.transitions(r.recordId)).toBeGreaterThan(0);

  const report = await pruneExpired(mw.db, settings, NOW);
  expect(report).toMatchObject({ syncRecords: 7, events: 7, eventsCompacted: 0, attempts: 7, more: false });
  expect(report.batches).toBeGreaterThanOrEqual(3);

  for (const r of [...Object.values(old), ...more]) {
    expect(await exists.record(r.recordId)).toBe(0);
    expect(await exists.event(r.eventId)).toBe(0);
    expect(await exists.transitions(r.recordId)).toBe(0);
    expect(await exists.attempts(r.recordId)).toBe(0);
  }
  for (const r of [...Object.values(young), ...open]) {
    expect(await exists.record(r.recordId)).toBe(1);
    expect(await exists.event(r.eventId)).toBe(1);
    expect(await exists.attempts(r.recordId)).toBe(1);
    expect(await exists.transitions(r.recordId)).toBeGreaterThan(0);
  }
  // The refund flow's facts stay (what NetSuite holds for the refund, its dedupe by source): only the link goes.
  const kept = await mw.db.query<{ sync_record_id: string | null; netsuite_records: unknown[] }>('select sync_record_id, netsuite_records from lb_refunds where id = $1', [old.posted.refundId]);
  expect(kept.rows).toHaveLength(1);
  expect(kept.rows[0]?.sync_record_id).toBeNull();
  expect(kept.rows[0]?.netsuite_records).toHaveLength(1);

  // A second run finds nothing more.
  expect(await pruneExpired(mw.db, settings, NOW)).toMatchObject({ syncRecords: 0, events: 0, dedupeRowsDeleted: 0 });
});

it('keeps the dedupe key of an event the platform may still redeliver, then deletes it after the window', async () => {
  const short: RetentionSettings = { ...settings, days: 1 };
  // What the first test left (younger than 90 days) is pruned first under a one-day retention.
  await pruneExpired(mw.db, short, NOW);
  // Posted two days ago, received two days ago: past a one-day retention, inside the 72 h redelivery window.
  const r = await record('posted', 2);
  const report = await pruneExpired(mw.db, short, NOW);
  expect(report).toMatchObject({ syncRecords: 1, events: 0, eventsCompacted: 1 });
  expect(await exists.record(r.recordId)).toBe(0);
  const row = (await mw.db.query<{ body: string; headers: unknown; platform_event_id: string }>('select body, headers, platform_event_id from lb_webhook_events where id = $1', [r.eventId])).rows[0];
  expect(row).toEqual({ body: '', headers: {}, platform_event_id: r.platformEventId });

  // The platform delivers the same event again: still a duplicate, nothing new is made.
  const again = await acceptEvent(mw.db, mw.jobs, { tenantId: TENANT, channelId, platformEventId: r.platformEventId, topic: 'retention/test', externalKey: 'again', headers: {}, body: '{}' });
  expect(again.duplicate).toBe(true);
  expect(again.syncRecordId).toBeNull();

  // A day later the window (72 h from receipt) has passed: the compact row goes.
  const later = await pruneExpired(mw.db, short, new Date(NOW.getTime() + 1.5 * DAY));
  expect(later.dedupeRowsDeleted).toBe(1);
  expect(await exists.event(r.eventId)).toBe(0);
});

it('never deletes an event whose record is not final, however old', async () => {
  const parked = await record('parked', 3000);
  const failed = await record('failed', 3000);
  await pruneExpired(mw.db, { ...settings, days: 1, redeliveryWindowHours: 1 }, NOW);
  for (const r of [parked, failed]) {
    expect(await exists.record(r.recordId)).toBe(1);
    expect(await exists.event(r.eventId)).toBe(1);
  }
});

it('registers its cron schedule on pg-boss and prunes when run', async () => {
  const r = await record('cancelled', 365);
  const retention = await startRetention({ db: mw.db, jobs: mw.jobs, logger: mw.logger, now: () => NOW }, { ...settings, cron: '5 4 * * *' });
  const schedules = await mw.db.query<{ name: string; cron: string }>('select name, cron from pgboss.schedule where name = $1', [RETENTION_QUEUE]);
  expect(schedules.rows).toEqual([{ name: RETENTION_QUEUE, cron: '5 4 * * *' }]);
  expect((await retention.run()).syncRecords).toBe(1);
  expect(await exists.record(r.recordId)).toBe(0);
});
