/**
 * A small real app for the partner-auth tests: PGlite in memory (the spine's openDb + migration runner, with only
 * the partner-auth migration and a test table), the partner-auth router, and protected routes that read data only
 * for req.auth.tenantId. Served over real HTTP on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createPartnerAuth, type PartnerAuth } from '../../../../middleware/partner-api';
import type { TokenLimits } from '../../../../middleware/partner-api/token-endpoint';
import { createSecretBox, generateMasterKey, type SecretBox } from '../../../../middleware/security/secret-box';
import { migrate } from '../../../../middleware/store/migrate';
import { migration as partnerAuthMigration } from '../../../../middleware/store/migrations/0002_partner_auth';
import { openDb, type StoreHandle } from '../../../../middleware/store/open-db';

export const ISSUER = 'http://127.0.0.1/ledgerbridge';
export const AUDIENCE = 'ledgerbridge-partner-api';
export const TTL_SECONDS = 300;

export interface Harness {
  baseUrl: string;
  db: StoreHandle;
  secretBox: SecretBox;
  auth: PartnerAuth;
  clock: { now: number; advance(seconds: number): void };
  close(): Promise<void>;
}

export async function startHarness(options: { tokenLimits?: Partial<TokenLimits> } = {}): Promise<Harness> {
  const db = await openDb({ kind: 'pglite', dataDir: 'memory://' });
  await migrate(db, [
    partnerAuthMigration,
    { id: 'test_notes', sql: 'create table test_notes (tenant_id text not null, body text not null)' },
  ]);
  await db.query("insert into test_notes (tenant_id, body) values ('tenant-a', 'note of A'), ('tenant-b', 'note of B')");

  const clock = {
    now: Date.now(),
    advance(seconds: number) {
      clock.now += seconds * 1000;
    },
  };
  const secretBox = createSecretBox(generateMasterKey());
  const auth = createPartnerAuth({
    db,
    secretBox,
    issuer: ISSUER,
    audience: AUDIENCE,
    tokenTtlSeconds: TTL_SECONDS,
    now: () => new Date(clock.now),
    ...(options.tokenLimits ? { tokenLimits: options.tokenLimits } : {}),
  });

  const app = express();
  app.use(auth.router);
  app.get('/v1/whoami', auth.requireScope('connections:read'), (req, res) => {
    res.json({ tenantId: req.auth?.tenantId, clientId: req.auth?.clientId, scopes: req.auth?.scopes });
  });
  // Deliberately offers tenant hints in query and headers: the route must ignore them and use req.auth only.
  app.get('/v1/notes', auth.requireScope('sync:read'), async (req, res) => {
    const tenantId = req.auth?.tenantId;
    const rows = await db.query<{ body: string }>('select body from test_notes where tenant_id = $1 order by body', [tenantId]);
    res.json({ tenantId, notes: rows.rows.map((r) => r.body) });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    secretBox,
    auth,
    clock,
    async close() {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await db.close();
    },
  };
}

export async function requestToken(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  scope?: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope !== undefined ? { scope } : {}) });
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

export async function accessToken(baseUrl: string, clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const { status, body } = await requestToken(baseUrl, clientId, clientSecret, scope);
  if (status !== 200 || typeof body.access_token !== 'string') throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function getWith(baseUrl: string, path: string, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown>, headers: response.headers };
}
