/**
 * N/https: get/post/put/delete/request (10 units each, reference 1.1) and their `.promise` variants; answers are
 * ClientResponse {code, body, headers}. The local account reaches loopback only (127.0.0.0/8, ::1, localhost):
 * any other host throws, so a script under test can never call the internet. Calls are synchronous, as in
 * NetSuite (see runtime/sync-http.ts).
 */
import type { ExecutionSlot } from '../runtime/execution';
import { SuiteScriptError } from '../runtime/errors';
import { API_COSTS } from '../runtime/governance';

const Method = { GET: 'GET', POST: 'POST', PUT: 'PUT', DELETE: 'DELETE', HEAD: 'HEAD' } as const;
/** The metered API name of each method (runtime/governance.ts CHARGED_APIS). */
const API_NAME: Record<string, string> = { GET: 'https.get', POST: 'https.post', PUT: 'https.put', DELETE: 'https.delete', HEAD: 'https.head' };

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m[1] === '127' && m.slice(2).every((o) => Number(o) <= 255);
}

function checkUrl(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'https: options.url is required.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SuiteScriptError('SSS_INVALID_URL', `The URL must be a fully qualified HTTP or HTTPS URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SuiteScriptError('SSS_INVALID_URL', `The URL must be a fully qualified HTTP or HTTPS URL: ${raw}`);
  }
  if (!isLoopback(url.hostname)) {
    throw new SuiteScriptError(
      'SSS_INVALID_HOST',
      `The local NetSuite account only connects to loopback hosts (127.0.0.0/8, ::1, localhost), not ${url.hostname}.`,
    );
  }
  return url.toString();
}

function encodeBody(body: unknown, headers: Record<string, string>): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  // An object body is sent as a form, as N/https does.
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

interface RequestOptions {
  method?: unknown;
  url?: unknown;
  body?: unknown;
  headers?: unknown;
}

export function createHttpsModule(slot: ExecutionSlot): Record<string, unknown> {
  const send = (method: string, options: RequestOptions | undefined) => {
    const url = checkUrl(options?.url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((options?.headers ?? {}) as Record<string, unknown>)) headers[k] = String(v);
    const body = method === 'GET' || method === 'DELETE' || method === 'HEAD' ? null : encodeBody(options?.body, headers);
    const api = API_NAME[method];
    // UNCONFIRMED error code for a method outside https.Method.
    if (!api) throw new SuiteScriptError('SSS_INVALID_HTTP_METHOD', `https: unsupported method ${method} (use https.Method: ${Object.keys(Method).join(', ')}).`);
    slot.current.meter.charge(api, API_COSTS.https);
    let answer;
    try {
      answer = slot.current.host.httpRequest({ method, url, headers, body });
    } catch (e) {
      throw new SuiteScriptError('SSS_CONNECTION_CLOSED', `${method} ${url} failed: ${(e as Error).message}`);
    }
    return { code: answer.code, body: answer.body, headers: answer.headers };
  };
  const verb = (method: string) => {
    const fn = (options: RequestOptions | undefined) => send(method, options);
    fn.promise = (options: RequestOptions | undefined) => {
      try {
        return Promise.resolve(send(method, options));
      } catch (e) {
        return Promise.reject(e);
      }
    };
    return fn;
  };
  const request = (options: RequestOptions | undefined) => {
    if (!options?.method) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'https.request: options.method is required.');
    return send(String(options.method).toUpperCase(), options);
  };
  request.promise = (options: RequestOptions | undefined) => {
    try {
      return Promise.resolve(request(options));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    Method,
    get: verb('GET'),
    post: verb('POST'),
    put: verb('PUT'),
    delete: verb('DELETE'),
    request,
  };
}
