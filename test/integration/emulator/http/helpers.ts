/**
 * Helpers for the HTTP host's protocol tests: a RestletRunner test double on the runner seam (it records calls and
 * can hold executions open), a raw HTTP client on 127.0.0.1, and TBA signing with the shared signer.
 */
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { signTbaRequest, type TbaCredentials } from '../../../../core/netsuite/oauth1';
import type { RestletInvocation, RestletMethod, RestletOutcome, RestletRunner } from '../../../../emulator/http/restlet-runner';

export interface DoubleScript {
  scriptId: string;
  deployId: string;
  /** Numeric internal ids the URL may use instead of the script ids. */
  scriptNumber?: string;
  deployNumber?: string;
  methods: RestletMethod[];
}

/**
 * Runs no SuiteScript: it answers 200 with a JSON echo of the invocation, 405 for a method the script lacks (as
 * the runtime does, reference 3.3), and 400 with the runtime's error body when `body` asks it to throw.
 */
export class RecordingRunner implements RestletRunner {
  readonly calls: RestletInvocation[] = [];
  /** Writes that "committed" (one per completed POST/PUT), to check lost-response faults. */
  readonly commits: string[] = [];
  active = 0;
  private held: (() => void)[] = [];
  private holding = false;

  constructor(private readonly scripts: DoubleScript[]) {}

  resolve(script: string, deploy: string): { scriptId: string; deployId: string } | null {
    const s = this.find(script, deploy);
    return s ? { scriptId: s.scriptId, deployId: s.deployId } : null;
  }

  private find(script: string, deploy: string): DoubleScript | undefined {
    return this.scripts.find(
      (x) => (x.scriptId === script || x.scriptNumber === script) && (x.deployId === deploy || x.deployNumber === deploy),
    );
  }

  /** From now on, executions wait until release() is called. */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const r of this.held.splice(0)) r();
  }

  async invoke(inv: RestletInvocation): Promise<RestletOutcome> {
    this.calls.push(inv);
    this.active += 1;
    try {
      if (this.holding) await new Promise<void>((r) => this.held.push(r));
      const s = this.find(inv.script, inv.deploy)!;
      if (!s.methods.includes(inv.method)) {
        return json(405, { error: { code: 'SSS_INVALID_HTTP_METHOD', message: `No ${inv.method} entry point.` } });
      }
      if (inv.body.includes('"throw"')) {
        return json(400, { error: { code: 'SSS_UNHANDLED_ERROR', message: 'boom' } });
      }
      if (inv.method === 'POST' || inv.method === 'PUT') this.commits.push(inv.body);
      return json(200, { ok: true, method: inv.method, query: inv.query, body: inv.body });
    } finally {
      this.active -= 1;
    }
  }
}

function json(status: number, body: unknown): RestletOutcome {
  return { status, contentType: 'application/json', body: JSON.stringify(body), unitsUsed: 10 };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

/** One HTTP request on a fresh connection; rejects on network errors (reset, hang-up). */
export function send(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export function nonce(length = 20): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

export interface TbaOverrides {
  realm?: string;
  nonce?: string;
  timestamp?: number;
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
  credentials?: Partial<TbaCredentials>;
}

/** The Authorization header for a request, signed like a real TBA client. */
export function tbaHeader(
  method: string,
  url: string,
  credentials: TbaCredentials,
  realm: string,
  overrides: TbaOverrides = {},
): string {
  return signTbaRequest({
    ...credentials,
    ...overrides.credentials,
    method,
    url,
    realm: overrides.realm ?? realm,
    nonce: overrides.nonce ?? nonce(),
    timestamp: overrides.timestamp ?? Math.floor(Date.now() / 1000),
    signatureMethod: overrides.signatureMethod,
  }).authorization;
}

export const INVALID_LOGIN_BODY = { error: { code: 'INVALID_LOGIN_ATTEMPT', message: 'Invalid login attempt.' } };

/** Waits until `predicate` holds (polling), failing after `ms`. */
export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
