// The bundle's compiled RESTlet (customscript_lb_rl_api / customdeploy_lb_rl_api) answering over real HTTP on
// 127.0.0.1 in the local account, with TBA (reference netsuite-platform.md 2.1) and OAuth 2.0 M2M (2.2).
// Needs the compiled SuiteScripts: `npm run build:suitescripts` (npm test builds first).
import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { createLocalAccount, type LocalAccount } from '../../../../emulator';
import {
  createNetSuiteHost,
  generateSandboxCredentials,
  hostCredentialsFor,
  type NetSuiteHost,
  type RunningNetSuiteHost,
} from '../../../../emulator/http';
import { INVALID_LOGIN_BODY, send, tbaHeader } from './helpers';

const ACCOUNT = '1234567_SB1';
const creds = generateSandboxCredentials();
let account: LocalAccount;
let host: NetSuiteHost;
let running: RunningNetSuiteHost;
let restletUrl: string;

beforeAll(async () => {
  account = createLocalAccount({ accountId: ACCOUNT });
  host = createNetSuiteHost({
    accountId: ACCOUNT,
    runner: account.restlets,
    records: account.engine,
    credentials: hostCredentialsFor(creds),
  });
  running = await host.listen();
  restletUrl = `${running.url}/app/site/hosting/restlet.nl?script=customscript_lb_rl_api&deploy=customdeploy_lb_rl_api`;
});
afterAll(async () => {
  await running.close();
  await account.close();
});

interface Health {
  ok: boolean;
  action: string;
  accountId: string;
  missingFeatures: string[];
}

const tokenUrl = () => `${running.url}/services/rest/auth/oauth2/v1/token`;

/** An ES256 client assertion for the sandbox M2M client (reference 2.2). */
function assertion(iat: number, exp: number): Promise<string> {
  return new SignJWT({ iss: creds.m2m.clientId, scope: 'restlets', aud: tokenUrl(), iat, exp, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: creds.m2m.certificateId })
    .sign(createPrivateKey(creds.m2m.privateKeyPem));
}

function exchange(clientAssertion: string) {
  return send('POST', tokenUrl(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
    }).toString(),
  });
}

describe('the bundle RESTlet over HTTP', () => {
  it('2.1: answers the health action with TBA', async () => {
    const body = JSON.stringify({ action: 'health' });
    const res = await send('POST', restletUrl, {
      headers: { Authorization: tbaHeader('POST', restletUrl, creds.tba, host.realm), 'Content-Type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const health = res.json<Health>();
    expect(health).toMatchObject({ ok: true, action: 'health', missingFeatures: [] });
    expect(health.accountId).toBe(ACCOUNT);
    // The execution ran as a RESTlet under its 5,000-unit limit (reference 1.2) and was metered by the account.
    const report = account.usage().at(-1);
    expect(report).toMatchObject({ scriptId: 'customscript_lb_rl_api', scriptType: 'Restlet', entryPoint: 'post', unitLimit: 5000 });
    expect(host.counters()).toMatchObject({ scriptRuns: 1, unitsUsed: report!.unitsUsed });
  });

  it('2.1/1.4: refuses a bad TBA signature (401 INVALID_LOGIN_ATTEMPT) without running the script', async () => {
    const header = tbaHeader('POST', restletUrl, { ...creds.tba, tokenSecret: 'wrong' }, host.realm);
    const res = await send('POST', restletUrl, {
      headers: { Authorization: header, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'health' }),
    });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(INVALID_LOGIN_BODY);
  });

  it('refuses a replayed TBA nonce and a timestamp more than 5 minutes old (2.1), without running the script', async () => {
    const body = JSON.stringify({ action: 'health' });
    const runs = host.counters().scriptRuns;
    const header = tbaHeader('POST', restletUrl, creds.tba, host.realm);
    const first = await send('POST', restletUrl, { headers: { Authorization: header, 'Content-Type': 'application/json' }, body });
    expect(first.status).toBe(200);
    const replay = await send('POST', restletUrl, { headers: { Authorization: header, 'Content-Type': 'application/json' }, body });
    expect(replay.status).toBe(401);
    expect(replay.json()).toEqual(INVALID_LOGIN_BODY);
    const stale = tbaHeader('POST', restletUrl, creds.tba, host.realm, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const old = await send('POST', restletUrl, { headers: { Authorization: stale, 'Content-Type': 'application/json' }, body });
    expect(old.status).toBe(401); // malformed/expired OAuth header: INVALID_REQUEST (1.4)
    expect(old.json<{ error: { code: string } }>().error.code).toBe('INVALID_REQUEST');
    expect(host.counters().scriptRuns).toBe(runs + 1);
    expect(host.loginAudit().slice(-2).map((e) => e.detail)).toEqual(['nonce_used', 'InvalidTimestamp']);
  });

  it('refuses an OAuth 2.0 assertion whose exp is more than 60 minutes after iat (2.2)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await exchange(await assertion(now, now + 3601));
    expect(token.status).toBe(400);
    expect(token.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers 400 SSS_REQUEST_LIMIT_EXCEEDED past the account concurrency limit (1.4)', async () => {
    host.configure({ concurrencyLimit: 2, latencyMs: 300 });
    try {
      const body = JSON.stringify({ action: 'health' });
      const calls = [0, 1, 2].map(() =>
        send('POST', restletUrl, {
          headers: { Authorization: tbaHeader('POST', restletUrl, creds.tba, host.realm), 'Content-Type': 'application/json' },
          body,
        }),
      );
      const answers = await Promise.all(calls);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 400]);
      const refused = answers.find((a) => a.status === 400);
      expect(refused?.json()).toEqual({ error: { code: 'SSS_REQUEST_LIMIT_EXCEEDED', message: expect.any(String) } });
    } finally {
      host.configure({ concurrencyLimit: 5, latencyMs: 0 });
    }
  });

  it('2.2: answers the health action with an OAuth 2.0 bearer token from an ES256 assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await exchange(await assertion(now, now + 3600));
    expect(token.status).toBe(200);
    const { access_token } = token.json<{ access_token: string }>();
    const res = await send('POST', restletUrl, {
      headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'health' }),
    });
    expect(res.status).toBe(200);
    expect(res.json<Health>()).toMatchObject({ ok: true, action: 'health', accountId: ACCOUNT });
  });

  it('serves a record of the account on the REST record service by id and by external id', async () => {
    const id = account.ui.create('customer', { fields: { externalid: 'shop-cust-9', companyname: 'Acme Ltd' } });
    for (const key of [id, 'eid:shop-cust-9']) {
      const url = `${running.url}/services/rest/record/v1/customer/${key}`;
      const res = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds.tba, host.realm) } });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ id, externalId: 'shop-cust-9', companyname: 'Acme Ltd' });
    }
    const missing = `${running.url}/services/rest/record/v1/customer/eid:nobody`;
    const res = await send('GET', missing, { headers: { Authorization: tbaHeader('GET', missing, creds.tba, host.realm) } });
    expect(res.status).toBe(404);
  });
});
