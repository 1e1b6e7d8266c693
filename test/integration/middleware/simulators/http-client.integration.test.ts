import { z } from 'zod';
import { createHttpClient } from '../../../../middleware/connectors/shared/http-client';
import { JsonNumber } from '../../../../middleware/connectors/shared/json';
import { type RequestLog, type SimResponse, startServer } from '../../../../middleware/simulators/shared/server';

describe('connector HTTP wrapper over loopback', () => {
  const log: RequestLog = [];
  let answers: SimResponse[] = [];
  let seenHeaders: Record<string, unknown>[] = [];
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    const handle = (req: { headers: Record<string, unknown>; rawBody: string }) => {
      seenHeaders.push({ ...req.headers, body: req.rawBody });
      return answers.shift() ?? { status: 200, body: { ok: true } };
    };
    server = await startServer(
      [
        { method: 'GET', pattern: /^\/thing$/, handle },
        { method: 'POST', pattern: /^\/thing$/, handle },
        { method: 'GET', pattern: /^\/slow$/, handle: () => new Promise<SimResponse>((resolve) => setTimeout(() => resolve({ status: 200, body: {} }), 300)) },
      ],
      log,
    );
  });
  afterAll(() => server.close());
  beforeEach(() => {
    log.length = 0;
    answers = [];
    seenHeaders = [];
  });

  const schema = z.object({ id: z.string(), n: z.number() });
  const client = () => createHttpClient({ baseUrl: server.url, headers: { 'X-Token': 't' }, retries: 2, backoffMs: () => 0, timeoutMs: 100 });

  it('parses big integers exactly and validates the body', async () => {
    answers = [{ status: 200, body: { n: 1 } }];
    const bad = await client().request({ method: 'GET', path: '/thing', schema, what: 'get thing' });
    expect(!bad.ok && bad.error.code).toBe('invalid_payload');
    answers = [{ status: 200, body: { id: new JsonNumber('18446744073709551615'), n: 2 } }];
    const good = await client().request({ method: 'GET', path: '/thing', schema: z.object({ id: z.string(), n: z.number() }), what: 'get thing' });
    expect(good.ok && good.value).toEqual({ id: '18446744073709551615', n: 2 });
    expect(seenHeaders[1]?.['x-token']).toBe('t');
  });

  it('retries a GET on 5xx and 429, then succeeds', async () => {
    answers = [{ status: 503, body: {} }, { status: 429, body: {} }, { status: 200, body: { id: '1', n: 1 } }];
    const r = await client().request({ method: 'GET', path: '/thing', schema, what: 'get thing' });
    expect(r.ok).toBe(true);
    expect(log.map((l) => l.status)).toEqual([503, 429, 200]);
  });

  it('never retries a POST without an idempotency key (a retry could refund twice)', async () => {
    answers = [{ status: 502, body: { errors: 'bad gateway' } }];
    const r = await client().request({ method: 'POST', path: '/thing', body: { a: 1 }, schema, what: 'post thing' });
    expect(!r.ok && [r.error.code, r.error.retryable, r.error.status]).toEqual(['provider_error', true, 502]);
    expect(log).toHaveLength(1);
    expect(seenHeaders[0]?.body).toBe('{"a":1}');
  });

  it('retries a POST that carries an idempotency key, sending the key each time', async () => {
    answers = [{ status: 500, body: {} }, { status: 200, body: { id: '1', n: 1 } }];
    const r = await client().request({ method: 'POST', path: '/thing', body: {}, schema, idempotencyKey: 'k-1', what: 'post thing' });
    expect(r.ok).toBe(true);
    expect(seenHeaders.map((h) => h['idempotency-key'])).toEqual(['k-1', 'k-1']);
  });

  it('maps 4xx to non-retryable codes and keeps the provider body', async () => {
    answers = [{ status: 422, body: { errors: { base: ['nope'] } } }];
    const r = await client().request({ method: 'GET', path: '/thing', schema, what: 'get thing' });
    expect(!r.ok && r.error).toEqual({ code: 'provider_rejected', message: 'get thing: HTTP 422', retryable: false, status: 422, providerBody: { errors: { base: ['nope'] } } });
    expect(log).toHaveLength(1);
  });

  it('reports timeouts and unreachable hosts as retryable', async () => {
    const slow = await createHttpClient({ baseUrl: server.url, timeoutMs: 50, retries: 0 }).request({ method: 'GET', path: '/slow', schema: z.unknown(), what: 'slow' });
    expect(!slow.ok && [slow.error.code, slow.error.retryable]).toEqual(['timeout', true]);
    const down = await createHttpClient({ baseUrl: 'http://127.0.0.1:1', retries: 0 }).request({ method: 'GET', path: '/', schema: z.unknown(), what: 'down' });
    expect(!down.ok && [down.error.code, down.error.retryable]).toEqual(['network_error', true]);
  });
});
