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

describe('the bundle RESTlet over HTTP', () => {
  it('answers the health action with TBA', async () => {
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

  it('refuses a bad TBA signature without running the script', async () => {
    const header = tbaHeader('POST', restletUrl, { ...creds.tba, tokenSecret: 'wrong' }, host.realm);
    const res = await send('POST', restletUrl, {
      headers: { Authorization: header, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'health' }),
    });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(INVALID_LOGIN_BODY);
  });

  it('answers the health action with an OAuth 2.0 bearer token from an ES256 assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokenUrl = `${running.url}/services/rest/auth/oauth2/v1/token`;
    const assertion = await new SignJWT({
      iss: creds.m2m.clientId,
      scope: 'restlets',
      aud: tokenUrl,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: creds.m2m.certificateId })
      .sign(createPrivateKey(creds.m2m.privateKeyPem));
    const token = await send('POST', tokenUrl, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString(),
    });
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
