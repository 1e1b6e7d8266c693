/**
 * Scale-out on a real PostgreSQL 15 server: two middleware processes (separate apps, pools and pg-boss instances)
 * start together (migrations serialise on an advisory lock), share webhook intake and the job queue, and process
 * every event exactly once.
 */
import { randomBytes } from 'node:crypto';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { post, seedChannel, shopifyHeaders, startTestMiddleware, waitFor } from './harness';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import type { SyncProcessor } from '../../../middleware/sync/sync-worker';

const SECRET = randomBytes(24).toString('hex');
const N = 60;

let pg: TestPostgres;
let a: RunningMiddleware;
let b: RunningMiddleware;
const calls: Array<{ process: string; recordId: string }> = [];

function processorFor(name: string): SyncProcessor {
  return async ({ record }) => {
    calls.push({ process: name, recordId: record.id });
    await new Promise((r) => setTimeout(r, 30));
    return { kind: 'posted' };
  };
}

beforeAll(async () => {
  pg = await startPostgres();
  const url = pg.createDatabase('scale_out');
  const masterKey = randomBytes(32).toString('base64');
  [{ mw: a }, { mw: b }] = await Promise.all([
    startTestMiddleware({ database: { kind: 'postgres', url }, processor: processorFor('a'), logLevel: 'warn', masterKey }),
    startTestMiddleware({ database: { kind: 'postgres', url }, processor: processorFor('b'), logLevel: 'warn', masterKey }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  pg?.stop();
});

describe('two middleware processes on one PostgreSQL', () => {
  it('migrated once although both started together', async () => {
    const rows = await a.db.query<{ id: string }>('select id from lb_schema_migrations order by id');
    expect(rows.rows.map((r) => r.id)).toEqual([...new Set(rows.rows.map((r) => r.id))]);
    expect(rows.rows.length).toBeGreaterThanOrEqual(1);
  });

  it('share intake and jobs: N webhooks sent to both are each processed exactly once', async () => {
    // The channel (and its sealed secret) written through one process is usable by the other: they share the
    // master key as production processes do.
    const channelId = await seedChannel(a, 'tenant-scale', { kind: 'shopify', name: 'Shop', settings: { shopDomain: 'scale.myshopify.com' }, secrets: { webhookSecret: SECRET } });
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => {
        const body = `{"id":${9_007_199_254_741_000n + BigInt(i)},"n":${i}}`;
        const target = i % 2 === 0 ? a : b;
        return post(`${target.url}/webhooks/shopify/${channelId}`, shopifyHeaders(SECRET, body, `evt-${i}`), body);
      }),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    const ids = results.map((r) => r.json.syncRecordId as string);

    await waitFor(
      async () => {
        const n = await a.db.query<{ n: number }>("select count(*)::int as n from lb_sync_records where state = 'posted' and tenant_id = 'tenant-scale'");
        return n.rows[0]?.n === N ? true : undefined;
      },
      40_000,
      'all records posted',
    );
    // Exactly once: every record's processor ran once, in one process or the other.
    const perRecord = new Map<string, number>();
    for (const c of calls) perRecord.set(c.recordId, (perRecord.get(c.recordId) ?? 0) + 1);
    for (const id of ids) expect(perRecord.get(id)).toBe(1);
    expect(calls.length).toBe(N);
    expect(calls.some((c) => c.process === 'a')).toBe(true);
    expect(calls.some((c) => c.process === 'b')).toBe(true);
  }, 60_000);

  it('dedupes one event delivered to both processes at once', async () => {
    const channelId = await seedChannel(b, 'tenant-scale', { kind: 'shopify', name: 'Shop 2', settings: { shopDomain: 'scale2.myshopify.com' }, secrets: { webhookSecret: SECRET } });
    const body = '{"id":"1"}';
    const headers = shopifyHeaders(SECRET, body, 'evt-both');
    const answers = await Promise.all([a, b, a, b, a, b].map((mw) => post(`${mw.url}/webhooks/shopify/${channelId}`, headers, body)));
    expect(answers.filter((r) => r.status === 202)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(5);
  });
});
