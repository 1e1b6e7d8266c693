/**
 * `ledgerbridge sandbox --json --port 0 --memory` from the built CLI: one JSON line with every URL and credential,
 * then a client uses them — signed webhooks for each simulated channel, a partner token, the sync records they made,
 * and a TBA-signed RESTlet call to the local NetSuite account. SIGTERM shuts it down cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, createPrivateKey, createSign, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import * as path from 'node:path';
import { signTbaRequest } from '../../core/netsuite/oauth1';

const BIN = path.join(__dirname, '..', '..', 'bin', 'ledgerbridge.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let child: ChildProcess;
let ready: Json;
/** Every complete line the sandbox wrote to stdout (checked after the tests' own traffic). */
const stdoutLines: string[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, 'sandbox', '--json', '--port', '0', '--memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        stdoutLines.push(out.slice(0, nl));
        out = out.slice(nl + 1);
      }
      if (stdoutLines.length > 0) resolve(stdoutLines[0] as string);
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

/** A value at a dotted path of the ready line. */
function at(path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Json)[key] : undefined), ready);
}

const URL_RE = /^http:\/\/127\.0\.0\.1:\d+(\/|$)/;
const TOKEN_RE = /^[A-Za-z0-9_\-+/=]{16,}$/;

// DESIGN.md "Contracts": one line with every URL and credential a client needs. One assertion per named field.
const CONTRACT_FIELDS: Array<[string, string, (v: unknown) => boolean]> = [
  ['middleware URL', 'middleware.url', (v) => typeof v === 'string' && /^http:\/\/127\.0\.0\.1:\d+$/.test(v)],
  ['NetSuite account id', 'netsuite.accountId', (v) => typeof v === 'string' && v.length > 0],
  ['local NetSuite URL', 'netsuite.url', (v) => typeof v === 'string' && URL_RE.test(v)],
  ['RESTlet script id', 'netsuite.restlet.scriptId', (v) => v === 'customscript_lb_rl_api'],
  ['RESTlet deploy id', 'netsuite.restlet.deployId', (v) => v === 'customdeploy_lb_rl_api'],
  ['RESTlet URL', 'netsuite.restlet.url', (v) => typeof v === 'string' && URL_RE.test(v) && v.includes('/app/site/hosting/restlet.nl?script=customscript_lb_rl_api&deploy=customdeploy_lb_rl_api')],
  ['TBA consumer key', 'netsuite.tba.consumerKey', (v) => typeof v === 'string' && TOKEN_RE.test(v)],
  ['TBA consumer secret', 'netsuite.tba.consumerSecret', (v) => typeof v === 'string' && TOKEN_RE.test(v)],
  ['TBA token key', 'netsuite.tba.tokenId', (v) => typeof v === 'string' && TOKEN_RE.test(v)],
  ['TBA token secret', 'netsuite.tba.tokenSecret', (v) => typeof v === 'string' && TOKEN_RE.test(v)],
  ['OAuth 2.0 M2M client id', 'netsuite.m2m.clientId', (v) => typeof v === 'string' && TOKEN_RE.test(v)],
  ['OAuth 2.0 M2M certificate id', 'netsuite.m2m.certificateId', (v) => typeof v === 'string' && v.length >= 8],
  ['OAuth 2.0 M2M private key', 'netsuite.m2m.privateKey', (v) => typeof v === 'string' && createPrivateKey(v).asymmetricKeyType === 'ec'],
  ['OAuth 2.0 M2M token URL', 'netsuite.m2m.tokenUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.endsWith('/services/rest/auth/oauth2/v1/token')],
  ['partner API client id', 'partnerApi.clientId', (v) => typeof v === 'string' && v.length > 0],
  ['partner API client secret', 'partnerApi.clientSecret', (v) => typeof v === 'string' && v.length >= 16],
  ['partner API token URL', 'partnerApi.tokenUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.endsWith('/oauth/token')],
  ['partner API JWKS URL', 'partnerApi.jwksUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.endsWith('/.well-known/jwks.json')],
  ['OpenAPI URL', 'middleware.openapiUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.endsWith('/openapi.json')],
  ['Shopify webhook URL', 'channels.shopify.webhookUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.includes('/webhooks/shopify/')],
  ['Shopify webhook secret', 'channels.shopify.secret', (v) => typeof v === 'string' && v.length >= 32],
  ['Magento webhook URL', 'channels.magento.webhookUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.includes('/webhooks/magento/')],
  ['Magento webhook secret (Standard Webhooks)', 'channels.magento.secret', (v) => typeof v === 'string' && v.startsWith('whsec_')],
  ['eBay webhook URL', 'channels.ebay.webhookUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.includes('/webhooks/ebay/')],
  ['eBay signing key', 'channels.ebay.signingKey.privateKeyPem', (v) => typeof v === 'string' && createPrivateKey(v).asymmetricKeyType === 'ec'],
  ['eBay signing key id', 'channels.ebay.signingKey.kid', (v) => typeof v === 'string' && v.length > 0],
  ['Loop webhook URL', 'channels.loop.webhookUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.includes('/webhooks/loop/')],
  ['Loop webhook secret', 'channels.loop.secret', (v) => typeof v === 'string' && v.length >= 32],
  ['payments webhook URL', 'channels.payments.webhookUrl', (v) => typeof v === 'string' && URL_RE.test(v) && v.includes('/webhooks/payments/')],
  ['payments webhook secret', 'channels.payments.secret', (v) => typeof v === 'string' && v.length >= 32],
  ['Amazon (polled: no webhook URL)', 'channels.amazon.webhookUrl', (v) => v === null],
];

describe('the sandbox ready line', () => {
  it('is one JSON line on stdout and nothing else', () => {
    expect(stdoutLines).toEqual([expect.stringMatching(/^\{.*\}$/)]);
  });

  it.each(CONTRACT_FIELDS)('holds the %s (%s)', (_what, field, valid) => {
    expect({ field, valid: valid(at(field)) }).toEqual({ field, valid: true });
  });

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

  it('lets a client log in with the printed OAuth 2.0 M2M credentials and call the RESTlet with the bearer token', async () => {
    const m2m = ready.netsuite.m2m as Json;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope: 'restlets' })
      .setProtectedHeader({ alg: m2m.algorithm as string, kid: m2m.certificateId as string, typ: 'JWT' })
      .setIssuer(m2m.clientId as string)
      .setAudience(m2m.tokenUrl as string)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti(randomUUID())
      .sign(await importPKCS8(m2m.privateKey as string, m2m.algorithm as string));
    const tokenRes = await fetch(m2m.tokenUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token: bearer } = (await tokenRes.json()) as Json;
    const call = await fetch(ready.netsuite.restlet.url as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer as string}` },
      body: '{"action":"health"}',
    });
    expect(call.status).toBe(200);
    expect(await call.json()).toMatchObject({ action: 'health' });
  });

  it('issues partner tokens whose issuer, audience and key match the printed issuer, audience and JWKS URL', async () => {
    const token = await partnerToken();
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Json) as [Json, Json];
    expect(payload).toMatchObject({ iss: ready.partnerApi.issuer, aud: ready.partnerApi.audience, tenant_id: ready.tenantId });
    expect(String(payload.scope).split(' ').sort()).toEqual([...(ready.partnerApi.scopes as string[])].sort());
    const jwks = (await (await fetch(ready.partnerApi.jwksUrl as string)).json()) as { keys: Json[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    const openapi = await fetch(ready.middleware.openapiUrl as string);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as Json).openapi).toBe('3.1.0');
    for (const probe of ['healthUrl', 'readyUrl', 'metricsUrl']) expect({ probe, status: (await fetch(ready.middleware[probe] as string)).status }).toEqual({ probe, status: 200 });
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Logs went to stderr the whole time: stdout still holds only the ready line.
    expect(stdoutLines).toHaveLength(1);
  }, 20_000);
});
