// A refund whose NetSuite write committed but whose answer never reached the middleware: the local account holds
// that answer back, the middleware is stopped while the attempt waits for it (its job goes back to the queue), and a
// new middleware on the same store resumes the sync record (`resumed: true`). The resumed attempt must find what the
// interrupted one wrote, by externalId, and finish from there: posted, one NetSuite record of each kind, no
// exception, no second customer refund. One case per record kind the refund flow writes.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalAccount } from '../../../emulator';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type RunningNetSuiteHost } from '../../../emulator/http';
import type { RestletInvocation, RestletOutcome, RestletRunner } from '../../../emulator/http/restlet-runner';
import { seedSandbox } from '../../../emulator/seed';
import { refundExternalId, type NetSuiteRefundRecordKind } from '../../../core/refunds';
import { startShopifySimulator } from '../../../middleware/simulators/shopify';
import { ensureTenant } from '../../../middleware/store/sql/tenants';
import { createChannel, createConnection } from '../../../middleware/tenancy/tenancy-service';
import type { RunningMiddleware } from '../../../middleware/runtime/server';
import { startTestMiddleware } from '../middleware/harness';
import { ACCOUNT_ID, TENANT, recordsByExternalId, shopifyOrderInNetSuite, waitForState, type Stack } from './stack';

/** The local account's RESTlets, except that the answer to one chosen write is never sent (the write commits). */
class LostAnswerRunner implements RestletRunner {
  private target: { match: (body: string) => string | null; committed: (externalId: string) => void } | null = null;
  /** Invocations whose answer is being held back (never answered). */
  held = 0;

  constructor(private readonly inner: RestletRunner) {}

  resolve(script: string, deploy: string): { scriptId: string; deployId: string } | null {
    return this.inner.resolve(script, deploy);
  }

  /** The next batch that writes a `toType` record commits, and its answer never arrives; resolves with its externalId. */
  loseAnswerTo(toType: string): Promise<string> {
    return new Promise((resolve) => {
      this.target = {
        match: (body) => {
          const parsed = JSON.parse(body || '{}') as { operations?: Array<{ kind: string; toType?: string; recordType?: string; externalId?: string }> };
          const write = (parsed.operations ?? []).find((op) => (op.kind === 'create' || op.kind === 'transform') && (op.toType ?? op.recordType) === toType);
          return write?.externalId ?? null;
        },
        committed: resolve,
      };
    });
  }

  async invoke(invocation: RestletInvocation): Promise<RestletOutcome> {
    const target = this.target;
    const outcome = await this.inner.invoke(invocation);
    const externalId = target && invocation.method === 'POST' ? target.match(invocation.body) : null;
    if (target && externalId) {
      this.target = null;
      this.held += 1;
      target.committed(externalId);
      return new Promise<RestletOutcome>(() => undefined);
    }
    return outcome;
  }
}

const account = createLocalAccount({ accountId: ACCOUNT_ID });
const seeded = seedSandbox(account.engine);
const runner = new LostAnswerRunner(account.restlets);
const creds = generateSandboxCredentials();
const host = createNetSuiteHost({ accountId: ACCOUNT_ID, runner, records: account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: 20 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-refund-resume-'));
const masterKey = randomBytes(32).toString('base64');
let netsuite: RunningNetSuiteHost | undefined;
let netsuiteUrl = '';
let stack: Stack;
let channelId = '';

async function startMw(): Promise<RunningMiddleware> {
  const { mw } = await startTestMiddleware({
    logLevel: 'warn',
    masterKey,
    database: { kind: 'pglite', dataDir },
    shutdownTimeoutMs: 300,
    jobs: { retryDelaySeconds: 1, retryDelayMaxSeconds: 1, retryLimit: 5 },
    refunds: { netsuite: { restletBaseUrls: { [ACCOUNT_ID]: netsuiteUrl } } },
  });
  return mw;
}

beforeAll(async () => {
  netsuite = await host.listen(0, '127.0.0.1');
  netsuiteUrl = netsuite.url;
  const mw = await startMw();
  await ensureTenant(mw.db, { id: TENANT, name: TENANT });
  const connection = await createConnection(mw.db, mw.secretBox, TENANT, { name: 'Local account', accountId: ACCOUNT_ID, authKind: 'tba', credentials: creds.tba, concurrencyLimit: 10 });
  if (!connection.ok) throw new Error(connection.error.message);
  const shopify = await startShopifySimulator({ seedSampleOrders: false, webhookSecret: randomBytes(24).toString('hex') });
  const channel = await createChannel(mw.db, mw.secretBox, TENANT, {
    kind: 'shopify',
    name: 'Shop',
    connectionId: connection.value.id,
    settings: { shopDomain: shopify.shopDomain, refundDirection: 'platform_to_netsuite' },
    secrets: { webhookSecret: shopify.webhookSecret, accessToken: shopify.accessToken },
  });
  if (!channel.ok) throw new Error(channel.error.message);
  channelId = channel.value.id;
  stack = { account, seeded, host, netsuite, mw, connectionId: connection.value.id, shopify, shopifyChannelId: channelId, partner: { token: '' }, close: async () => undefined };
  wire(mw);
}, 60_000);

afterAll(async () => {
  await stack?.mw.close();
  await stack?.shopify.close();
  await netsuite?.close();
  await account.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function wire(mw: RunningMiddleware): void {
  mw.refunds.storefronts.setBaseUrl(channelId, stack.shopify.url);
  stack.shopify.setWebhookUrl(`${mw.url}/webhooks/shopify/${channelId}`);
  stack.mw = mw;
}

/** Stops the middleware while its attempt waits for the held answer, then starts a new one on the same store. */
async function restart(): Promise<void> {
  await stack.mw.close();
  wire(await startMw());
}

const ext = (refundId: string, kind: NetSuiteRefundRecordKind) => refundExternalId({ platform: 'shopify', account: stack.shopify.shopDomain, refundId }, kind);

async function syncRecordOf(refundId: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const rows = (
      await stack.mw.db.query<{ id: string; body: string }>(
        "select s.id, e.body from lb_sync_records s join lb_webhook_events e on e.id = s.event_id where s.topic = 'refunds/create' order by s.created_at",
      )
    ).rows;
    const row = rows.find((r) => r.body.includes(`"id":${refundId},`));
    if (row) return row.id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no sync record for refund ${refundId}`);
}

async function attempts(syncRecordId: string): Promise<Array<{ outcome: string | null; code: string | null }>> {
  return (
    await stack.mw.db.query<{ outcome: string | null; code: string | null }>(
      'select outcome, error_code as code from lb_sync_attempts where sync_record_id = $1 order by attempt',
      [syncRecordId],
    )
  ).rows;
}

/**
 * Issues a Shopify refund whose `lose` write's answer is held back, stops the middleware at that moment, restarts
 * it and waits for the sync record to settle.
 */
async function refundThroughCrash(orderId: string, issue: Parameters<Stack['shopify']['issueRefund']>[1], lose: NetSuiteRefundRecordKind) {
  const committed = runner.loseAnswerTo(lose);
  const { refund, delivery } = await stack.shopify.issueRefund(orderId, issue);
  const refundId = String(refund.id);
  expect(delivery.status).toBe(202);
  const syncRecordId = await syncRecordOf(refundId);
  expect(await committed).toBe(ext(refundId, lose));
  await restart();
  const settled = await waitForState(stack, syncRecordId, ['posted', 'failed', 'parked', 'skipped'], 30_000);
  return { refundId, syncRecordId, settled };
}

function only(type: NetSuiteRefundRecordKind, externalId: string) {
  const ids = recordsByExternalId(account, type, externalId);
  expect(ids).toHaveLength(1);
  return account.engine.load(type, ids[0] as string);
}

/** Customer refunds of the customer (any externalId), to prove no second one was written. */
function customerRefundsOf(customerId: string): string[] {
  return account.engine
    .search({ type: 'customerrefund', filters: [['customer', 'anyof', customerId], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] })
    .map((r) => String(r.id));
}

const TENT = { sku: 'LB-TENT-2P', quantity: 1, price: '199.00' };
const STOVE = { sku: 'LB-STOVE', quantity: 2, price: '49.50' };

async function expectResumedAndPosted(syncRecordId: string, settled: { state: string; state_code: string | null; state_message: string | null }) {
  expect({ state: settled.state, code: settled.state_code }).toEqual({ state: 'posted', code: null });
  expect(settled.state_message).toContain('written by an earlier attempt');
  const tried = await attempts(syncRecordId);
  expect(tried[0]?.outcome).toBe('interrupted');
  expect(tried.at(-1)?.outcome).toBe('posted');
  const exceptions = (await stack.mw.db.query<{ n: string }>("select count(*)::text as n from lb_sync_records where id = $1 and state = 'failed'", [syncRecordId])).rows[0];
  expect(exceptions?.n).toBe('0');
}

describe('a resumed attempt finishes from what the interrupted one wrote', () => {
  it('cash sale: the cash refund committed, its answer lost -> posted with that one cash refund', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [TENT, STOVE] }, 'cashsale');
    const { refundId, syncRecordId, settled } = await refundThroughCrash(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] }, 'cashrefund');
    await expectResumedAndPosted(syncRecordId, settled);
    const cashRefund = only('cashrefund', ext(refundId, 'cashrefund'));
    expect(cashRefund.fields.total).toBe('49.50');
    expect(cashRefund.fields.createdfrom).toBe(order.billingId);
  }, 60_000);

  it('open invoice: the credit memo committed, its answer lost -> posted with the credit memo alone, no customer refund', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'invoice', { customer: 'sandbox-cust-jane' });
    const customer = String(account.engine.load('salesorder', order.salesOrderId).fields.entity);
    const before = customerRefundsOf(customer);
    const { refundId, syncRecordId, settled } = await refundThroughCrash(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 2 }] }, 'creditmemo');
    await expectResumedAndPosted(syncRecordId, settled);
    expect(only('creditmemo', ext(refundId, 'creditmemo')).fields.total).toBe('99.00');
    expect(account.engine.load('invoice', order.billingId as string).fields.amountremaining).toBe('0.00');
    expect(recordsByExternalId(account, 'customerrefund', ext(refundId, 'customerrefund'))).toHaveLength(0);
    expect(customerRefundsOf(customer)).toEqual(before);
  }, 60_000);

  it('paid invoice: the credit memo committed, its answer lost -> only the customer refund is written, for the planned amount', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'invoice_paid');
    const { refundId, syncRecordId, settled } = await refundThroughCrash(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] }, 'creditmemo');
    await expectResumedAndPosted(syncRecordId, settled);
    const memo = only('creditmemo', ext(refundId, 'creditmemo'));
    const payout = only('customerrefund', ext(refundId, 'customerrefund'));
    expect(memo.fields.total).toBe('49.50');
    expect(payout.fields.total).toBe('49.50');
    expect(payout.sublists.apply?.find((l) => l.apply === true)?.doc).toBe(memo.id);
  }, 60_000);

  it('paid invoice: the customer refund committed, its answer lost -> posted with both records, nothing written again', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [STOVE] }, 'invoice_paid', { customer: 'sandbox-cust-acme' });
    const customer = String(account.engine.load('salesorder', order.salesOrderId).fields.entity);
    const { refundId, syncRecordId, settled } = await refundThroughCrash(order.sim.id, { lines: [{ sku: 'LB-STOVE', quantity: 2 }] }, 'customerrefund');
    await expectResumedAndPosted(syncRecordId, settled);
    expect(only('creditmemo', ext(refundId, 'creditmemo')).fields.total).toBe('99.00');
    const payout = only('customerrefund', ext(refundId, 'customerrefund'));
    expect(payout.fields.total).toBe('99.00');
    expect(customerRefundsOf(customer).filter((id) => id === payout.id)).toHaveLength(1);
  }, 60_000);

  it('customer deposit: the customer refund committed, its answer lost -> posted with it, not deposit_insufficient', async () => {
    const order = shopifyOrderInNetSuite(stack, { lines: [TENT] }, 'deposit', { depositAmount: '199.00', customer: 'sandbox-cust-jane' });
    const customer = String(account.engine.load('salesorder', order.salesOrderId).fields.entity);
    const before = customerRefundsOf(customer);
    const { refundId, syncRecordId, settled } = await refundThroughCrash(order.sim.id, { lines: [], amount: '150.00' }, 'customerrefund');
    await expectResumedAndPosted(syncRecordId, settled);
    const payout = only('customerrefund', ext(refundId, 'customerrefund'));
    expect(payout.fields.total).toBe('150.00');
    expect(account.engine.load('customerdeposit', order.billingId as string).fields.unapplied).toBe('49.00');
    expect(customerRefundsOf(customer)).toEqual([...before, payout.id].sort((a, b) => Number(a) - Number(b)));
    const stored = (await stack.mw.db.query<{ netsuite_records: Array<{ kind: string; id: string }> }>('select netsuite_records from lb_refunds where sync_record_id = $1', [syncRecordId])).rows[0];
    expect(stored?.netsuite_records.map((r) => [r.kind, r.id])).toEqual([['customerrefund', payout.id]]);
  }, 60_000);

  it('every answer held back was for a write that committed', () => {
    expect(runner.held).toBe(5);
  });
});
