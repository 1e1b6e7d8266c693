/**
 * The sandbox keeps one world across restarts, from the built CLI on a fresh data folder: refunds made both ways
 * (NetSuite → Shopify, eBay and Amazon → NetSuite) post; after SIGTERM and a start on the same folder the local
 * account, the simulators, the credentials and the partner client are the same, the first run's NetSuite records
 * are still in the account, and new refunds (other orders) post too. A folder whose local account state file was
 * deleted is refused at start, naming the fix, and left as it was.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { signTbaRequest } from '../../core/netsuite/oauth1';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'ledgerbridge.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let dataDir: string;
const running: ChildProcess[] = [];

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-sandbox-restart-'));
});

afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The environment of a user with nothing configured (the folder comes from --data-dir). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'LEDGERBRIDGE_CONFIG', 'LEDGERBRIDGE_MASTER_KEY', 'LEDGERBRIDGE_DATA_DIR', 'PORT']) delete env[name];
  return env;
}

function start(): Promise<{ child: ChildProcess; ready: Json; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--json', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, ready: JSON.parse(out.slice(0, nl)) as Json, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code}) before ready:\n${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function sampleOrder(ready: Json, platform: string, billing: string): Json {
  const order = (ready.refunds.sampleOrders as Json[]).find((o) => o.platform === platform && o.billing === billing);
  if (!order) throw new Error(`no ${platform} ${billing} sample order`);
  return order;
}

/** Waits until the console shows a posted refund of the order (in `direction`) and answers it. */
function posted(ready: Json, platform: string, orderId: string, direction: 'inbound' | 'outbound'): Promise<Json> {
  return until(async () => {
    const { json } = await call('GET', `${ready.refunds.consoleUrl}/orders/${platform}/${orderId}/refunds`);
    return (json.refunds as Json[] | undefined)?.find((r) => r.direction === direction && r.state === 'posted');
  }, `${platform} order ${orderId}: ${direction} refund posted`);
}

/** The console's POSTs carry the token of its start (in its page and the ready line). */
function consoleHeaders(ready: Json): Record<string, string> {
  return { 'x-ledgerbridge-console-token': String(ready.refunds.consoleToken) };
}

/** A refund made in the local NetSuite account (cash refund or credit memo), posted to the cart. */
async function refundInNetSuite(ready: Json, platform: string, billing: string): Promise<{ order: Json; recordType: string; id: string; refund: Json }> {
  const order = sampleOrder(ready, platform, billing);
  const made = await call('POST', `${ready.refunds.consoleUrl}/orders/${platform}/${order.orderId}/netsuite-refund`, {}, consoleHeaders(ready));
  expect(made.status).toBe(201);
  const refund = await posted(ready, platform, order.orderId as string, 'outbound');
  return { order, recordType: made.json.recordType as string, id: String(made.json.id), refund };
}

/** A refund made on a marketplace, posted to NetSuite. */
async function refundOnPlatform(ready: Json, platform: string, billing: string, body: Json): Promise<{ order: Json; refund: Json }> {
  const order = sampleOrder(ready, platform, billing);
  const made = await call('POST', `${ready.refunds.consoleUrl}/orders/${platform}/${order.orderId}/refund`, body, consoleHeaders(ready));
  expect(made.status).toBe(201);
  return { order, refund: await posted(ready, platform, order.orderId as string, 'inbound') };
}

/** Reads a record from the local account's REST record service, signed with TBA credentials (a ready line's). */
async function readRecord(ready: Json, tba: Json, type: string, id: string): Promise<{ status: number; json: Json }> {
  const url = `${ready.netsuite.recordServiceUrl}/${type}/${id}`;
  const { authorization } = signTbaRequest({ ...(tba as { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string }), method: 'GET', url, realm: ready.netsuite.realm, nonce: randomBytes(16).toString('hex'), timestamp: Math.floor(Date.now() / 1000) });
  const res = await fetch(url, { headers: { authorization } });
  return { status: res.status, json: (await res.json()) as Json };
}

async function partnerToken(ready: Json): Promise<number> {
  const res = await fetch(ready.partnerApi.tokenUrl as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.partnerApi.clientId, client_secret: ready.partnerApi.clientSecret }),
  });
  await res.arrayBuffer();
  return res.status;
}

it('keeps the local account, the simulators, the credentials and the sync state across a restart: refunds post both ways before and after', async () => {
  // ---- first run, on a fresh folder -------------------------------------------------------------------------
  const first = await start();
  expect(first.ready.data).toEqual({ dir: path.resolve(dataDir), restored: false });
  for (const file of ['sandbox.json', 'netsuite-account.json', 'simulators/shopify.json', 'simulators/magento.json', 'simulators/ebay.json', 'simulators/amazon.json']) {
    expect({ file, mode: fs.statSync(path.join(dataDir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  }
  const [cart1, ebay1, amazon1] = await Promise.all([
    refundInNetSuite(first.ready, 'shopify', 'cash_sale'),
    refundOnPlatform(first.ready, 'ebay', 'invoice_open', { amount: '49.50' }),
    refundOnPlatform(first.ready, 'amazon', 'cash_sale', { quantity: 1 }),
  ]);
  expect(cart1).toMatchObject({ recordType: 'cashrefund', refund: { netsuite: { recordType: 'cashrefund', internalId: cart1.id, total: '99.00' } } });
  expect(cart1.refund.storefrontRefundId).toEqual(expect.any(String));
  expect(ebay1.refund.netsuite).toMatchObject({ recordType: 'creditmemo', total: '49.50' });
  expect(amazon1.refund.netsuite).toMatchObject({ recordType: 'cashrefund', total: '49.50' });
  const refundsOf = async (ready: Json, platform: string, orderId: string) =>
    ((await call('GET', `${ready.refunds.consoleUrl}/orders/${platform}/${orderId}/refunds`)).json.refunds as Json[]).map((r) => ({ direction: r.direction, state: r.state, syncRecordId: r.syncRecordId, netsuite: r.netsuite, storefrontRefundId: r.storefrontRefundId }));
  const allRefunds = (ready: Json) => Promise.all([refundsOf(ready, 'shopify', cart1.order.orderId), refundsOf(ready, 'ebay', ebay1.order.orderId), refundsOf(ready, 'amazon', amazon1.order.orderId)]);
  // Shopify fires refunds/create for the refund the middleware made, which the middleware records too: wait until
  // every record is in a final state and nothing changed for two seconds.
  const FINAL = ['posted', 'parked', 'failed', 'cancelled'];
  let last = '';
  let stableSince = Date.now();
  const firstRunRefunds = await until(async () => {
    const now = await allRefunds(first.ready);
    const text = JSON.stringify(now);
    if (text !== last) [last, stableSince] = [text, Date.now()];
    return now.flat().every((r) => FINAL.includes(r.state as string)) && Date.now() - stableSince >= 2_000 ? now : undefined;
  }, 'first run refunds settled');
  expect(await stop(first.child)).toBe(0);

  // ---- second run, same folder ------------------------------------------------------------------------------
  const second = await start();
  expect(second.ready.data).toEqual({ dir: path.resolve(dataDir), restored: true });
  // The same credentials: the local account's TBA and M2M, the channels' webhook secrets, the partner client.
  expect(second.ready.netsuite.tba).toEqual(first.ready.netsuite.tba);
  expect(second.ready.netsuite.m2m).toMatchObject({ clientId: first.ready.netsuite.m2m.clientId, certificateId: first.ready.netsuite.m2m.certificateId, privateKey: first.ready.netsuite.m2m.privateKey });
  for (const kind of ['shopify', 'magento', 'loop', 'payments']) expect(second.ready.channels[kind].secret).toBe(first.ready.channels[kind].secret);
  expect(second.ready.channels.ebay.signingKey).toEqual(first.ready.channels.ebay.signingKey);
  expect(second.ready.partnerApi.clientId).toBe(first.ready.partnerApi.clientId);
  expect(await partnerToken({ ...second.ready, partnerApi: { ...second.ready.partnerApi, clientSecret: first.ready.partnerApi.clientSecret } })).toBe(200);
  expect(second.ready.refunds.sampleOrders).toEqual(first.ready.refunds.sampleOrders);

  // The first run's NetSuite records are still in the local account, readable with the first run's TBA credentials.
  const cashRefund = await readRecord(second.ready, first.ready.netsuite.tba as Json, 'cashrefund', cart1.id);
  expect(cashRefund.status).toBe(200);
  expect(String(cashRefund.json.id)).toBe(cart1.id);
  for (const r of [ebay1.refund, amazon1.refund]) {
    const read = await readRecord(second.ready, first.ready.netsuite.tba as Json, r.netsuite.recordType as string, String(r.netsuite.internalId));
    expect({ id: r.netsuite.internalId, status: read.status }).toEqual({ id: r.netsuite.internalId, status: 200 });
  }
  // The first run's refunds stay as they were, posted once (nothing is pulled or posted again).
  expect(firstRunRefunds[0]).toContainEqual(expect.objectContaining({ direction: 'outbound', state: 'posted' }));
  await new Promise((r) => setTimeout(r, 5_000)); // a few sweeps of the restarted middleware
  expect(await allRefunds(second.ready)).toEqual(firstRunRefunds);
  const shopifyRefunds = await fetch(`${second.ready.refunds.simulators.shopify.url}/admin/api/2025-07/orders/${cart1.order.orderId}/refunds.json`, { headers: { 'x-shopify-access-token': 'shpat_sandbox_token' } });
  expect((await shopifyRefunds.text()).match(/"refund_line_items"/g)).toHaveLength(1);

  // New refunds on other orders post both ways: the outbox cursor and the eBay/Amazon poll cursors still fit.
  const [cart2, ebay2, amazon2] = await Promise.all([
    refundInNetSuite(second.ready, 'shopify', 'invoice_paid'),
    refundOnPlatform(second.ready, 'ebay', 'cash_sale', { amount: '49.50' }),
    refundOnPlatform(second.ready, 'amazon', 'invoice_open', { quantity: 1 }),
  ]);
  expect(cart2).toMatchObject({ recordType: 'creditmemo', refund: { netsuite: { recordType: 'creditmemo', internalId: cart2.id, total: '99.00' } } });
  expect(ebay2.refund.netsuite).toMatchObject({ recordType: 'cashrefund', total: '49.50' });
  expect(amazon2.refund.netsuite).toMatchObject({ recordType: 'creditmemo', total: '49.50' });
  // The account went on from its counters: the new records are new ids.
  expect(new Set([cart1.id, cart2.id, ebay1.refund.netsuite.internalId, ebay2.refund.netsuite.internalId, amazon1.refund.netsuite.internalId, amazon2.refund.netsuite.internalId].map(String)).size).toBe(6);
  expect(await stop(second.child)).toBe(0);

  // ---- a folder that lost its local account's state file ------------------------------------------------------
  fs.rmSync(path.join(dataDir, 'netsuite-account.json'));
  const before = fs.readdirSync(dataDir).sort();
  const refused = spawnSync(process.execPath, [BIN, 'sandbox', '--json', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
  expect(refused.status).toBe(2);
  expect(refused.stdout).toBe('');
  expect(refused.stderr).toContain("the data folder's store was made with another local account");
  expect(refused.stderr).toContain(path.join(path.resolve(dataDir), 'netsuite-account.json'));
  expect(refused.stderr).toContain('--data-dir <another folder>');
  expect(refused.stderr).toContain(`delete ${path.resolve(dataDir)}`);
  // Nothing was started again from the seed in its place.
  expect(fs.readdirSync(dataDir).sort()).toEqual(before);
}, 240_000);
