/**
 * `ledgerbridge sandbox --json --port 0 --memory` from the built CLI: one JSON line with every URL and credential,
 * then a client uses them — signed webhooks for each simulated channel, a partner token, the sync records they made,
 * and a TBA-signed RESTlet call to the local NetSuite account. SIGTERM shuts it down cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, createSign, randomBytes, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { signTbaRequest } from '../../core/netsuite/oauth1';

const BIN = path.join(__dirname, '..', '..', 'bin', 'ledgerbridge.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let child: ChildProcess;
let ready: Json;

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, 'sandbox', '--json', '--port', '0', '--memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code}) before ready:\n${stderr}`)));
  });
  ready = JSON.parse(line) as Json;
}, 90_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

async function partnerToken(): Promise<string> {
  const res = await fetch(ready.partnerApi.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.partnerApi.clientId, client_secret: ready.partnerApi.clientSecret }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as Json).access_token as string;
}

describe('the sandbox ready line', () => {
  it('holds every URL and credential the contract names', () => {
    expect(ready).toMatchObject({
      ready: true,
      middleware: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
      netsuite: {
        accountId: expect.any(String),
        restlet: { scriptId: 'customscript_lb_rl_api', deployId: 'customdeploy_lb_rl_api' },
        tba: { consumerKey: expect.any(String), consumerSecret: expect.any(String), tokenId: expect.any(String), tokenSecret: expect.any(String) },
        m2m: { clientId: expect.any(String), certificateId: expect.any(String), privateKey: expect.stringContaining('PRIVATE KEY') },
      },
      partnerApi: { clientId: expect.any(String), clientSecret: expect.any(String) },
    });
    for (const kind of ['shopify', 'magento', 'ebay', 'loop', 'payments']) {
      expect(ready.channels[kind].webhookUrl).toMatch(new RegExp(`/webhooks/${kind}/`));
    }
    expect(ready.channels.amazon.webhookUrl).toBeNull();
  });

  it('accepts signed webhooks on every simulated channel and shows their sync records to the partner', async () => {
    const c = ready.channels;
    const shopifyBody = `{"id":${2n ** 60n},"order_id":"1"}`;
    const loopBody = '{"id":"r1","trigger":"return.created"}';
    const payBody = '{"id":"evt_1","type":"payment.succeeded"}';
    const msgId = `msg_${randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const magentoBody = '{"entity":"creditmemo","id":"5"}';
    const whKey = Buffer.from(String(c.magento.secret).slice('whsec_'.length), 'base64');
    const ebayBody = JSON.stringify({ metadata: { topic: 'ITEM_MARKED_SHIPPED' }, notification: { notificationId: randomUUID(), eventDate: new Date().toISOString(), data: {} } });
    const ebaySig = createSign('sha1').update(ebayBody).sign({ key: c.ebay.signingKey.privateKeyPem, dsaEncoding: 'der' }).toString('base64');
    const sends: Array<[string, Record<string, string>, string]> = [
      [c.shopify.webhookUrl, { 'x-shopify-hmac-sha256': createHmac('sha256', c.shopify.secret).update(shopifyBody).digest('base64'), 'x-shopify-topic': 'refunds/create', 'x-shopify-event-id': randomUUID() }, shopifyBody],
      [c.loop.webhookUrl, { 'x-loop-signature': createHmac('sha256', c.loop.secret).update(loopBody).digest('base64') }, loopBody],
      [c.payments.webhookUrl, { authorization: `Bearer ${c.payments.secret}` }, payBody],
      [
        c.magento.webhookUrl,
        { 'webhook-id': msgId, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${createHmac('sha256', whKey).update(`${msgId}.${ts}.${magentoBody}`).digest('base64')}` },
        magentoBody,
      ],
      [
        c.ebay.webhookUrl,
        { 'x-ebay-signature': Buffer.from(JSON.stringify({ alg: 'ECDSA', kid: c.ebay.signingKey.kid, signature: ebaySig, digest: 'SHA1' })).toString('base64') },
        ebayBody,
      ],
    ];
    for (const [url, headers, body] of sends) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect({ url, status: res.status }).toEqual({ url, status: 202 });
    }
    const token = await partnerToken();
    const list = await fetch(`${ready.middleware.url}/v1/sync-records?limit=50`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    const items = ((await list.json()) as Json).items as Json[];
    expect(new Set(items.map((r) => r.channelId))).toEqual(new Set(['sandbox-shopify', 'sandbox-loop', 'sandbox-payments', 'sandbox-magento', 'sandbox-ebay']));
  }, 30_000);

  it('lets a client call the local NetSuite account\'s RESTlet with the printed TBA credentials', async () => {
    const url = ready.netsuite.restlet.url as string;
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"health"}' });
    expect(unsigned.status).toBe(401);
    const { authorization } = signTbaRequest({
      ...ready.netsuite.tba,
      method: 'POST',
      url,
      realm: ready.netsuite.realm,
      nonce: randomBytes(16).toString('hex'),
      timestamp: Math.floor(Date.now() / 1000),
    });
    const signed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{"action":"health"}' });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ action: 'health' });
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);
});
