/** Shared set-up for middleware integration tests: a real middleware on 127.0.0.1 over a given store. */
import { createHmac, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../middleware/config';
import { startMiddleware, type RunningMiddleware, type StartOptions } from '../../../middleware/runtime/server';
import { ensureTenant } from '../../../middleware/store/sql/tenants';
import { createChannel, type ChannelInput } from '../../../middleware/tenancy/tenancy-service';

/** Collects every log line the middleware writes. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export async function startTestMiddleware(
  options: StartOptions & {
    database?: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
    workers?: boolean;
    logLevel?: string;
    masterKey?: string;
    /** Extra `jobs.*` settings (retry limit and delays, expiry). */
    jobs?: Record<string, unknown>;
    shutdownTimeoutMs?: number;
    /** Further settings, nested as in the config schema (e.g. `{ partnerApi: { tokenLimits: { perClientId: 2 } } }`). */
    settings?: Record<string, unknown>;
  } = {},
): Promise<{ mw: RunningMiddleware; logs: LogCapture }> {
  const logs = new LogCapture();
  const config = loadConfig({
    mode: 'production',
    env: {},
    overrides: {
      masterKey: options.masterKey ?? randomBytes(32).toString('base64'),
      database: options.database ?? { kind: 'pglite', dataDir: 'memory://' },
      logLevel: options.logLevel ?? 'info',
      http: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: options.shutdownTimeoutMs ?? 3000 },
      jobs: { workers: options.workers ?? true, pollingIntervalSeconds: 0.5, batchSize: 5, ...options.jobs },
      ...options.settings,
    },
  });
  const mw = await startMiddleware(config, { logDestination: logs, ...options });
  return { mw, logs };
}

export async function seedChannel(mw: RunningMiddleware, tenantId: string, input: ChannelInput): Promise<string> {
  await ensureTenant(mw.db, { id: tenantId, name: tenantId });
  const created = await createChannel(mw.db, mw.secretBox, tenantId, input);
  if (!created.ok) throw new Error(created.error.message);
  return created.value.id;
}

export function shopifyHeaders(secret: string, body: string | Buffer, eventId: string, topic = 'refunds/create'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
    'x-shopify-topic': topic,
    'x-shopify-event-id': eventId,
    'x-shopify-webhook-id': `wh-${eventId}`,
    'x-shopify-shop-domain': 'demo-shop.myshopify.com',
  };
}

/** A parsed JSON answer; tests read fields they assert on, so it stays loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export async function post(url: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
