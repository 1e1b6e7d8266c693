// The outbox in the local NetSuite account: the User Event's cost and echo-loop rule, the RESTlet's pull/ack
// cursor, and the Map/Reduce push that marks events delivered only after a 2xx.
// N/https in the local account blocks its thread while it waits (as SuiteScript does), so the middleware stand-in
// that receives pushes runs in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import type { PulledOutboxEvent } from '../../../core/contracts/restlet';
import { invoke, seededAccount, type Seeded } from './local-account';

let s: Seeded;
beforeEach(() => {
  s = seededAccount();
});
afterEach(async () => {
  await s.account.close();
});

function outboxRecords(): Array<{ id: string; status: string; recordId: string }> {
  return s.account.engine
    .search({ type: 'customrecord_lb_outbox', filters: [], columns: [{ name: 'custrecord_lb_ob_status' }, { name: 'custrecord_lb_ob_recid' }] })
    .map((r) => ({ id: r.id, status: String(r.values.custrecord_lb_ob_status?.value), recordId: String(r.values.custrecord_lb_ob_recid?.value) }));
}

/** A person rings up a cash sale and refunds it in the UI: the refund's save fires the outbox User Event. */
function refundInUi(memo: string): string {
  const saleId = s.account.ui.create('cashsale', {
    fields: { entity: s.customerId, memo: `sale for ${memo}` },
    sublists: { item: [{ item: s.items['SKU-A'] as string, quantity: 1, rate: 10 }] },
  });
  return s.account.ui.transform('cashsale', saleId, 'cashrefund', { fields: { memo } });
}

function ueReports() {
  return s.account.usage().filter((u) => u.scriptId === 'customscript_lb_ue_outbox');
}

describe('outbox User Event', () => {
  it('records a UI save as one pending event for at most 6 units, with no outbound HTTP', () => {
    const refundId = refundInUi('counter refund');
    const reports = ueReports();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.unitsUsed).toBeLessThanOrEqual(6);
    expect(reports[0]?.calls.map((c) => c.api)).not.toContain('https');
    expect(outboxRecords()).toEqual([expect.objectContaining({ status: 'pending', recordId: refundId })]);
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
    // The middleware was down before acking the others: a new sweep from "0" still sees them.
    const sweep = (await invoke<'outbox.pull'>(s.account, { action: 'outbox.pull', after: '0' })).body;
    expect(sweep.events.map((e) => e.recordId)).toEqual(ids.slice(1));
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

describe('outbox Map/Reduce push', () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;

  // A stand-in middleware in another process: answers 500 for events of the record ids in FAIL, 200 otherwise,
  // and appends every body it receives to a file.
  const SERVER = `
    const http = require('node:http'); const fs = require('node:fs');
    const fail = new Set((process.env.FAIL || '').split(',').filter(Boolean));
    const server = http.createServer((req, res) => {
      let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
        fs.appendFileSync(process.env.LOG, body + '\\n');
        const ok = req.headers.authorization === 'Bearer push-secret' && !fail.has(JSON.parse(body).event.recordId);
        res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' }); res.end('{}');
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));`;

  async function startServer(fail: string[]): Promise<void> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-push-'));
    server = spawn(process.execPath, ['-e', SERVER], { env: { ...process.env, FAIL: fail.join(','), LOG: path.join(dir, 'log') }, stdio: ['ignore', 'pipe', 'inherit'] });
    const [chunk] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    url = `http://127.0.0.1:${chunk.toString().trim()}/v1/netsuite/outbox`;
  }

  afterEach(() => {
    server?.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('marks delivered only the events the middleware answered with 2xx; the rest stay pending', async () => {
    const ok1 = refundInUi('a');
    const failing = refundInUi('b');
    const ok2 = refundInUi('c');
    await startServer([failing]);
    s.account.setParameters('customdeploy_lb_mr_outbox_push', { custscript_lb_push_url: url, custscript_lb_push_token: 'push-secret' });
    const result = s.account.runMapReduce('customscript_lb_mr_outbox_push');
    expect(result.inputError).toBeNull();
    const byRecord = Object.fromEntries(outboxRecords().map((r) => [r.recordId, r.status]));
    expect(byRecord).toEqual({ [ok1]: 'delivered', [failing]: 'pending', [ok2]: 'delivered' });
    const received = fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outboxId: string; event: { recordId: string } });
    expect(received.map((b) => b.event.recordId).sort()).toEqual([ok1, failing, ok2].sort());
    // The pull path still offers the undelivered event.
    const pulled = (await invoke<'outbox.pull'>(s.account, { action: 'outbox.pull', after: '0' })).body;
    expect(pulled.events.map((e) => e.recordId)).toEqual([failing]);
  });

  it('leaves everything pending while the middleware is unreachable', async () => {
    refundInUi('a');
    await startServer([]);
    server.kill();
    await once(server, 'exit');
    s.account.setParameters('customdeploy_lb_mr_outbox_push', { custscript_lb_push_url: url, custscript_lb_push_token: 'push-secret' });
    s.account.runMapReduce('customscript_lb_mr_outbox_push');
    expect(outboxRecords().map((r) => r.status)).toEqual(['pending']);
  });
});
