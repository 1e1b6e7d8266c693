// The outbox in the local NetSuite account, on the compiled SuiteScripts: the User Event records only the record
// types a middleware flow consumes (cost and echo-loop rule), the RESTlet's pull/ack cursor (a sweep from "0" sees
// every unacknowledged event, late-committed ones too), and the purge Map/Reduce that deletes delivered entries
// after the retention, within governance, so the outbox stays bounded.
import type { PulledOutboxEvent } from '../../../core/contracts/restlet';
import { invoke, seededAccount, type Seeded } from './local-account';

const OUTBOX = 'customrecord_lb_outbox';
const PURGE = 'customscript_lb_mr_outbox_purge';
const PURGE_DEPLOY = 'customdeploy_lb_mr_outbox_purge';
const DAY = 86_400_000;

let s: Seeded;
beforeEach(() => {
  s = seededAccount();
});
afterEach(async () => {
  await s.account.close();
});

interface Row { id: string; status: string; recordId: string; recordType: string; ackedOn: Date | null }

function outboxRecords(): Row[] {
  const columns = ['custrecord_lb_ob_status', 'custrecord_lb_ob_recid', 'custrecord_lb_ob_rectype', 'custrecord_lb_ob_acked'].map((name) => ({ name }));
  return s.account.engine.search({ type: OUTBOX, filters: [], columns }).map((r) => {
    const acked = r.values.custrecord_lb_ob_acked?.value;
    return {
      id: r.id,
      status: String(r.values.custrecord_lb_ob_status?.value),
      recordId: String(r.values.custrecord_lb_ob_recid?.value),
      recordType: String(r.values.custrecord_lb_ob_rectype?.value),
      ackedOn: acked instanceof Date ? acked : null,
    };
  });
}

/** A person rings up a cash sale and refunds it in the UI: the refund's save fires the outbox User Event. */
function refundInUi(memo: string): string {
  const saleId = s.account.ui.create('cashsale', {
    fields: { entity: s.customerId, memo: `sale for ${memo}` },
    sublists: { item: [{ item: s.items['SKU-A'] as string, quantity: 1, rate: 10 }] },
  });
  return s.account.ui.transform('cashsale', saleId, 'cashrefund', { fields: { memo } });
}

function invoiceInUi(): string {
  return s.account.ui.create('invoice', {
    fields: { entity: s.customerId, memo: 'invoice' },
    sublists: { item: [{ item: s.items['SKU-B'] as string, quantity: 2, rate: 5.5 }] },
  });
}

/** Moves the acknowledgement date of delivered entries back by `days`: the clock moving on, as the purge sees it. */
function ageAcknowledgements(days: number): void {
  for (const row of outboxRecords()) {
    if (row.status !== 'delivered' || !row.ackedOn) continue;
    s.account.engine.submitFields(OUTBOX, row.id, { custrecord_lb_ob_acked: new Date(row.ackedOn.getTime() - days * DAY) });
  }
}

/** Outbox entries written straight into the account (as if recorded and acknowledged long ago). */
function seedEntries(count: number, status: 'pending' | 'delivered', ackedDaysAgo: number | null): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const rec = s.account.engine.newRecord(OUTBOX);
    Object.assign(rec.fields, {
      name: `cashrefund:seed${i}:create`,
      custrecord_lb_ob_rectype: 'cashrefund',
      custrecord_lb_ob_recid: `seed${i}`,
      custrecord_lb_ob_event: 'create',
      custrecord_lb_ob_time: new Date().toISOString(),
      custrecord_lb_ob_status: status,
      custrecord_lb_ob_acked: ackedDaysAgo === null ? null : new Date(Date.now() - ackedDaysAgo * DAY),
    });
    ids.push(s.account.engine.save(rec));
  }
  return ids;
}

function ueReports() {
  return s.account.usage().filter((u) => u.scriptId === 'customscript_lb_ue_outbox');
}

async function pullAll(after: string): Promise<{ events: PulledOutboxEvent[]; cursor: string }> {
  const events: PulledOutboxEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = (await invoke<'outbox.pull'>(s.account, { action: 'outbox.pull', after: cursor, limit: 50 })).body;
    events.push(...page.events);
    cursor = page.nextCursor;
    if (!page.more) return { events, cursor };
  }
}

describe('outbox User Event', () => {
  it('records a UI save as one pending event for at most 6 units, with no outbound HTTP', () => {
    const refundId = refundInUi('counter refund');
    const reports = ueReports();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.unitsUsed).toBeLessThanOrEqual(6);
    expect(reports[0]?.calls.map((c) => c.api)).not.toContain('https');
    expect(outboxRecords()).toEqual([expect.objectContaining({ status: 'pending', recordId: refundId, ackedOn: null })]);
  });

  it('records only the types a flow consumes: a credit memo is recorded, an invoice and a customer payment are not', () => {
    const invoiceId = invoiceInUi();
    expect(outboxRecords()).toEqual([]);
    s.account.ui.edit('invoice', invoiceId, { memo: 'edited invoice' });
    const creditMemoId = s.account.ui.transform('invoice', invoiceId, 'creditmemo', { fields: { memo: 'credit' } });
    const other = invoiceInUi();
    s.account.ui.transform('invoice', other, 'customerpayment');
    expect(outboxRecords().map((r) => [r.recordType, r.recordId])).toEqual([['creditmemo', creditMemoId]]);
    // No User Event runs at all for the types that are not recorded (no deployment).
    expect(new Set(ueReports().map((r) => r.deploymentId))).toEqual(new Set(['customdeploy_lb_ue_ob_creditmemo']));
  });

  it('skips the integration\'s own writes through the RESTlet (no echo loop)', async () => {
    const { body } = await invoke<'batch'>(s.account, {
      action: 'batch',
      operations: [
        { opId: 't', kind: 'transform', fromType: 'cashsale', from: { id: s.cashSaleId }, toType: 'cashrefund', externalId: 'shop:refund:1' },
      ],
    });
    const refundId = (body.results[0] as { id: string }).id;
    await invoke(s.account, { action: 'batch', operations: [{ opId: 's', kind: 'setFields', recordType: 'cashrefund', target: { id: refundId }, values: { memo: 'shopify refund 9' } }] });
    expect(outboxRecords()).toEqual([]);
    // A person later editing that refund is a real change and is recorded.
    s.account.ui.edit('cashrefund', refundId, { memo: 'corrected by accounting' });
    expect(outboxRecords()).toEqual([expect.objectContaining({ recordId: refundId, status: 'pending' })]);
  });
});

describe('outbox pull and ack through the RESTlet', () => {
  it('pages pending events oldest first with a cursor; acked events leave; unacked ones stay for the next sweep', async () => {
    const ids = [refundInUi('r1'), refundInUi('r2'), refundInUi('r3')];
    const page1 = (await invoke<'outbox.pull'>(s.account, { action: 'outbox.pull', after: '0', limit: 2 })).body;
    expect(page1.events.map((e) => e.recordId)).toEqual(ids.slice(0, 2));
    expect(page1.more).toBe(true);
    expect(page1.nextCursor).toBe(page1.events[1]?.id);
    const page2 = (await invoke<'outbox.pull'>(s.account, { action: 'outbox.pull', after: page1.nextCursor, limit: 2 })).body;
    expect(page2.events.map((e) => e.recordId)).toEqual([ids[2]]);
    expect(page2).toMatchObject({ more: false, nextCursor: page2.events[0]?.id });
    expect(page2.events[0]).toMatchObject({ recordType: 'cashrefund', event: 'create', occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    const first = page1.events[0] as PulledOutboxEvent;
    const ack = (await invoke<'outbox.ack'>(s.account, { action: 'outbox.ack', ids: [first.id, '999999'] })).body;
    expect(ack.results).toEqual([
      { id: first.id, status: 'acked' },
      { id: '999999', status: 'not_found' },
    ]);
    // The acknowledgement is dated (the purge counts the retention from it).
    const acked = outboxRecords().find((r) => r.id === first.id);
    expect(acked).toMatchObject({ status: 'delivered' });
    expect(Math.abs((acked?.ackedOn?.getTime() ?? 0) - Date.now())).toBeLessThan(DAY);
    // The middleware was down before acking the others: a new sweep from "0" still sees them, and not the acked one.
    const sweep = (await invoke<'outbox.pull'>(s.account, { action: 'outbox.pull', after: '0' })).body;
    expect(sweep.events.map((e) => e.recordId)).toEqual(ids.slice(1));
  });

  it('a sweep from "0" picks up an event committed late with an id below the cursor', async () => {
    const late = refundInUi('late');
    const early = refundInUi('early');
    // The first entry's transaction has not committed yet when the middleware pulls: it is not visible.
    const lateEntry = outboxRecords().find((r) => r.recordId === late) as Row;
    s.account.engine.submitFields(OUTBOX, lateEntry.id, { custrecord_lb_ob_status: 'uncommitted' });
    const first = await pullAll('0');
    expect(first.events.map((e) => e.recordId)).toEqual([early]);
    await invoke(s.account, { action: 'outbox.ack', ids: first.events.map((e) => e.id) });
    // It commits now, with an id below the cursor: a pull from the cursor misses it ...
    s.account.engine.submitFields(OUTBOX, lateEntry.id, { custrecord_lb_ob_status: 'pending' });
    expect(Number(lateEntry.id)).toBeLessThan(Number(first.cursor));
    expect((await pullAll(first.cursor)).events).toEqual([]);
    // ... and the scheduled restart at "0" finds it, without the acked one.
    const restart = await pullAll('0');
    expect(restart.events.map((e) => [e.id, e.recordId])).toEqual([[lateEntry.id, late]]);
  });

  it('costs one search per pull and 2 units per ack', async () => {
    refundInUi('r1');
    const pulled = await invoke<'outbox.pull'>(s.account, { action: 'outbox.pull', after: '0' });
    expect(pulled.body).toMatchObject({ ok: true });
    expect(pulled.units).toBe(10);
    const acked = await invoke<'outbox.ack'>(s.account, { action: 'outbox.ack', ids: pulled.body.events.map((e) => e.id) });
    expect(acked.units).toBe(2);
  });
});

describe('outbox purge Map/Reduce', () => {
  it('deletes only delivered entries acknowledged at least the retention ago; pending ones stay, however old', () => {
    const oldDelivered = seedEntries(3, 'delivered', 8);
    const atRetention = seedEntries(1, 'delivered', 7);
    const recentDelivered = seedEntries(2, 'delivered', 6);
    const oldPending = seedEntries(2, 'pending', null);
    const ancientPendingWithDate = seedEntries(1, 'pending', 400);
    const deliveredWithoutDate = seedEntries(1, 'delivered', null); // marked by a bundle before acks were dated
    const result = s.account.runMapReduce(PURGE);
    expect(result.inputError).toBeNull();
    expect(result.map.errors).toEqual([]);
    const left = outboxRecords().map((r) => r.id).sort();
    expect(left).toEqual([...recentDelivered, ...oldPending, ...ancientPendingWithDate].sort());
    expect(result.output.filter((o) => o.key === 'deleted').map((o) => o.value).sort()).toEqual([...oldDelivered, ...atRetention, ...deliveredWithoutDate].sort());
    // 1.1: one record.delete of a custom record (4 units) per map invocation.
    const maps = result.reports.filter((r) => r.entryPoint === 'map');
    expect(maps).toHaveLength(5);
    expect(maps.every((r) => r.unitsUsed === 4 && r.calls.map((c) => c.api).join() === 'record.delete')).toBe(true);
    expect(s.account.logs().some((l) => l.title === 'outbox purge finished' && String(l.details).startsWith('deleted 5, already gone 0, failed 0'))).toBe(true);
  });

  it('takes the retention from its parameter (days)', () => {
    const twoDays = seedEntries(2, 'delivered', 2);
    const today = seedEntries(1, 'delivered', 0);
    s.account.setParameters(PURGE_DEPLOY, { custscript_lb_purge_days: '3' });
    s.account.runMapReduce(PURGE);
    expect(outboxRecords()).toHaveLength(3);
    s.account.setParameters(PURGE_DEPLOY, { custscript_lb_purge_days: '1' });
    s.account.runMapReduce(PURGE);
    expect(outboxRecords().map((r) => r.id)).toEqual(today);
    expect(twoDays.every((id) => !outboxRecords().some((r) => r.id === id))).toBe(true);
  });

  it('purges thousands of entries within governance: every map far under its limit, the job yields and resumes', () => {
    const many = seedEntries(2600, 'delivered', 30);
    const keep = seedEntries(5, 'pending', null);
    const result = s.account.runMapReduce(PURGE);
    expect(result.map.errors).toEqual([]);
    expect(result.map.keys).toHaveLength(many.length);
    expect(result.map.keys.every((k) => k.completionState === 'COMPLETE')).toBe(true);
    // 2,600 × 4 units passes the 10,000-unit soft limit: the framework yields and resumes the job.
    expect(result.yields).toBeGreaterThanOrEqual(1);
    const maps = result.reports.filter((r) => r.entryPoint === 'map');
    expect(Math.max(...maps.map((r) => r.unitsUsed))).toBeLessThanOrEqual(4);
    expect(maps.every((r) => r.unitLimit === 1000)).toBe(true);
    expect(result.reports.find((r) => r.entryPoint === 'getInputData')?.unitsUsed).toBeLessThan(100);
    expect(outboxRecords().map((r) => r.id).sort()).toEqual(keep.sort());
  });

  it('is resumable: a rerun after an interrupted run deletes the rest, and entries already gone are skipped', () => {
    const entries = seedEntries(10, 'delivered', 9);
    // A run interrupted while mapping: another purge (or an admin) deleted half of its input meanwhile.
    const result = s.account.runMapReduce(PURGE, undefined, {
      onStage: (stage) => {
        if (stage === 'MAP') for (const id of entries.slice(0, 5)) s.account.engine.delete(OUTBOX, id);
      },
    });
    expect(result.map.errors).toEqual([]);
    expect(result.output.filter((o) => o.key === 'gone').map((o) => o.value).sort()).toEqual(entries.slice(0, 5).sort());
    expect(outboxRecords()).toEqual([]);
    // Nothing to do on the next run.
    const again = s.account.runMapReduce(PURGE);
    expect(again.map.keys).toEqual([]);
  });

  it('keeps the outbox bounded over many sweeps: saves -> pull -> ack -> purge, one round a day', async () => {
    const perRound = 4;
    const rounds = 30;
    let cursor = '0';
    const sizes: number[] = [];
    let handled = 0;
    for (let day = 0; day < rounds; day++) {
      for (let i = 0; i < perRound; i++) refundInUi(`d${day}-${i}`);
      // Every third round the middleware restarts its cursor at "0" (late-committed ids); the rest continue.
      const pulled = await pullAll(day % 3 === 0 ? '0' : cursor);
      cursor = pulled.cursor;
      // One event a round fails to post this day and stays pending; it is acknowledged in the next round.
      const ack = pulled.events.slice(0, Math.max(0, pulled.events.length - 1)).map((e) => e.id);
      if (ack.length > 0) await invoke(s.account, { action: 'outbox.ack', ids: ack });
      handled += ack.length;
      s.account.runMapReduce(PURGE);
      sizes.push(outboxRecords().length);
      ageAcknowledgements(1); // the night passes
    }
    // Retention 7 days: at most 8 days of delivered events plus what is pending are kept.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8 * perRound + perRound);
    // Past the retention the size stops growing: the last rounds hold no more than the eighth did, plus one day.
    expect(Math.max(...sizes.slice(8))).toBeLessThanOrEqual((sizes[7] as number) + perRound);
    // 120 events went through; about a week of them is kept.
    expect(sizes[rounds - 1]).toBeLessThanOrEqual(9 * perRound);
    expect(sizes[rounds - 1]).toBeLessThan((rounds * perRound) / 3);
    expect(handled).toBeGreaterThan(rounds * perRound - 2 * rounds);
    expect(outboxRecords().filter((r) => r.status === 'pending').length).toBeLessThanOrEqual(perRound);
  });
});
