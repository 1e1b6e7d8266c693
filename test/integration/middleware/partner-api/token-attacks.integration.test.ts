/**
 * Token attacks against the partner API: every forged, stale or misdirected token gets 401 (or 403
 * for a real token lacking scope) and no data; a tenant's token never reads another tenant's data.
 */
import { createHmac } from 'node:crypto';
import { decodeProtectedHeader, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createPartnerAuth } from '../../../../middleware/partner-api';
import { accessToken, AUDIENCE, getWith, ISSUER, startHarness, TTL_SECONDS, type Harness } from './harness';

let h: Harness;
let tenantA: { clientId: string; clientSecret: string };
let tenantB: { clientId: string; clientSecret: string };
let tokenA: string;

beforeAll(async () => {
  h = await startHarness();
  tenantA = await h.auth.createClient('tenant-a', ['connections:read', 'sync:read']);
  tenantB = await h.auth.createClient('tenant-b', ['connections:read', 'sync:read']);
  tokenA = await accessToken(h.baseUrl, tenantA.clientId, tenantA.clientSecret);
}, 60_000); // a fresh in-memory PGlite takes seconds (more on a busy machine)
afterAll(() => h.close());

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function claimsFor(tenantId: string, clientId: string, overrides: Record<string, unknown> = {}) {
  const iat = Math.floor(h.clock.now / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: clientId, client_id: clientId, tenant_id: tenantId, scope: 'connections:read sync:read', iat, exp: iat + 300, ...overrides };
}

async function publishedKeys(): Promise<JWK[]> {
  const response = await fetch(`${h.baseUrl}/.well-known/jwks.json`);
  return ((await response.json()) as { keys: JWK[] }).keys;
}

/** The request is refused with 401 invalid_token, carries a Bearer challenge, and no tenant data leaks. */
async function expectRejected(token: string | undefined, path = '/v1/notes', headers: Record<string, string> = {}) {
  const result = await getWith(h.baseUrl, path, token, headers);
  expect(result.status).toBe(401);
  expect(result.body).toEqual({ error: { code: 'invalid_token', message: expect.any(String) } });
  expect(result.headers.get('www-authenticate')).toMatch(/^Bearer realm="ledgerbridge"/);
  expect(result.text).not.toContain('note of');
  expect(result.text).not.toContain('tenant-');
  return result;
}

describe('partner API token attacks', () => {
  it('baseline: a valid token reads its own tenant', async () => {
    const result = await getWith(h.baseUrl, '/v1/notes', tokenA);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ tenantId: 'tenant-a', notes: ['note of A'] });
  });

  it('no token, an empty or non-Bearer Authorization, and garbage tokens → 401', async () => {
    const none = await expectRejected(undefined);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="ledgerbridge"');
    await expectRejected(undefined, '/v1/notes', { authorization: '' });
    await expectRejected(undefined, '/v1/notes', { authorization: `Basic ${b64url(`${tenantA.clientId}:${tenantA.clientSecret}`)}` });
    for (const garbage of ['garbage', 'a.b.c', `${tokenA}x`, tokenA.split('.').slice(0, 2).join('.'), `${tokenA}.${tokenA}`]) {
      await expectRejected(garbage);
    }
  });

  it('an expired token → 401 (and it was valid before it expired)', async () => {
    const token = await accessToken(h.baseUrl, tenantA.clientId, tenantA.clientSecret);
    expect((await getWith(h.baseUrl, '/v1/notes', token)).status).toBe(200);
    h.clock.advance(TTL_SECONDS + 10);
    try {
      const result = await expectRejected(token);
      expect(result.body).toMatchObject({ error: { message: 'token has expired' } });
    } finally {
      h.clock.advance(-(TTL_SECONDS + 10));
    }
  });

  it('a token signed with our own key but for another audience or by another issuer → 401', async () => {
    // Another service sharing the key table (same db and secret box) but configured with a different aud / iss.
    for (const other of [
      { issuer: ISSUER, audience: 'some-other-api' },
      { issuer: 'https://evil.example', audience: AUDIENCE },
    ]) {
      const foreignService = createPartnerAuth({ db: h.db, secretBox: h.secretBox, ...other, now: () => new Date(h.clock.now) });
      const express = (await import('express')).default;
      const app = express().use(foreignService.router);
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as { port: number };
        const token = await accessToken(`http://127.0.0.1:${port}`, tenantA.clientId, tenantA.clientSecret);
        expect(decodeProtectedHeader(token).kid).toBe((await publishedKeys())[0]?.kid); // really signed with our key
        await expectRejected(token);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });

  it('alg "none" (unsigned) tokens → 401', async () => {
    const kid = (await publishedKeys())[0]?.kid;
    const payload = b64url(claimsFor('tenant-b', tenantB.clientId));
    for (const alg of ['none', 'None', 'NONE']) {
      await expectRejected(`${b64url({ alg, typ: 'at+jwt', kid })}.${payload}.`);
    }
  });

  it('HS256 signed with our public key as the HMAC secret (algorithm confusion) → 401', async () => {
    const jwk = (await publishedKeys())[0] as JWK;
    const publicKey = await importJWK(jwk, 'ES256', { extractable: true });
    const pem = await exportSPKI(publicKey as CryptoKey);
    const header = b64url({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid });
    const payload = b64url(claimsFor('tenant-b', tenantB.clientId));
    for (const secret of [pem, pem.trim(), JSON.stringify(jwk), `${jwk.x}${jwk.y}`]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await expectRejected(`${header}.${payload}.${signature}`);
    }
  });

  it('a token signed by a foreign key that claims our kid → 401', async () => {
    const kid = (await publishedKeys())[0]?.kid;
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claimsFor('tenant-b', tenantB.clientId)).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey);
    await expectRejected(forged);
    // The same key with an unknown kid, and with no kid at all.
    await expectRejected(await new SignJWT(claimsFor('tenant-b', tenantB.clientId)).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'attacker' }).sign(privateKey));
    await expectRejected(await new SignJWT(claimsFor('tenant-b', tenantB.clientId)).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(privateKey));
  });

  it('a real token with its payload tampered (tenant, scope or expiry changed) → 401', async () => {
    const [header, payload, signature] = tokenA.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const change of [{ tenant_id: 'tenant-b' }, { scope: 'connections:read connections:write sync:read sync:write' }, { exp: (claims.exp as number) + 86_400 }]) {
      await expectRejected(`${header}.${b64url({ ...claims, ...change })}.${signature}`);
    }
    // A header swapped to another type (same signature) is tampering too.
    await expectRejected(`${b64url({ ...decodeProtectedHeader(tokenA), typ: 'JWT' })}.${payload}.${signature}`);
  });

  it('a valid token lacking the required scope → 403 insufficient_scope and no data', async () => {
    const narrow = await accessToken(h.baseUrl, tenantA.clientId, tenantA.clientSecret, 'connections:read');
    const result = await getWith(h.baseUrl, '/v1/notes', narrow);
    expect(result.status).toBe(403);
    expect(result.body).toEqual({ error: { code: 'insufficient_scope', message: expect.stringContaining('sync:read') } });
    expect(result.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(result.text).not.toContain('note of');
    expect((await getWith(h.baseUrl, '/v1/whoami', narrow)).status).toBe(200);
  });

  it("tenant A's token never reads tenant B, whatever tenant hints the request carries", async () => {
    const tokenB = await accessToken(h.baseUrl, tenantB.clientId, tenantB.clientSecret);
    const hinted = await getWith(h.baseUrl, '/v1/notes?tenant_id=tenant-b&tenantId=tenant-b', tokenA, { 'x-tenant-id': 'tenant-b' });
    expect(hinted.body).toEqual({ tenantId: 'tenant-a', notes: ['note of A'] });
    expect(hinted.text).not.toContain('note of B');
    expect((await getWith(h.baseUrl, '/v1/notes', tokenB)).body).toEqual({ tenantId: 'tenant-b', notes: ['note of B'] });
    expect((await getWith(h.baseUrl, '/v1/whoami', tokenA)).body).toEqual({
      tenantId: 'tenant-a',
      clientId: tenantA.clientId,
      scopes: ['connections:read', 'sync:read'],
    });
  });
});

describe('signing key rotation', () => {
  it('keeps tokens issued before rotation valid until they expire, and publishes both keys meanwhile', async () => {
    const before = await accessToken(h.baseUrl, tenantA.clientId, tenantA.clientSecret);
    const oldKid = decodeProtectedHeader(before).kid;
    expect((await publishedKeys()).map((k) => k.kid)).toEqual([oldKid]);

    const rotated = await h.auth.rotateKeys();
    expect(rotated.retiredKid).toBe(oldKid);
    const jwks = await publishedKeys();
    expect(jwks.map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());
    for (const jwk of jwks) {
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(jwk.d).toBeUndefined();
    }

    const after = await accessToken(h.baseUrl, tenantA.clientId, tenantA.clientSecret);
    expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);
    expect((await getWith(h.baseUrl, '/v1/notes', before)).status).toBe(200);
    expect((await getWith(h.baseUrl, '/v1/notes', after)).status).toBe(200);

    // Once every token the old key can have signed has expired, the old key is gone from JWKS and verification.
    h.clock.advance(TTL_SECONDS + 61);
    try {
      expect((await publishedKeys()).map((k) => k.kid)).toEqual([rotated.kid]);
      await expectRejected(before);
      const fresh = await accessToken(h.baseUrl, tenantA.clientId, tenantA.clientSecret);
      expect((await getWith(h.baseUrl, '/v1/notes', fresh)).status).toBe(200);
    } finally {
      h.clock.advance(-(TTL_SECONDS + 61));
    }
  });
});
