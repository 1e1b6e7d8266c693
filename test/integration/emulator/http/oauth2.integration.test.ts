// OAuth 2.0 client credentials (M2M) on the local account over real HTTP on 127.0.0.1: JWT assertions signed with
// jose, the token endpoint's answers and bearer calls to a RESTlet (reference netsuite-platform.md 2.2, 1.4).
import { randomUUID } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey, type KeyObject } from 'jose';
import { createNetSuiteHost, generateSandboxCredentials, type RunningNetSuiteHost } from '../../../../emulator/http';
import { INVALID_LOGIN_BODY, RecordingRunner, send } from './helpers';

type PrivateKey = CryptoKey | KeyObject;

const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
const sandbox = generateSandboxCredentials();

interface Client {
  clientId: string;
  certificateId: string;
  alg: string;
  privateKey: PrivateKey | string;
}

let clock = 0; // seconds added to the host's clock
let running: RunningNetSuiteHost;
let ps: Client;
let es: Client;
let rs: Client;
const runner = new RecordingRunner([{ scriptId: 'customscript_echo', deployId: 'customdeploy_echo', methods: ['GET', 'POST'] }]);

beforeAll(async () => {
  const psKeys = await generateKeyPair('PS256', { modulusLength: 2048, extractable: true });
  const rsKeys = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  ps = { clientId: 'client-ps', certificateId: 'cert-ps', alg: 'PS256', privateKey: psKeys.privateKey };
  rs = { clientId: 'client-rs', certificateId: 'cert-rs', alg: 'RS256', privateKey: rsKeys.privateKey };
  es = { clientId: sandbox.m2m.clientId, certificateId: sandbox.m2m.certificateId, alg: 'ES256', privateKey: sandbox.m2m.privateKeyPem };
  const host = createNetSuiteHost({
    accountId: '123456',
    runner,
    now: () => new Date(Date.now() + clock * 1000),
    records: {
      isKnownType: (type) => type === 'customer',
      load: (type, id) => ({ type, id, fields: { companyname: 'Acme' }, sublists: {}, version: 1 }),
      findByExternalId: () => null,
    },
    credentials: {
      m2m: [
        { clientId: ps.clientId, certificateId: ps.certificateId, publicKey: await exportSPKI(psKeys.publicKey), scopes: ['restlets', 'rest_webservices'] },
        // RS256 keys are valid RSA certificates; only the assertion algorithm is refused.
        { clientId: rs.clientId, certificateId: rs.certificateId, publicKey: rsKeys.publicKey, scopes: ['restlets'] },
        { clientId: es.clientId, certificateId: es.certificateId, publicKey: sandbox.m2m.publicKeyPem, scopes: sandbox.m2m.scopes },
      ],
    },
  });
  running = await host.listen();
});
afterAll(() => running.close());
afterEach(() => {
  clock = 0;
});

interface AssertionOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  lifetime?: number;
  iatOffset?: number;
}

async function assertion(client: Client, o: AssertionOptions = {}): Promise<string> {
  const iat = Math.floor(Date.now() / 1000) + (o.iatOffset ?? 0);
  const key = typeof client.privateKey === 'string' ? (await import('node:crypto')).createPrivateKey(client.privateKey) : client.privateKey;
  return new SignJWT({
    iss: client.clientId,
    scope: ['restlets', 'rest_webservices'].filter((s) => client !== rs || s === 'restlets'),
    aud: `${running.url}${TOKEN_PATH}`,
    iat,
    exp: iat + (o.lifetime ?? 3600),
    jti: randomUUID(),
    ...o.claims,
  })
    .setProtectedHeader({ alg: client.alg, typ: 'JWT', kid: client.certificateId, ...o.header })
    .sign(key);
}

function tokenRequest(jwt: string, extra: Record<string, string> = {}) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt,
    ...extra,
  });
  return send('POST', `${running.url}${TOKEN_PATH}`, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
}

async function tokenFor(client: Client, o?: AssertionOptions): Promise<string> {
  const res = await tokenRequest(await assertion(client, o));
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

function callRestlet(token: string) {
  const url = `${running.url}/app/site/hosting/restlet.nl?script=customscript_echo&deploy=customdeploy_echo`;
  return send('GET', url, { headers: { Authorization: `Bearer ${token}` } });
}

describe('token endpoint (reference 2.2)', () => {
  it('accepts a PS256 assertion and answers a 60-minute bearer token', async () => {
    const res = await tokenRequest(await assertion(ps));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'bearer' });
  });

  it('accepts an ES256 assertion from the sandbox credentials (PEM key pair)', async () => {
    const token = await tokenFor(es);
    expect((await callRestlet(token)).status).toBe(200);
  });

  it('accepts scope as a comma-separated string and the documented suitetalk/restlets audiences', async () => {
    await tokenFor(ps, { claims: { scope: 'restlets,rest_webservices' } });
    await tokenFor(ps, { claims: { aud: `https://123456.suitetalk.api.netsuite.com${TOKEN_PATH}` } });
    await tokenFor(ps, { claims: { aud: `https://123456.restlets.api.netsuite.com${TOKEN_PATH}` } });
  });

  it('refuses RS256', async () => {
    const res = await tokenRequest(await assertion(rs));
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toBe('invalid_grant');
  });

  it('refuses an assertion whose exp is more than 60 minutes after iat, and accepts exactly 60', async () => {
    const long = await tokenRequest(await assertion(ps, { lifetime: 3601 }));
    expect(long.status).toBe(400);
    expect(long.json()).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('60 minutes') });
    await tokenFor(ps, { lifetime: 3600 });
  });

  it('refuses an expired assertion and one issued in the future', async () => {
    expect((await tokenRequest(await assertion(ps, { iatOffset: -4000 }))).json<{ error: string }>().error).toBe('invalid_grant');
    expect((await tokenRequest(await assertion(ps, { iatOffset: 900 }))).json<{ error: string }>().error).toBe('invalid_grant');
  });

  it('refuses a wrong kid, a wrong iss and a wrong aud', async () => {
    const kid = await tokenRequest(await assertion(ps, { header: { kid: 'not-a-certificate' } }));
    expect(kid.status).toBe(400);
    expect(kid.json<{ error: string }>().error).toBe('invalid_client');
    // The ES client's certificate id with a PS-signed assertion: the signature cannot verify.
    const otherCert = await tokenRequest(await assertion(ps, { header: { kid: es.certificateId, alg: 'PS256' } }));
    expect(otherCert.status).toBe(400);
    const iss = await tokenRequest(await assertion(ps, { claims: { iss: es.clientId } }));
    expect(iss.status).toBe(400);
    expect(iss.json<{ error: string }>().error).toBe('invalid_client');
    const aud = await tokenRequest(await assertion(ps, { claims: { aud: 'https://example.com/token' } }));
    expect(aud.status).toBe(400);
    expect(aud.json<{ error: string }>().error).toBe('invalid_grant');
  });

  it('refuses a reused assertion (same jti)', async () => {
    const jwt = await assertion(ps);
    expect((await tokenRequest(jwt)).status).toBe(200);
    const again = await tokenRequest(jwt);
    expect(again.status).toBe(400);
    expect(again.json<{ error: string }>().error).toBe('invalid_grant');
  });

  it('refuses a scope the client was not granted and a missing typ', async () => {
    expect((await tokenRequest(await assertion(ps, { claims: { scope: 'suite_analytics' } }))).json<{ error: string }>().error).toBe('invalid_grant');
    expect((await tokenRequest(await assertion(ps, { header: { typ: 'at+jwt' } }))).status).toBe(400);
  });

  it('answers invalid_request and unsupported_grant_type for bad forms', async () => {
    const jwt = await assertion(ps);
    const json = await send('POST', `${running.url}${TOKEN_PATH}`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_assertion: jwt }),
    });
    expect(json.status).toBe(400);
    expect(json.json<{ error: string }>().error).toBe('invalid_request');
    const grant = await tokenRequest(jwt, { grant_type: 'authorization_code' });
    expect(grant.json<{ error: string }>().error).toBe('unsupported_grant_type');
    const type = await tokenRequest(jwt, { client_assertion_type: 'urn:other' });
    expect(type.json<{ error: string }>().error).toBe('invalid_request');
    const garbage = await tokenRequest('not.a.jwt');
    expect(garbage.status).toBe(400);
  });
});

describe('bearer tokens on RESTlets (reference 2.2 "Calling a RESTlet")', () => {
  it('runs the RESTlet for a valid token', async () => {
    const before = runner.calls.length;
    const res = await callRestlet(await tokenFor(ps));
    expect(res.status).toBe(200);
    expect(runner.calls.length).toBe(before + 1);
  });

  it('refuses an expired token with 401 INVALID_LOGIN_ATTEMPT', async () => {
    const token = await tokenFor(ps);
    clock = 3601;
    const res = await callRestlet(token);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(INVALID_LOGIN_BODY);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses an unknown token and a token without the restlets scope', async () => {
    expect((await callRestlet('made-up-token')).json()).toEqual(INVALID_LOGIN_BODY);
    const webServicesOnly = await tokenFor(ps, { claims: { scope: 'rest_webservices' } });
    expect((await callRestlet(webServicesOnly)).status).toBe(401);
  });
});

describe('bearer tokens on the REST record service (reference 2.2 scopes)', () => {
  const recordUrl = () => `${running.url}/services/rest/record/v1/customer/7`;

  it('needs the rest_webservices scope', async () => {
    const full = await tokenFor(ps);
    const ok = await send('GET', recordUrl(), { headers: { Authorization: `Bearer ${full}` } });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ id: '7', companyname: 'Acme' });
    const restletsOnly = await tokenFor(ps, { claims: { scope: 'restlets' } });
    const refused = await send('GET', recordUrl(), { headers: { Authorization: `Bearer ${restletsOnly}` } });
    expect(refused.status).toBe(401);
  });
});
