// The fixture RESTlet (real SuiteScript in the local account) over real HTTP on 127.0.0.1 with TBA: what
// requestParams a GET receives and the statuses of reference 1.4 / 3.3 end to end (runtime + host together).
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount } from '../../../../emulator';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type NetSuiteHost, type RunningNetSuiteHost } from '../../../../emulator/http';
import { send, tbaHeader } from './helpers';

const FIXTURE_DIR = path.join(__dirname, '..', '..', '..', 'fixtures', 'emulator-scripts', 'fidelity');
const ACCOUNT = '7654321';
const creds = generateSandboxCredentials();
let account: LocalAccount;
let host: NetSuiteHost;
let running: RunningNetSuiteHost;
let base: string;

beforeAll(async () => {
  account = createLocalAccount({ projectDir: FIXTURE_DIR, accountId: ACCOUNT });
  host = createNetSuiteHost({ accountId: ACCOUNT, runner: account.restlets, records: account.restRecords, credentials: hostCredentialsFor(creds) });
  running = await host.listen();
  base = `${running.url}/app/site/hosting/restlet.nl?script=customscript_fx_rl&deploy=customdeploy_fx_rl`;
});
afterAll(async () => {
  await running.close();
  await account.close();
});

function call(method: string, url: string, contentType?: string, body?: string) {
  const headers: Record<string, string> = { Authorization: tbaHeader(method, url, creds.tba, host.realm) };
  if (contentType) headers['Content-Type'] = contentType;
  return send(method, url, body === undefined ? { headers } : { headers, body });
}

describe('a RESTlet over HTTP (3.3, 1.4)', () => {
  it('3.3: GET hands the URL query to the script as requestParams (strings; script and deploy included, UNCONFIRMED in the reference)', async () => {
    const url = `${base}&action=nothing&x=1&x=2&empty=`;
    const res = await call('GET', url, 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      unknown: 'nothing',
      // A repeated name keeps its first value; values stay strings.
      params: { script: 'customscript_fx_rl', deploy: 'customdeploy_fx_rl', action: 'nothing', x: '1', empty: '' },
    });
  });

  it('1.4: an error the script lets escape answers 400 with {"error":{code,message}}; a caught one answers 200', async () => {
    const failed = await call('POST', base, 'application/json', JSON.stringify({ action: 'fail' }));
    expect(failed.status).toBe(400);
    expect(failed.json<{ error: { code: string } }>().error.code).toBe('FX_CUSTOM');
    // 200 "also when the script catches an error" (1.4): loading a missing record throws, the script catches it.
    const handled = await call('POST', base, 'application/json', JSON.stringify({ action: 'burn', id: '999999', catchIt: true }));
    expect(handled.status).toBe(200);
    expect(handled.json()).toMatchObject({ caught: { name: 'RCRD_DSNT_EXIST' }, loads: 0 });
  });

  it('3.3/1.4: 405 for a method the RESTlet has no entry point for; 415 for an unsupported Content-Type; 400 for a GET body', async () => {
    expect((await call('PUT', base, 'application/json', '{}')).status).toBe(405);
    expect((await call('DELETE', base)).status).toBe(405);
    expect((await call('POST', base, 'application/x-www-form-urlencoded', 'a=1')).status).toBe(415);
    expect((await call('POST', base, 'Application/JSON', '{}')).status).toBe(415); // case-sensitive (3.3)
    expect((await call('GET', base, 'application/json', '{"a":1}')).status).toBe(400);
  });

  it('1.4: an unknown deployment answers 400 SSS_INVALID_SCRIPTLET_ID', async () => {
    const url = `${running.url}/app/site/hosting/restlet.nl?script=customscript_fx_rl&deploy=customdeploy_fx_rl_off`;
    const res = await call('GET', url, 'application/json');
    expect(res.status).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
  });
});
