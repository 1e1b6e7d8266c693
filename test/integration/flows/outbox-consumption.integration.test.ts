// The refund flow consumes the bundle's outbox completely, on the compiled SuiteScripts in the local account: every
// event it finishes with is acknowledged (skipped ones too, counted on /metrics with the reason; an edit of a refund
// already synced is also a skipped sync record on its channel), the cursor restarts
// at "0" on its schedule so a refund committed late with an id below the cursor is posted (once: an event seen again
// finds its sync record), and with the bundle's purge Map/Reduce the outbox stays bounded over many sweeps.
import type { PulledOutboxEvent } from '../../../core/contracts/restlet';
import { OUTBOX_SKIPPED_METRIC } from '../../../middleware/flows/refunds/outbound';
import type { SweepReport } from '../../../middleware/flows/refunds';
import { invoke } from '../bundle/local-account';
import { shopifyOrderInNetSuite, startStack, waitForState, type Stack } from './stack';

const OUTBOX = 'customrecord_lb_outbox';
const PURGE = 'customscript_lb_mr_outbox_purge';
const DAY = 86_400_000;
/** The cursor restarts at "0" on every third sweep (the first sweep of a connection always starts there). */
const RESTART_EVERY = 3;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    shopifySettings: () => ({ refundDirection: 'netsuite_to_platform', refunds: { orderLink: { mode: 'external_field', fieldId: 'otherrefnum' } } }),
    sweep: { outboxRestart: { everySweeps: RESTART_EVERY } },
  });
}, 30_000);
afterAll(async () => {
  await stack?.close();
});

interface Entry { id: string; status: string; recordType: string; recordId: string; ackedOn: Date | null }

function outboxEntries(): Entry[] {
  const columns = ['custrecord_lb_ob_status', 'custrecord_lb_ob_rectype', 'custrecord_lb_ob_recid', 'custrecord_lb_ob_acked'].map((name) => ({ name }));
  return stack.account.engine.search({ type: OUTBOX, filters: [], columns }).map((r) => {
    const acked = r.values.custrecord_lb_ob_acked?.value;
    return {
      id: r.id,
      status: String(r.values.custrecord_lb_ob_status?.value),
      recordType: String(r.values.custrecord_lb_ob_rectype?.value),
      recordId: String(r.values.custrecord_lb_ob_recid?.value),
      ackedOn: acked instanceof Date ? acked : null,
    };
  });
}

function entryOf(recordType: string, recordId: string): Entry {
  const entry = outboxEntries().find((e) => e.recordType === recordType && e.recordId === recordId);
  if (!entry) throw new Error(`no outbox entry for ${recordType} ${recordId}`);
  return entry;
}

/** What a pull from "0" through the bundle's RESTlet returns: every pending event. */
async function pendingFromZero(): Promise<PulledOutboxEvent[]> {
  const events: PulledOutboxEvent[] = [];
  let after = '0';
  for (;;) {
    const page = (await invoke<'outbox.pull'>(stack.account, { action: 'outbox.pull', after, limit: 100 })).body;
    events.push(...page.events);
    after = page.nextCursor;
    if (!page.more) return events;
  }
}

async function outboundRecordOf(recordType: string, recordId: string): Promise<string> {
  const row = (await stack.mw.db.query<{ id: string }>('select s.id from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where e.platform_event_id = $1', [`netsuite:${recordType}:${recordId}`])).rows;
  if (row.length !== 1) throw new Error(`${row.length} sync records for ${recordType} ${recordId}`);
  return (row[0] as { id: string }).id;
}

const sweep = (): Promise<SweepReport> => stack.mw.refunds.sweep();

/** A cash refund a person makes in NetSuite's UI for a synced Shopify order (the outbox User Event records it). */
function syncedRefundInUi(): { shopifyOrderId: string; cashRefundId: string } {
  const order = shopifyOrderInNetSuite(stack, { lines: [{ sku: 'LB-STOVE', quantity: 1, price: '49.50' }] }, 'cashsale');
  return { shopifyOrderId: order.sim.id, cashRefundId: stack.account.ui.transform('cashsale', order.billingId as string, 'cashrefund') };
}

/** A counter sale made and refunded in NetSuite only: no storefront order behind it. */
function counterRefundInUi(): string {
  const saleId = stack.account.ui.create('cashsale', {
    fields: { entity: stack.seeded.customers['sandbox-cust-acme'] as string, memo: 'counter sale' },
    sublists: { item: [{ item: stack.seeded.items['LB-STOVE'] as string, quantity: 1, rate: 49.5 }] },
  });
  return stack.account.ui.transform('cashsale', saleId, 'cashrefund');
}

const shopifyRefunds = (orderId: string) => stack.shopify.state.refunds.get(orderId) ?? [];

async function skippedMetric(): Promise<Record<string, number>> {
  const text = await (await fetch(`${stack.mw.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(new RegExp(`^${OUTBOX_SKIPPED_METRIC}\\{reason="([a-z_]+)"\\} (\\d+)$`, 'gm'))) out[m[1] as string] = Number(m[2]);
  return out;
}

it('a refund committed late with an id below the cursor is picked up by the scheduled restart and posted once', async () => {
  // The connection's first sweep starts at "0".
  expect((await sweep()).outbox.restarts).toBe(1);

  const late = syncedRefundInUi();
  const early = syncedRefundInUi();
  // The first refund's transaction has not committed when the middleware pulls: its entry is not visible yet.
  const lateEntry = entryOf('cashrefund', late.cashRefundId);
  stack.account.engine.submitFields(OUTBOX, lateEntry.id, { custrecord_lb_ob_status: 'uncommitted' });
  const second = await sweep();
  expect(second.outbox).toMatchObject({ restarts: 0, pulled: 1, queued: 1, acked: 1, pending: 0 });
  await waitForState(stack, await outboundRecordOf('cashrefund', early.cashRefundId), ['posted']);
  expect(Number(lateEntry.id)).toBeLessThan(Number(entryOf('cashrefund', early.cashRefundId).id));

  // It commits now, below the cursor: a sweep from the cursor does not see it ...
  stack.account.engine.submitFields(OUTBOX, lateEntry.id, { custrecord_lb_ob_status: 'pending' });
  const third = await sweep();
  expect(third.outbox).toMatchObject({ restarts: 0, pulled: 0, queued: 0 });
  expect(shopifyRefunds(late.shopifyOrderId)).toHaveLength(0);
  // ... the scheduled restart at "0" does, and the refund reaches Shopify.
  const fourth = await sweep();
  expect(fourth.outbox).toMatchObject({ restarts: 1, pulled: 1, queued: 1, acked: 1 });
  await waitForState(stack, await outboundRecordOf('cashrefund', late.cashRefundId), ['posted']);
  expect(shopifyRefunds(late.shopifyOrderId)).toHaveLength(1);
  expect(entryOf('cashrefund', late.cashRefundId).status).toBe('delivered');

  // Its acknowledgement is lost (the entry is pending again): the next restart sees it again, finds its sync
  // record, and acknowledges it: no second record, no second refund on Shopify.
  stack.account.engine.submitFields(OUTBOX, lateEntry.id, { custrecord_lb_ob_status: 'pending' });
  const between = [await sweep(), await sweep()];
  expect(between.map((r) => [r.outbox.restarts, r.outbox.pulled])).toEqual([
    [0, 0],
    [0, 0],
  ]);
  const again = await sweep();
  expect(again.outbox).toMatchObject({ restarts: 1, pulled: 1, queued: 0, duplicates: 1, acked: 1 });
  await outboundRecordOf('cashrefund', late.cashRefundId); // still exactly one sync record
  await new Promise((r) => setTimeout(r, 300));
  expect(shopifyRefunds(late.shopifyOrderId)).toHaveLength(1);
  expect(shopifyRefunds(early.shopifyOrderId)).toHaveLength(1);
  expect(await pendingFromZero()).toEqual([]);
});

it('acknowledges the events it skips, with the reason counted on /metrics: nothing stays pending', async () => {
  const before = await skippedMetric();
  const posted = syncedRefundInUi();
  await sweep();
  await waitForState(stack, await outboundRecordOf('cashrefund', posted.cashRefundId), ['posted']);

  // A person edits the posted refund, refunds a counter sale, writes a stand-alone credit memo, and deletes a
  // refund they made by mistake: none of them is a refund of a synced order.
  stack.account.ui.edit('cashrefund', posted.cashRefundId, { memo: 'note added after posting' });
  const counter = counterRefundInUi();
  const standalone = stack.account.ui.create('creditmemo', {
    fields: { entity: stack.seeded.customers['sandbox-cust-acme'] as string, memo: 'goodwill credit' },
    sublists: { item: [{ item: stack.seeded.items['LB-STOVE'] as string, quantity: 1, rate: 5 }] },
  });
  const mistake = counterRefundInUi();
  stack.account.ui.delete('cashrefund', mistake);
  expect((await pendingFromZero()).map((e) => [e.recordType, e.event])).toEqual([
    ['cashrefund', 'edit'],
    ['cashrefund', 'create'],
    ['creditmemo', 'create'],
    ['cashrefund', 'create'],
    ['cashrefund', 'delete'],
  ]);

  const report = await sweep();
  expect(report.outbox).toMatchObject({ pulled: 5, queued: 0, skipped: 5, acked: 5, pending: 0 });
  expect(report.errors).toEqual([]);
  expect(await pendingFromZero()).toEqual([]);
  for (const [type, id] of [['cashrefund', counter], ['creditmemo', standalone]] as const) expect(entryOf(type, id).status).toBe('delivered');
  const after = await skippedMetric();
  const added = (reason: string) => (after[reason] ?? 0) - (before[reason] ?? 0);
  // The edit and the delete are not acted on; the counter refund's sale belongs to no storefront order; the
  // stand-alone credit memo has no source record; the deleted refund's create finds the record gone.
  expect({ edits: added('event_not_acted_on'), orders: added('order_not_synced'), noSource: added('no_source_record'), gone: added('record_gone') }).toEqual({ edits: 2, orders: 1, noSource: 1, gone: 1 });
  // The edit of the refund already on Shopify is also in that refund's channel history: a skipped sync record.
  const editRecords = (
    await stack.mw.db.query<{ id: string; channel_id: string }>('select s.id, s.channel_id from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where e.platform_event_id like $1', [
      `netsuite:cashrefund:${posted.cashRefundId}:edit:%`,
    ])
  ).rows;
  expect(editRecords.map((r) => r.channel_id)).toEqual([stack.shopifyChannelId]);
  const skippedEdit = await waitForState(stack, (editRecords[0] as { id: string }).id, ['skipped', 'failed', 'posted']);
  expect(skippedEdit).toMatchObject({ state: 'skipped', state_code: 'event_not_acted_on' });
  expect(skippedEdit.state_message).toContain(`cashrefund ${posted.cashRefundId} (edit)`);
  // Nothing reached Shopify for them, and the posted refund was not posted again.
  expect(shopifyRefunds(posted.shopifyOrderId)).toHaveLength(1);
  // The next sweeps (the restart included) find nothing.
  const next = [await sweep(), await sweep(), await sweep()];
  expect(next.map((r) => r.outbox.pulled)).toEqual([0, 0, 0]);
  expect(next.some((r) => r.outbox.restarts === 1)).toBe(true);
});

it('keeps the outbox bounded over many sweeps end to end: saves in NetSuite -> sweeps -> the bundle purge, a day a round', async () => {
  const rounds = 14;
  const perRound = 3;
  const sizes: number[] = [];
  const posted: Array<{ shopifyOrderId: string; cashRefundId: string }> = [];
  // The earlier tests' events, acknowledged today: they age out with the rest.
  const earlier = outboxEntries().length;
  expect(outboxEntries().every((e) => e.status === 'delivered')).toBe(true);
  for (let day = 0; day < rounds; day++) {
    const refund = syncedRefundInUi();
    posted.push(refund);
    counterRefundInUi();
    const report = await sweep();
    await waitForState(stack, await outboundRecordOf('cashrefund', refund.cashRefundId), ['posted']);
    // Accounting corrects the memo of the refund once it is on Shopify: an edit the flow skips.
    stack.account.ui.edit('cashrefund', refund.cashRefundId, { memo: `checked on day ${day}` });
    const edits = await sweep();
    expect(report.outbox.pending + edits.outbox.pending).toBe(0);
    expect(await pendingFromZero()).toEqual([]);
    await stack.account.runMapReduce(PURGE);
    sizes.push(outboxEntries().length);
    // The night passes: every acknowledgement is a day older for the purge.
    for (const e of outboxEntries()) {
      if (e.status === 'delivered' && e.ackedOn) stack.account.engine.submitFields(OUTBOX, e.id, { custrecord_lb_ob_acked: new Date(e.ackedOn.getTime() - DAY) });
    }
  }
  // Retention 7 days: the purge keeps the last seven days' acknowledged events; the size stops growing there.
  expect(sizes.slice(0, 7)).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => earlier + d * perRound));
  expect(new Set(sizes.slice(7))).toEqual(new Set([7 * perRound]));
  expect(outboxEntries().every((e) => e.status === 'delivered')).toBe(true);
  // Every refund of a synced order reached Shopify exactly once.
  expect(posted.map((p) => shopifyRefunds(p.shopifyOrderId).length)).toEqual(posted.map(() => 1));
}, 120_000);
