/**
 * A tiny HTTP server for the platform simulators: regex routes, the bigint-safe JSON parser on request bodies,
 * listening on 127.0.0.1 with an OS-assigned port. Plain node:http keeps the simulators independent of the
 * middleware's own Express stack.
 */
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonNumber, parseJson, stringifyJson } from '../../connectors/shared/json';

export interface SimRequest {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body (bigint-safe); undefined when empty; an Error when it did not parse. */
  body: unknown;
}

export interface SimResponse {
  status: number;
  /** JSON-encoded (bigint-safe) as application/json; ignored when `raw` is set. */
  body?: unknown;
  /** Sent as is, with its own Content-Type (e.g. an HTML page): for the few answers that are not JSON. */
  raw?: { text: string; contentType: string };
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: RegExp;
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Every route answered, in order: method, path, status. Tests read it to see what the connector really called. */
export type RequestLog = { method: string; path: string; status: number }[];

export interface ServerHooks {
  /** Called after each answered request (a simulator keeping its state in a file marks it changed). */
  afterRequest?: (req: { method: string; path: string; status: number }) => void;
}

export async function startServer(routes: Route[], log: RequestLog, notFound: unknown = { errors: 'Not Found' }, hooks: ServerHooks = {}): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const rawBody = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        if (rawBody.trim() !== '') {
          try {
            body = parseJson(rawBody);
          } catch (e) {
            body = e instanceof Error ? e : new Error(String(e));
          }
        }
        let answer: SimResponse = { status: 404, body: notFound };
        for (const route of routes) {
          const m = route.method === req.method ? route.pattern.exec(url.pathname) : null;
          if (!m) continue;
          try {
            answer = await route.handle({ method: req.method ?? 'GET', path: url.pathname, params: m.slice(1).map((p) => decodeURIComponent(p ?? '')), query: url.searchParams, headers: req.headers, rawBody, body });
          } catch (e) {
            answer = { status: 500, body: { errors: e instanceof Error ? e.message : String(e) } };
          }
          break;
        }
        log.push({ method: req.method ?? '', path: url.pathname, status: answer.status });
        hooks.afterRequest?.({ method: req.method ?? '', path: url.pathname, status: answer.status });
        const text = answer.raw ? answer.raw.text : answer.body === undefined ? '' : stringifyJson(answer.body);
        const contentType = answer.raw ? answer.raw.contentType : 'application/json; charset=utf-8';
        res.writeHead(answer.status, { 'Content-Type': contentType, ...answer.headers });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/**
 * Copies a value, writing every all-digit string under an id-like key ('id', '*_id', '*Id') as a bare JSON number,
 * the way Shopify and Magento send ids, so clients meet real 64-bit ids on the wire.
 */
export function numericIds(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => numericIds(v, key));
  if (value && typeof value === 'object' && !(value instanceof JsonNumber)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numericIds(v, k)]));
  }
  if (typeof value === 'string' && /^(id|.*_id)$/.test(key) && /^(0|[1-9]\d*)$/.test(value)) return new JsonNumber(value);
  return value;
}

/** Sequential ids from `start` (a digit string), as strings; bigint so they may exceed 2^53. */
export function idSequence(start: string): IdSequence {
  let next = BigInt(start);
  const take = () => {
    const id = next.toString();
    next += 1n;
    return id;
  };
  return Object.assign(take, {
    peek: () => next.toString(),
    resume: (from: string) => {
      if (!/^(0|[1-9]\d*)$/.test(from)) throw new TypeError(`'${from}' is not a decimal id`);
      next = BigInt(from);
    },
  });
}

/** An id sequence: call it for the next id; `peek()` is the id it gives next, `resume(id)` continues from a saved one. */
export type IdSequence = (() => string) & { peek(): string; resume(from: string): void };

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const h = headers.authorization;
  return h && /^Bearer /i.test(h) ? h.slice(7).trim() : null;
}
