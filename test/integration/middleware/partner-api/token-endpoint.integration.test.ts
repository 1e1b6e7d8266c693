import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AUDIENCE, ISSUER, requestToken, startHarness, TTL_SECONDS, type Harness } from './harness';

let h: Harness;
let client: { clientId: string; clientSecret: string };

beforeAll(async () => {
  h = await startHarness();
  client = await h.auth.createClient('tenant-a', ['connections:read', 'sync:read']);
}, 60_000); // a fresh in-memory PGlite takes seconds (more on a busy machine)
afterAll(() => h.close());

async function postToken(body: string, headers: Record<string, string>) {
  const response = await fetch(`${h.baseUrl}/oauth/token`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe('POST /oauth/token (client credentials)', () => {
  it('issues a short-lived ES256 access token for HTTP Basic client authentication', async () => {
    const { status, body, headers } = await requestToken(h.baseUrl, client.clientId, client.clientSecret);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: TTL_SECONDS, scope: 'connections:read sync:read' });
    const header = decodeProtectedHeader(body.access_token as string);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    const claims = decodeJwt(body.access_token as string);
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: client.clientId, client_id: client.clientId, tenant_id: 'tenant-a' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(TTL_SECONDS);
  });

  it('accepts client credentials in a form body or a JSON body, and narrows to a requested scope subset', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'sync:read' });
    const viaForm = await postToken(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(viaForm.status).toBe(200);
    expect(viaForm.body.scope).toBe('sync:read');
    const viaJson = await postToken(JSON.stringify({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }), {
      'content-type': 'application/json',
    });
    expect(viaJson.status).toBe(200);
    expect(decodeJwt(viaJson.body.access_token as string).scope).toBe('connections:read sync:read');
  });

  it('refuses a wrong secret, an unknown client and missing authentication with 401 invalid_client', async () => {
    for (const [id, secret] of [
      [client.clientId, `${client.clientSecret}x`],
      [client.clientId, ''],
      ['lbc_unknown', client.clientSecret],
    ] as const) {
      const { status, body, headers } = await requestToken(h.baseUrl, id, secret);
      expect(status).toBe(401);
      expect(body.error).toBe('invalid_client');
      expect(body.access_token).toBeUndefined();
      expect(headers.get('www-authenticate')).toMatch(/^Basic /);
    }
    const none = await postToken('grant_type=client_credentials', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(none).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses scopes outside the client\'s grant or unknown scopes with 400 invalid_scope', async () => {
    for (const scope of ['connections:write', 'sync:read admin', 'channels:read']) {
      const { status, body } = await requestToken(h.baseUrl, client.clientId, client.clientSecret, scope);
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_scope');
    }
  });

  it('refuses other grant types, missing grant_type, two authentication methods and unparseable bodies', async () => {
    const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(await postToken('grant_type=password&username=a&password=b', { ...form, authorization: basic })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(await postToken('scope=sync:read', { ...form, authorization: basic })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(
      await postToken(`grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`, { ...form, authorization: basic }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await postToken('{"grant_type":', { 'content-type': 'application/json', authorization: basic })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await postToken(`grant_type=client_credentials&pad=${'x'.repeat(20_000)}`, { ...form, authorization: basic })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });

  it('stops issuing tokens to a revoked client', async () => {
    const doomed = await h.auth.createClient('tenant-a', ['sync:read']);
    expect((await requestToken(h.baseUrl, doomed.clientId, doomed.clientSecret)).status).toBe(200);
    expect(await h.auth.revokeClient(doomed.clientId)).toBe(true);
    expect(await requestToken(h.baseUrl, doomed.clientId, doomed.clientSecret)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('stores neither client secrets nor private keys in clear', async () => {
    const clients = await h.db.query<{ secret_hash: string }>('select secret_hash from lb_partner_clients');
    expect(clients.rows.length).toBeGreaterThan(0);
    for (const row of clients.rows) {
      expect(row.secret_hash).toMatch(/^scrypt\$/);
      expect(row.secret_hash).not.toContain(client.clientSecret);
    }
    const keys = await h.db.query<{ private_key_sealed: string; public_jwk: Record<string, unknown> }>('select private_key_sealed, public_jwk from lb_signing_keys');
    expect(keys.rows.length).toBe(1);
    expect(keys.rows[0]?.private_key_sealed).toMatch(/^v1\./);
    expect(keys.rows[0]?.private_key_sealed).not.toContain('"d"');
    expect(keys.rows[0]?.public_jwk.d).toBeUndefined();
  });

  it('validates createClient input', async () => {
    await expect(h.auth.createClient('', ['sync:read'])).rejects.toMatchObject({ code: 'invalid_tenant' });
    await expect(h.auth.createClient('tenant-a', [])).rejects.toMatchObject({ code: 'invalid_scope' });
    await expect(h.auth.createClient('tenant-a', ['sync:read', 'admin'])).rejects.toMatchObject({ code: 'invalid_scope' });
  });
});
