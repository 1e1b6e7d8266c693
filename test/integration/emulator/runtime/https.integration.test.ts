// N/https against a real HTTP server on 127.0.0.1 (reference 1.1: 10 units per call); outbound calls reach
// loopback hosts only.
import * as path from 'node:path';
import { createLocalAccount, type LocalAccount } from '../../../../emulator';
import { isLoopback } from '../../../../emulator/modules/https';
import { startPushServer, type PushServer } from './push-server';

const FIXTURE_DIR = path.join(__dirname, '..', '..', '..', 'fixtures', 'emulator-scripts', 'fidelity');

let account: LocalAccount;
let server: PushServer;
beforeAll(async () => {
  server = await startPushServer(201);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  account = createLocalAccount({ projectDir: FIXTURE_DIR });
});
afterEach(async () => {
  await account.close();
});

const post = (body: Record<string, unknown>) => {
  const out = account.restlets.invokeSync({
    script: 'customscript_fx_rl',
    deploy: 'customdeploy_fx_rl',
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify(body),
    query: {},
  });
  return { status: out.status, body: JSON.parse(out.body) as Record<string, unknown>, units: out.unitsUsed };
};

it('1.1: https.post is synchronous, returns ClientResponse {code, body, headers} and costs 10 units', async () => {
  const out = post({ action: 'http', url: `${server.url}hook?x=1` });
  expect(out.status).toBe(200);
  expect(out.body).toEqual({ code: 201, body: '{"received":true}', header: 'yes' });
  expect(out.units).toBe(10);
  await server.settle();
  expect(server.received.at(-1)).toMatchObject({ method: 'POST', path: '/hook', body: '{"hello":"world"}' });
  expect(server.received.at(-1)?.headers['content-type']).toBe('application/json');
});

it.each(['https://example.com/', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/'])(
  'a call to %s (not loopback) throws and sends nothing',
  async (url) => {
    const before = server.received.length;
    const out = post({ action: 'httpBlocked', url });
    expect(out.body).toMatchObject({ name: 'SSS_INVALID_HOST', type: 'error.SuiteScriptError' });
    await server.settle();
    expect(server.received.length).toBe(before);
  },
);

it('localhost reaches the loopback server; 127/8 and ::1 are loopback, lookalikes are not', () => {
  const port = new URL(server.url).port;
  expect(post({ action: 'http', url: `http://localhost:${port}/` }).body).toMatchObject({ code: 201 });
  expect(['127.0.0.1', '127.255.0.9', '[::1]', '::1', 'LOCALHOST'].every(isLoopback)).toBe(true);
  expect(['127.0.0.1.example.com', '128.0.0.1', 'localhost.example.com', '0.0.0.0', '::ffff:8.8.8.8'].some(isLoopback)).toBe(false);
});

it('1.1: the .promise variants send the request (10 units per call sent), resolve with the ClientResponse, and reject for a non-loopback host', async () => {
  const out = post({ action: 'httpPromise', url: `${server.url}promised` });
  expect(out.body).toEqual({ thenables: true }); // the blocked call rejected instead of throwing at the call
  expect(out.units).toBe(20); // the refused call sends nothing and is not charged
  await server.settle();
  expect(server.received.slice(-2).map((r) => [r.method, r.path, r.body])).toEqual([
    ['POST', '/promised', 'via promise'],
    ['GET', '/promised', ''],
  ]);
  const logged = Object.fromEntries(account.logs().map((l) => [l.title, l.details]));
  expect(JSON.parse(logged['post.promise'] ?? 'null')).toEqual({ code: 201, body: '{"received":true}' });
  expect(JSON.parse(logged['request.promise'] ?? 'null')).toEqual({ code: 201 });
  expect(logged['get.promise rejected']).toBe('SSS_INVALID_HOST');
});
