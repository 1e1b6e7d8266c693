// On PGlite, with every migration applied: "why not"'s refund events of an order, found through the index on the
// order id the store reads from each refund event body (lb_refund_event_order_id, migration 0010), are exactly the
// events the flow itself reads as that order's: order ids as JSON numbers (plain, past 2^53, written with an
// exponent or a fraction, -0), as strings, nested in an imported refund, bodies that are not JSON or not objects,
// an order id that only appears elsewhere in the body, and events of other topics or channels.
import { openDb, type StoreHandle } from '../../../middleware/store/open-db';
import { migrate } from '../../../middleware/store/migrate';
import { insertSyncRecord } from '../../../middleware/store/sql/sync-records';
import { insertWebhookEvent } from '../../../middleware/store/sql/webhook-events';
import { refundSyncRecords } from '../../../middleware/flows/refunds/operations';

let db: StoreHandle;
const TENANT = 'tenant-why';
const CHANNEL = 'channel-why';
const OTHER = 'channel-other';

let seq = 0;
async function event(channelId: string, topic: string, body: string): Promise<string> {
  seq += 1;
  const id = `rec-${seq}`;
  await insertWebhookEvent(db, { id: `evt-${seq}`, tenant_id: TENANT, channel_id: channelId, platform_event_id: `p-${seq}`, topic, headers: {}, body });
  await insertSyncRecord(db, { id, tenant_id: TENANT, channel_id: channelId, event_id: `evt-${seq}`, topic, external_key: `k-${seq}`, state: 'received' });
  return id;
}

const found = async (orderId: string): Promise<string[]> => (await refundSyncRecords(db, TENANT, CHANNEL, { orderId })).map((r) => r.id).sort();

const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await openDb({ kind: 'pglite', dataDir: 'memory://' });
  await migrate(db);
  await db.query("insert into lb_tenants (id, name) values ($1, 'Why')", [TENANT]);
  for (const c of [CHANNEL, OTHER]) {
    await db.query("insert into lb_channels (id, tenant_id, kind, role, name) values ($1, $2, 'shopify', 'cart', $1)", [c, TENANT]);
  }
  ids.number = await event(CHANNEL, 'refunds/create', '{"id": 1, "order_id": 450789469, "note": "x"}');
  ids.bigNumber = await event(CHANNEL, 'refunds/create', '{"id": 2, "order_id": 12345678901234567890}');
  ids.exponent = await event(CHANNEL, 'refunds/create', '{"id": 3, "order_id": 1.0e3}');
  ids.fraction = await event(CHANNEL, 'refunds/create', '{"id": 4, "order_id": 77.0}');
  ids.minusZero = await event(CHANNEL, 'refunds/create', '{"id": 5, "order_id": -0}');
  ids.string = await event(CHANNEL, 'refunds/create', '{"id": 6, "order_id": "A-100"}');
  ids.escaped = await event(CHANNEL, 'refunds/create', '{"id": 7, "order_id": "A\\u002D200"}');
  ids.imported = await event(CHANNEL, 'ledgerbridge/refund.import', '{"refund": {"refundId": "r9", "orderId": "450789469"}, "via": "poll"}');
  ids.importedFlat = await event(CHANNEL, 'ledgerbridge/refund.import', '{"orderId": "450789469"}');
  ids.unreadable = await event(CHANNEL, 'ledgerbridge/refund.unreadable', '{"kind": "unreadable_platform_item", "orderId": "450789469", "itemId": "450789469"}');
  ids.elsewhere = await event(CHANNEL, 'refunds/create', '{"id": 450789469, "order_id": 1}');
  ids.notJson = await event(CHANNEL, 'refunds/create', 'order_id=450789469');
  ids.array = await event(CHANNEL, 'refunds/create', '[{"order_id": 450789469}]');
  ids.duplicateKey = await event(CHANNEL, 'refunds/create', '{"order_id": 1, "order_id": 450789469}');
  ids.orderTopic = await event(CHANNEL, 'orders/create', '{"id": 450789469, "order_id": 450789469}');
  ids.otherChannel = await event(OTHER, 'refunds/create', '{"id": 8, "order_id": 450789469}');
}, 60_000);

afterAll(async () => {
  await db?.close();
});

test('an order id as a JSON number, a string, or inside an imported refund finds its refund events only', async () => {
  expect(await found('450789469')).toEqual([ids.number, ids.unreadable, ids.imported, ids.duplicateKey].sort());
  expect(await found('A-100')).toEqual([ids.string]);
  expect(await found('A-200')).toEqual([]); // strpos over the raw body decides first, as before
});

test('numbers the database cannot read as the flow does are still found', async () => {
  expect(await found('12345678901234567890')).toEqual([ids.bigNumber]);
  expect(await found('1000')).toEqual([]); // the raw body holds "1.0e3", not "1000"
  expect(await found('77')).toEqual([ids.fraction]);
  expect(await found('0')).toEqual([ids.minusZero]);
  expect(await found('1')).toEqual([ids.elsewhere]);
});

test('the order id the index reads from each body', async () => {
  const read = async (topic: string, body: string) => (await db.query<{ v: string | null }>('select lb_refund_event_order_id($1, $2) as v', [topic, body])).rows[0]?.v;
  expect(await read('refunds/create', '{"order_id": 450789469}')).toBe('450789469');
  expect(await read('refunds/create', '{"order_id": "x\\"y"}')).toBe('x"y');
  expect(await read('refunds/create', '{"order_id": ""}')).toBeNull();
  expect(await read('refunds/create', '{"order_id": null}')).toBeNull();
  expect(await read('refunds/create', '{"order_id": 1.5}')).toBe('*');
  expect(await read('refunds/create', '{"order_id": 1e3}')).toBe('*');
  expect(await read('refunds/create', 'not json')).toBe('*');
  expect(await read('refunds/create', '')).toBeNull();
  expect(await read('ledgerbridge/refund.import', '{"refund": "450789469"}')).toBeNull();
  expect(await read('ledgerbridge/refund.unreadable', '{"orderId": 42}')).toBe('42');
});
