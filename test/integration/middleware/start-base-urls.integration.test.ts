/**
 * `ledgerbridge start` (the built bin/, a real OS process, production configuration from the environment only)
 * pointed by configuration at a local NetSuite account (emulator/http, a separate host started here) and a
 * simulated Shopify: a refund made on Shopify, retrieved through the partner API, is fetched from the simulator
 * and posted to the local account as a cash refund. Without LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES the same
 * configuration is refused (exit 2, naming each setting), and so is a base URL that is not an http(s) URL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount } from '../../../emulator';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type RunningNetSuiteHost } from '../../../emulator/http';
import { defaultSandboxSeed, loadSeed, parseSeed, seedSandbox } from '../../../emulator/seed';
import { orderExternalId, refundExternalId } from '../../../core/refunds';
import { startShopifySimulator, type ShopifySimulator } from '../../../middleware/simulators/shopify';
import { openDb } from '../../../middleware/store/open-db';
import { migrate } from '../../../middleware/store/migrate';
import { createSecretBox } from '../../../middleware/security/secret-box';
import { ensureTenant } from '../../../middleware/store/sql/tenants';
import { createChannel, createConnection } from '../../../middleware/tenancy/tenancy-service';
import { createPartnerAuth } from '../../../middleware/partner-api';
import { waitFor } from './harness';
import { ConfigError, loadConfig } from '../../../middleware/config';
import { accountUrl } from '../../../middleware/ports/netsuite';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'ledgerbridge.js');
const BUILT = path.join(ROOT, 'dist', 'middleware', 'cli', 'start-command.js');
const ACCOUNT_ID = 'TSTDRV7700001';
const TENANT = 'tenant-base-urls';

let account: LocalAccount;
let netsuite: RunningNetSuiteHost;
let shopify: ShopifySimulator;
let dataDir: string;
let child: ChildProcess | undefined;
const masterKey = randomBytes(32).toString('base64');

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LEDGERBRIDGE_DATA_DIR: dataDir, LEDGERBRIDGE_MASTER_KEY: masterKey, LEDGERBRIDGE_JOB_POLL_SECONDS: '0.5', LOG_LEVEL: 'info', ...extra };
}

function startProcess(extra: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const started = spawn(process.execPath, [BIN, 'start', '--port', '0', '--host', '127.0.0.1'], { env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let stderr = '';
  started.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    started.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === 'ledgerbridge middleware listening') resolve({ child: started, url: String(parsed.url) });
      }
    });
    started.on('exit', (code) => reject(new Error(`ledgerbridge start exited (${code}) before listening:\n${stderr}`)));
  });
}

let channelId: string;
let partner: { clientId: string; clientSecret: string };

beforeAll(async () => {
  if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` before the integration tests`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-base-urls-'));
  account = createLocalAccount({ accountId: ACCOUNT_ID });
  seedSandbox(account.engine);
  const creds = generateSandboxCredentials();
  netsuite = await createNetSuiteHost({ accountId: ACCOUNT_ID, runner: account.restlets, records: account.engine, credentials: hostCredentialsFor(creds) }).listen(0, '127.0.0.1');
  shopify = await startShopifySimulator({ seedSampleOrders: false, webhookSecret: randomBytes(24).toString('hex') });

  // The store `start` will open (embedded PGlite in the data folder): a tenant, its NetSuite connection (the
  // account id only: no URL is stored), a Shopify channel (its real-looking shop domain only) and a partner client.
  const db = await openDb({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  try {
    await migrate(db);
    const secretBox = createSecretBox(masterKey);
    await ensureTenant(db, { id: TENANT, name: TENANT });
    const connection = await createConnection(db, secretBox, TENANT, { name: 'Local account', accountId: ACCOUNT_ID, authKind: 'tba', credentials: creds.tba });
    if (!connection.ok) throw new Error(connection.error.message);
    const channel = await createChannel(db, secretBox, TENANT, {
      kind: 'shopify',
      name: 'Shop',
      connectionId: connection.value.id,
      settings: { shopDomain: shopify.shopDomain, refundDirection: 'platform_to_netsuite' },
      secrets: { webhookSecret: shopify.webhookSecret, accessToken: shopify.accessToken },
    });
    if (!channel.ok) throw new Error(channel.error.message);
    channelId = channel.value.id;
    const created = await createPartnerAuth({ db, secretBox, issuer: 'urn:ledgerbridge', audience: 'ledgerbridge-partner-api' }).createClient(TENANT, ['sync:read', 'sync:write']);
    partner = { clientId: created.clientId, clientSecret: created.clientSecret };
  } finally {
    await db.close();
  }
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await netsuite?.close();
  await shopify?.close();
  await account?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const overrides = () => ({ LEDGERBRIDGE_NETSUITE_BASE_URL: netsuite.url, LEDGERBRIDGE_SHOPIFY_BASE_URL: shopify.url });

it('refuses base URL overrides in production without the allow flag, naming each setting', () => {
  const r = spawnSync(process.execPath, [BIN, 'start', '--port', '0'], { env: env(overrides()), encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('baseUrls.netsuite');
  expect(r.stderr).toContain('baseUrls.shopify');
  expect(r.stderr).toContain('LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES=true');
  // An eBay API host other than eBay's own is an override too.
  const ebay = spawnSync(process.execPath, [BIN, 'start', '--port', '0'], { env: env({ LEDGERBRIDGE_EBAY_API_URL: 'http://127.0.0.1:9' }), encoding: 'utf8', timeout: 30_000 });
  expect(ebay.status).toBe(2);
  expect(ebay.stderr).toContain('ebay.apiBaseUrl');
  // Not a URL (or not http/https): refused with the setting named, allowed or not.
  const bad = spawnSync(process.execPath, [BIN, 'start', '--port', '0'], { env: env({ LEDGERBRIDGE_NETSUITE_BASE_URL: 'ftp://127.0.0.1/', LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'true' }), encoding: 'utf8', timeout: 30_000 });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('baseUrls.netsuite');
});

it('takes a NetSuite base URL template with {accountId}, filled in host form; sandbox mode needs no allow flag', () => {
  const base = { LEDGERBRIDGE_MASTER_KEY: masterKey, LEDGERBRIDGE_DATA_DIR: dataDir };
  const config = loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_NETSUITE_BASE_URL: 'https://{accountId}.restlets.example.test', LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'true' } });
  expect(accountUrl(config.baseUrls.netsuite as string, '1234567_SB1')).toBe('https://1234567-sb1.restlets.example.test');
  expect(loadConfig({ mode: 'sandbox', env: { ...base, LEDGERBRIDGE_SHOPIFY_BASE_URL: 'http://127.0.0.1:1' } }).baseUrls.shopify).toBe('http://127.0.0.1:1');
  expect(() => loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_MAGENTO_BASE_URL: 'not a url', LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'true' } })).toThrow(ConfigError);
  expect(() => loadConfig({ mode: 'production', env: { ...base, LEDGERBRIDGE_RETENTION_DAYS: '0' } })).toThrow(/retention\.days/);
  expect(loadConfig({ mode: 'production', env: base }).retention.days).toBe(90);
});

it('documents the variables in --help', () => {
  const r = spawnSync(process.execPath, [BIN, 'start', '--help'], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(0);
  for (const name of ['LEDGERBRIDGE_NETSUITE_BASE_URL', 'LEDGERBRIDGE_SHOPIFY_BASE_URL', 'LEDGERBRIDGE_MAGENTO_BASE_URL', 'LEDGERBRIDGE_AMAZON_BASE_URL', 'LEDGERBRIDGE_EBAY_API_URL', 'LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES', 'LEDGERBRIDGE_RETENTION_DAYS']) {
    expect(r.stdout).toContain(name);
  }
});

it('pointed at the local account and the simulated Shopify, syncs a Shopify refund into NetSuite as a cash refund', async () => {
  // The order on Shopify and, as the order import leaves it, in the local account billed by cash sale.
  const order = shopify.createOrder({ lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] });
  const externalId = orderExternalId('shopify', shopify.shopDomain, order.id);
  loadSeed(
    account.engine,
    parseSeed({ orders: [{ externalId, storefrontOrderId: order.id, customer: 'sandbox-cust-acme', billing: 'cashsale', lines: [{ sku: 'LB-STOVE', quantity: 2, price: '49.50' }] }] }, defaultSandboxSeed()),
  );
  // The refund is made on Shopify with no webhook subscribed: the middleware learns of it only by asking Shopify.
  const { refund } = await shopify.issueRefund(order.id, { lines: [{ sku: 'LB-STOVE', quantity: 1 }] });

  const { url } = await startProcess({ ...overrides(), LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'true' });
  const tokenRes = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret }).toString(),
  });
  expect(tokenRes.status).toBe(200);
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const retrieved = await fetch(`${url}/v1/channels/${channelId}/orders/${order.id}/retrieve-refunds`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = (await retrieved.json()) as { refunds?: Array<{ refundId: string; outcome: string }> };
  expect(retrieved.status).toBe(200);
  expect(body.refunds).toEqual([expect.objectContaining({ refundId: String(refund.id), outcome: 'queued' })]);

  const cashRefundExternalId = refundExternalId({ platform: 'shopify', account: shopify.shopDomain, refundId: String(refund.id) }, 'cashrefund');
  const id = await waitFor(
    async () =>
      account.engine.search({ type: 'cashrefund', filters: [['externalid', 'anyof', cashRefundExternalId], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] })[0]?.id,
    30_000,
    'the cash refund in the local account',
  );
  expect(account.engine.load('cashrefund', String(id)).fields.total).toBe('49.50');
  // The middleware reached the simulator and the account over HTTP (their request logs).
  expect(shopify.state.requests.some((r) => r.path.endsWith(`/orders/${order.id}/refunds.json`) && r.status === 200)).toBe(true);

  const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
  child?.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 90_000);
