// TBA (OAuth 1.0a) on the local account's RESTlet endpoint over real HTTP on 127.0.0.1, with real signatures.
// Rules: reference netsuite-platform.md 2.1 (signature, realm, timestamps, nonces) and 1.4 (401 bodies).
import { createNetSuiteHost, generateSandboxCredentials, type RunningNetSuiteHost } from '../../../../emulator/http';
import { INVALID_LOGIN_BODY, RecordingRunner, send, tbaHeader } from './helpers';

const creds = generateSandboxCredentials().tba;
const other = generateSandboxCredentials().tba;

function setup(accountId: string) {
  const runner = new RecordingRunner([
    { scriptId: 'customscript_echo', deployId: 'customdeploy_echo', scriptNumber: '6', deployNumber: '1', methods: ['GET', 'POST'] },
  ]);
  const host = createNetSuiteHost({ accountId, runner, credentials: { tba: [creds] } });
  return { runner, host };
}

describe('TBA on RESTlets (reference 2.1)', () => {
  const { runner, host } = setup('123456');
  let running: RunningNetSuiteHost;
  let url: string;

  beforeAll(async () => {
    running = await host.listen();
    url = `${running.url}/app/site/hosting/restlet.nl?script=customscript_echo&deploy=customdeploy_echo&q=a%20b`;
  });
  afterAll(() => running.close());

  const lastDetail = () => host.loginAudit().at(-1)?.detail;

  it('accepts a correctly signed GET and hands the script its query', async () => {
    const before = runner.calls.length;
    const res = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456') } });
    expect(res.status).toBe(200);
    expect(res.json<{ query: Record<string, string> }>().query).toMatchObject({ q: 'a b', script: 'customscript_echo' });
    expect(runner.calls.length).toBe(before + 1);
    expect(lastDetail()).toBe('Success');
  });

  it('accepts a signed POST with a JSON body (the body is not signed) and numeric ids', async () => {
    const numeric = `${running.url}/app/site/hosting/restlet.nl?script=6&deploy=1`;
    const res = await send('POST', numeric, {
      headers: { Authorization: tbaHeader('POST', numeric, creds, '123456'), 'Content-Type': 'application/json' },
      body: '{"action":"health"}',
    });
    expect(res.status).toBe(200);
    expect(res.json<{ body: string }>().body).toBe('{"action":"health"}');
  });

  it('refuses a bad signature with 401 INVALID_LOGIN_ATTEMPT and never runs the script', async () => {
    const before = runner.calls.length;
    const header = tbaHeader('GET', url, creds, '123456', { credentials: { tokenSecret: other.tokenSecret } });
    const res = await send('GET', url, { headers: { Authorization: header } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(INVALID_LOGIN_BODY);
    expect(lastDetail()).toBe('InvalidSignature');
    expect(runner.calls.length).toBe(before);
  });

  it('refuses a signature made for another URL or method', async () => {
    const header = tbaHeader('GET', url, creds, '123456');
    const tampered = await send('GET', `${url}&extra=1`, { headers: { Authorization: header } });
    expect(tampered.status).toBe(401);
    expect(tampered.json()).toEqual(INVALID_LOGIN_BODY);
    const otherMethod = await send('DELETE', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456') } });
    expect(otherMethod.status).toBe(401);
  });

  it('refuses timestamps more than 5 minutes off, either way, and accepts one just inside', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 320, now + 320]) {
      const res = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456', { timestamp }) } });
      expect(res.status).toBe(401);
      // Timestamps are a malformed-header case in NetSuite's table (reference 1.4: INVALID_REQUEST).
      expect(res.json()).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
      expect(lastDetail()).toBe('InvalidTimestamp');
    }
    const inside = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456', { timestamp: now - 280 }) } });
    expect(inside.status).toBe(200);
  });

  it('refuses a nonce shorter than 6 characters and accepts 6', async () => {
    const short = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456', { nonce: 'abcde' }) } });
    expect(short.status).toBe(401);
    expect(short.json()).toEqual(INVALID_LOGIN_BODY);
    expect(lastDetail()).toBe('nonce_rejected');
    const six = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456', { nonce: 'abcdef' }) } });
    expect(six.status).toBe(200);
  });

  it('refuses a replayed nonce and timestamp', async () => {
    const before = runner.calls.length;
    const header = tbaHeader('GET', url, creds, '123456');
    expect((await send('GET', url, { headers: { Authorization: header } })).status).toBe(200);
    const replay = await send('GET', url, { headers: { Authorization: header } });
    expect(replay.status).toBe(401);
    expect(replay.json()).toEqual(INVALID_LOGIN_BODY);
    expect(lastDetail()).toBe('nonce_used');
    expect(runner.calls.length).toBe(before + 1);
  });

  it('refuses HMAC-SHA1 (NetSuite accepts only HMAC-SHA256)', async () => {
    const header = tbaHeader('GET', url, creds, '123456', { signatureMethod: 'HMAC-SHA1' });
    const res = await send('GET', url, { headers: { Authorization: header } });
    expect(res.status).toBe(401);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('INVALID_REQUEST');
    expect(lastDetail()).toBe('UnknownAlgorithm');
  });

  it('refuses an unknown token and an unknown consumer key', async () => {
    const token = await send('GET', url, {
      headers: { Authorization: tbaHeader('GET', url, creds, '123456', { credentials: { tokenId: other.tokenId, tokenSecret: other.tokenSecret } }) },
    });
    expect(token.status).toBe(401);
    expect(token.json()).toEqual(INVALID_LOGIN_BODY);
    expect(lastDetail()).toBe('token_rejected');
    const consumer = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, other, '123456') } });
    expect(consumer.status).toBe(401);
    expect(lastDetail()).toBe('consumer_key_unknown');
  });

  it('refuses a wrong realm, a malformed header and a missing header', async () => {
    const realm = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '654321') } });
    expect(realm.status).toBe(401);
    expect(realm.json()).toEqual(INVALID_LOGIN_BODY);
    const malformed = await send('GET', url, { headers: { Authorization: 'OAuth realm="123456", oauth_nonce=unquoted' } });
    expect(malformed.status).toBe(401);
    expect(malformed.json<{ error: { code: string } }>().error.code).toBe('INVALID_REQUEST');
    const none = await send('GET', url);
    expect(none.status).toBe(401);
    expect(none.json()).toEqual(INVALID_LOGIN_BODY);
  });
});

describe('the sandbox realm rule (reference 2.1)', () => {
  const { host } = setup('123456_SB1');
  let running: RunningNetSuiteHost;
  beforeAll(async () => {
    running = await host.listen();
  });
  afterAll(() => running.close());

  it('accepts realm 123456_SB1 and refuses 123456_sb1', async () => {
    const url = `${running.url}/app/site/hosting/restlet.nl?script=customscript_echo&deploy=customdeploy_echo`;
    expect(host.realm).toBe('123456_SB1');
    const upper = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456_SB1') } });
    expect(upper.status).toBe(200);
    const lower = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '123456_sb1') } });
    expect(lower.status).toBe(401);
    expect(lower.json()).toEqual(INVALID_LOGIN_BODY);
  });

  it('derives the same realm from the hyphenated host form of the account id', () => {
    expect(setup('123456-sb1').host.realm).toBe('123456_SB1');
  });
});
