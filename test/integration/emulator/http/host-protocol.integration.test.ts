// The local account's HTTP behaviour beyond authentication, over real HTTP on 127.0.0.1 with real TBA signatures:
// status codes and error bodies (reference netsuite-platform.md 1.4, 3.3), the account concurrency limit (1.4),
// the REST record service read subset, and latency and fault injection.
import { createNetSuiteHost, generateSandboxCredentials, type NetSuiteHostOptions } from '../../../../emulator/http';
import { NsError, type RecordData, type RecordEngine } from '../../../../emulator/records/types';
import { RecordingRunner, send, tbaHeader, until, type HttpAnswer } from './helpers';

const creds = generateSandboxCredentials().tba;
const ACCOUNT = '123456';

/** A record store on the RecordEngine seam (load, findByExternalId, isKnownType), for the read-only service. */
function recordStore(records: RecordData[]): Pick<RecordEngine, 'load' | 'findByExternalId' | 'isKnownType'> {
  return {
    isKnownType: (type) => type === 'customer' || type === 'salesorder',
    load(type, id) {
      const r = records.find((x) => x.type === type && x.id === id);
      if (!r) throw new NsError('RCRD_DSNT_EXIST', `Record ${type} ${id} does not exist.`);
      return structuredClone(r);
    },
    findByExternalId: (type, eid) => records.find((x) => x.type === type && x.fields.externalid === eid)?.id ?? null,
  };
}

async function start(overrides: Partial<NetSuiteHostOptions> = {}) {
  const runner = new RecordingRunner([
    { scriptId: 'customscript_echo', deployId: 'customdeploy_echo', methods: ['GET', 'POST', 'PUT'] },
  ]);
  const host = createNetSuiteHost({ accountId: ACCOUNT, runner, credentials: { tba: [creds] }, ...overrides });
  const running = await host.listen();
  const restlet = `${running.url}/app/site/hosting/restlet.nl?script=customscript_echo&deploy=customdeploy_echo`;
  const call = (method: string, url = restlet, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> =>
    send(method, url, { headers: { Authorization: tbaHeader(method, url, creds, ACCOUNT), ...headers }, body });
  return { runner, host, running, restlet, call };
}

type Started = Awaited<ReturnType<typeof start>>;
const errorCode = (res: HttpAnswer) => res.json<{ error: { code: string } }>().error.code;

describe('status codes and error bodies (reference 1.4, 3.3)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s.running.close());

  it('415 for POST/PUT without a supported Content-Type (values are case-sensitive)', async () => {
    for (const [method, type] of [
      ['POST', undefined],
      ['POST', 'application/x-www-form-urlencoded'],
      ['PUT', 'Application/JSON'],
    ] as const) {
      const res = await s.call(method, s.restlet, type ? { 'Content-Type': type } : {}, '{"a":1}');
      expect(res.status).toBe(415);
      expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const ok = await s.call('POST', s.restlet, { 'Content-Type': 'application/json; charset=utf-8' }, '{"a":1}');
    expect(ok.status).toBe(200);
  });

  it('400 for a GET with a body', async () => {
    const res = await s.call('GET', s.restlet, { 'Content-Type': 'application/json' }, '{"a":1}');
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
  });

  it('400 SSS_INVALID_SCRIPTLET_ID for an unknown script or deployment', async () => {
    for (const query of ['script=customscript_nope&deploy=customdeploy_echo', 'script=customscript_echo&deploy=customdeploy_nope', 'script=customscript_echo']) {
      const res = await s.call('GET', `${s.running.url}/app/site/hosting/restlet.nl?${query}`);
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('SSS_INVALID_SCRIPTLET_ID');
    }
  });

  it('answers in text form for text/plain callers', async () => {
    const url = `${s.running.url}/app/site/hosting/restlet.nl?script=customscript_nope&deploy=customdeploy_nope`;
    const res = await s.call('POST', url, { 'Content-Type': 'text/plain' }, 'hello');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^error code: SSS_INVALID_SCRIPTLET_ID\nerror message: /);
  });

  it('passes the runtime\'s 405 (no entry point) and 400 (unhandled error) through', async () => {
    const del = await s.call('DELETE', s.restlet);
    expect(del.status).toBe(405);
    const thrown = await s.call('POST', s.restlet, { 'Content-Type': 'application/json' }, '{"throw":true}');
    expect(thrown.status).toBe(400);
    expect(errorCode(thrown)).toBe('SSS_UNHANDLED_ERROR');
  });

  it('405 for a method no RESTlet can implement', async () => {
    const res = await s.call('PATCH', s.restlet, { 'Content-Type': 'application/json' }, '{}');
    expect(res.status).toBe(405);
  });
});

describe('account concurrency limit (reference 1.4)', () => {
  async function overflow(limit: number | undefined, expectedLimit: number) {
    const s = await start(limit === undefined ? {} : { concurrencyLimit: limit });
    try {
      s.runner.hold();
      const answers: HttpAnswer[] = [];
      const pending = Array.from({ length: expectedLimit + 1 }, () => s.call('GET').then((a) => (answers.push(a), a)));
      // The overflow is answered at once, while the others are still running.
      await until(() => s.runner.active === expectedLimit && answers.length === 1);
      expect(answers[0]!.status).toBe(400);
      expect(answers[0]!.json()).toEqual({ error: { code: 'SSS_REQUEST_LIMIT_EXCEEDED', message: expect.any(String) } });
      s.runner.release();
      const all = await Promise.all(pending);
      expect(all.filter((a) => a.status === 200)).toHaveLength(expectedLimit);
      expect(all.filter((a) => a.status === 400)).toHaveLength(1);
      expect(s.host.counters()).toMatchObject({ limitRejections: 1, maxInFlight: expectedLimit, inFlight: 0, scriptRuns: expectedLimit });
      // Slots are free again afterwards.
      expect((await s.call('GET')).status).toBe(200);
    } finally {
      s.runner.release();
      await s.running.close();
    }
  }

  it('default 5: the sixth concurrent call gets 400 SSS_REQUEST_LIMIT_EXCEEDED immediately', () => overflow(undefined, 5));
  it('configurable: with a limit of 2, the third call overflows', () => overflow(2, 2));
});

describe('REST record service, read subset', () => {
  let s: Started;
  const customer: RecordData = {
    type: 'customer',
    id: '42',
    fields: { externalid: 'shop-c-1', companyname: 'Acme', datecreated: new Date('2026-01-02T03:04:05Z') },
    sublists: {},
    version: 1,
  };
  beforeAll(async () => {
    s = await start({ records: recordStore([customer]) });
  });
  afterAll(() => s.running.close());

  it('answers a record by internal id and by external id with its body fields', async () => {
    const byId = await s.call('GET', `${s.running.url}/services/rest/record/v1/customer/42`);
    expect(byId.status).toBe(200);
    expect(byId.json()).toEqual({ id: '42', externalId: 'shop-c-1', companyname: 'Acme', datecreated: '2026-01-02T03:04:05.000Z' });
    const byEid = await s.call('GET', `${s.running.url}/services/rest/record/v1/customer/eid:shop-c-1`);
    expect(byEid.status).toBe(200);
    expect(byEid.json<{ id: string }>().id).toBe('42');
  });

  it('404 with a REST-style error body when the record or type is absent', async () => {
    for (const path of ['customer/43', 'customer/eid:nope', 'nosuchtype/1']) {
      const res = await s.call('GET', `${s.running.url}/services/rest/record/v1/${path}`);
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, 'o:errorDetails': [{ 'o:errorCode': 'NONEXISTENT_ID' }] });
    }
  });

  it('requires a valid login (REST web services 401 body)', async () => {
    const url = `${s.running.url}/services/rest/record/v1/customer/42`;
    const res = await send('GET', url, { headers: { Authorization: tbaHeader('GET', url, creds, '654321') } });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ status: 401, 'o:errorDetails': [{ 'o:errorCode': 'INVALID_LOGIN' }] });
  });
});

describe('latency and fault injection', () => {
  it('adds latency to every call', async () => {
    const s = await start({ latencyMs: 120 });
    try {
      const t0 = Date.now();
      expect((await s.call('GET')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    } finally {
      await s.running.close();
    }
  });

  it('a lost response: the script runs and its write commits, but the client sees a network error', async () => {
    const s = await start({ faults: { lostResponseRate: 1 } });
    try {
      await expect(s.call('POST', s.restlet, { 'Content-Type': 'application/json' }, '{"externalId":"w-1"}')).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      expect(s.runner.commits).toEqual(['{"externalId":"w-1"}']);
      expect(s.host.counters()).toMatchObject({ lostResponses: 1, faultsInjected: 1, scriptRuns: 1, inFlight: 0 });
    } finally {
      await s.running.close();
    }
  });

  it('server errors (500/503 UNEXPECTED_ERROR) and injected limit errors happen before the script runs', async () => {
    const s = await start({ faults: { serverErrorRate: 1 } });
    try {
      const res = await s.call('POST', s.restlet, { 'Content-Type': 'application/json' }, '{}');
      expect([500, 503]).toContain(res.status);
      expect(errorCode(res)).toBe('UNEXPECTED_ERROR');
      s.host.configure({ faults: { limitErrorRate: 1 } });
      const limited = await s.call('GET');
      expect(limited.status).toBe(400);
      expect(errorCode(limited)).toBe('SSS_REQUEST_LIMIT_EXCEEDED');
      expect(s.runner.calls).toHaveLength(0);
      expect(s.host.counters()).toMatchObject({ injectedServerErrors: 1, injectedLimitErrors: 1, faultsInjected: 2, limitRejections: 0 });
      s.host.configure({ faults: {} });
      expect((await s.call('GET')).status).toBe(200);
    } finally {
      await s.running.close();
    }
  });

  it('draws faults from the injected random source', async () => {
    const draws = [0.1, 0.9];
    const s = await start({ faults: { serverErrorRate: 0.5 }, random: () => draws.shift() ?? 0.9 });
    try {
      // first draw 0.1 < 0.5 → fault (second draw 0.9 picks the status), then no more faults
      expect((await s.call('GET')).status).toBe(500);
      expect((await s.call('GET')).status).toBe(200);
    } finally {
      await s.running.close();
    }
  });

  it('refuses fault rates outside 0..1', () => {
    expect(() => createNetSuiteHost({ accountId: ACCOUNT, runner: new RecordingRunner([]), credentials: {}, faults: { lostResponseRate: 2 } })).toThrow(
      /between 0 and 1/,
    );
  });
});
