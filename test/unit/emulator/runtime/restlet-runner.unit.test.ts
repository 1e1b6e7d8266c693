// Reference 3.3 (RESTlet entry points, requestParams/requestBody, response types) and 1.4 (status codes and
// error bodies), plus N/runtime, N/error, N/log, N/cache, N/format and N/encode as the fixture RESTlet sees them.
import type { LocalAccount } from '../../../../emulator';
import type { RestletInvocation } from '../../../../emulator/http/restlet-runner';
import { fixtureAccount, post } from './fixture';

let account: LocalAccount;
beforeEach(() => {
  account = fixtureAccount({ parameters: { customdeploy_fx_rl: { custscript_fx_rl_greeting: 'hi there' } } });
});
afterEach(async () => {
  await account.close();
});

const call = (over: Partial<RestletInvocation>) =>
  account.restlets.invokeSync({ script: 'customscript_fx_rl', deploy: 'customdeploy_fx_rl', method: 'GET', contentType: null, body: '', query: {}, ...over });

describe('resolving script and deploy ids', () => {
  it('resolves scriptids and numeric ids; an undeployed deployment does not resolve (SSS_INVALID_SCRIPTLET_ID)', () => {
    const rl = account.scripts().find((s) => s.scriptId === 'customscript_fx_rl');
    expect(account.restlets.resolve(rl?.internalId ?? '', '1')).toEqual({ scriptId: 'customscript_fx_rl', deployId: 'customdeploy_fx_rl' });
    expect(account.restlets.resolve('CUSTOMSCRIPT_FX_RL', 'customdeploy_fx_rl')).not.toBeNull();
    expect(account.restlets.resolve('customscript_fx_rl', 'customdeploy_fx_rl_off')).toBeNull();
    const out = call({ deploy: 'customdeploy_fx_rl_off', contentType: 'application/json' });
    expect(out.status).toBe(400);
    expect(JSON.parse(out.body).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
  });
});

describe('requests and responses (3.3, 1.4)', () => {
  it('3.3: GET passes the query as requestParams; an object answer is JSON for application/json', () => {
    const out = call({ contentType: 'application/json', query: { action: 'nothing', x: '1' } });
    expect(out).toMatchObject({ status: 200, contentType: 'application/json' });
    expect(JSON.parse(out.body)).toEqual({ unknown: 'nothing', params: { action: 'nothing', x: '1' } });
  });

  it('3.3: POST text/plain passes the body as a string; the string answer is returned as is', () => {
    const out = call({ method: 'POST', contentType: 'text/plain', body: 'plain words' });
    expect(out).toMatchObject({ status: 200, contentType: 'text/plain', body: 'text:plain words' });
  });

  it('1.4: an object returned for text/plain is INVALID_RETURN_DATA_FORMAT', () => {
    const out = call({ contentType: 'text/plain', query: { action: 'nothing' } });
    expect(out.status).toBe(400);
    expect(out.body).toContain('INVALID_RETURN_DATA_FORMAT');
  });

  it('3.3/1.4: a method without an entry point answers 405', () => {
    expect(call({ method: 'PUT', contentType: 'application/json', body: '{}' }).status).toBe(405);
    expect(call({ method: 'DELETE', contentType: 'application/json' }).status).toBe(405);
  });

  it('1.4: POST without a supported Content-Type answers 415', () => {
    expect(call({ method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'a=1' }).status).toBe(415);
    expect(call({ method: 'POST', contentType: null, body: '{}' }).status).toBe(415);
  });

  it('1.3/1.4: an unhandled SuiteScriptError answers 400 with {"error":{code,message}}', () => {
    const out = post(account, { action: 'fail' });
    expect(out.status).toBe(400);
    expect(out.body.error.code).toBe('FX_CUSTOM');
    expect(JSON.parse(out.body.error.message)).toMatchObject({ type: 'error.SuiteScriptError', name: 'FX_CUSTOM', message: 'custom failure' });
  });

  it('1.4: the text/plain error body is "error code: X error message: Y"', () => {
    const out = call({ method: 'POST', contentType: 'text/plain', body: 'x', script: 'customscript_fx_rl', deploy: 'nope' });
    expect(out.body).toBe('error code: SSS_INVALID_SCRIPTLET_ID\nerror message: That Suitelet is invalid, disabled, or no longer exists.');
  });
});

describe('N/runtime, N/error, N/log, N/cache, N/format, N/encode', () => {
  it('N/runtime: script and deployment ids, typed parameters (deployment XML, defaults, account overrides), features, context', () => {
    const { body } = post(account, { action: 'params' });
    expect(body).toEqual({
      id: 'customscript_fx_rl',
      deploymentId: 'customdeploy_fx_rl',
      greeting: 'hi there',
      limit: 42,
      on: true,
      accountId: 'TSTDRV1234567',
      envType: 'SANDBOX',
      executionContext: 'RESTLET',
      isRestlet: true,
      customRecords: true,
      multiCurrency: false,
      remaining: 5000,
      lib: 'customscript_fx_rl@TSTDRV1234567',
      sameModule: true,
      loads: 1,
    });
    account.setFeature('MULTICURRENCY', true);
    expect(post(account, { action: 'params' }).body.multiCurrency).toBe(true);
  });

  it('1.3: error.create gives the SuiteScriptError shape', () => {
    expect(post(account, { action: 'errorShape' }).body).toEqual({
      type: 'error.SuiteScriptError',
      name: 'FX_SHAPE',
      message: 'shape probe',
      id: '',
      hasCause: true,
      stackIsArray: true,
    });
  });

  it('N/log: entries below the deployment log level (AUDIT) are dropped; the rest are captured per execution', () => {
    post(account, { action: 'logs' });
    expect(account.logs().map((l) => [l.level, l.title, l.details, l.scriptId])).toEqual([
      ['AUDIT', 'kept', '{"a":1}', 'customscript_fx_rl'],
      ['ERROR', 'positional', 'form', 'customscript_fx_rl'],
    ]);
  });

  it('1.1: N/cache: ttl >= 300 s, key <= 4,096 bytes, value <= 500 KB; objects are stringified; loader fills a miss', () => {
    const { body } = post(account, { action: 'cache', key: 'obj' });
    expect(body).toEqual({
      shortTtl: expect.objectContaining({ name: 'SSS_INVALID_CACHE_TTL' }),
      longKey: expect.objectContaining({ name: 'SSS_CACHE_KEY_TOO_LONG' }),
      bigValue: expect.objectContaining({ name: 'SSS_CACHE_VALUE_TOO_LARGE' }),
      put: '{"n":1}',
      loaded: 'from loader',
      missing: null,
    });
    const units = account.usage()[0]?.calls.map((c) => [c.api, c.units]);
    expect(units).toEqual([['cache.put', 1], ['cache.get', 1], ['cache.get', 2], ['cache.get', 1]]);
  });

  it('1.1: N/cache entries expire after their ttl', () => {
    let now = Date.UTC(2026, 0, 1);
    const clocked = fixtureAccount({ now: () => now });
    post(clocked, { action: 'cache', key: 'k1' });
    clocked.clearUsage();
    now += 299_000;
    expect(post(clocked, { action: 'cache', key: 'k2' }).body.loaded).toBe('from loader');
    expect(clocked.usage()[0]?.calls.find((c) => c.units === 2)).toBeUndefined(); // still cached: no loader run
    now += 2_000;
    clocked.clearUsage();
    post(clocked, { action: 'cache', key: 'k3' });
    expect(clocked.usage()[0]?.calls.filter((c) => c.units === 2)).toHaveLength(1); // expired: loader ran
  });

  it('N/format and N/encode', () => {
    expect(post(account, { action: 'formats' }).body).toEqual({
      date: '1/5/2026',
      datetime: '1/5/2026 3:04 pm',
      currency: '1,234,567.50',
      parsed: '2026-01-05T00:00:00.000Z',
      parsedCurrency: 1234.5,
      base64: Buffer.from('héllo', 'utf8').toString('base64'),
      hex: '6869',
    });
  });
});
