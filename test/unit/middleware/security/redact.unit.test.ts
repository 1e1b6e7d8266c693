import { Writable } from 'node:stream';
import pino from 'pino';
import { isSecretKey, REDACTED, redactDeep, redactOptions } from '../../../../middleware/security/redact';

const SECRET = 'sk_live_SUPER_SECRET_0123456789';

function captureLogger(): { logger: pino.Logger; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ redact: redactOptions }, stream), output: () => chunks.join('') };
}

describe('log redaction', () => {
  it('a pino logger configured with redactOptions never prints a secret', () => {
    const { logger, output } = captureLogger();
    logger.info({ req: { method: 'POST', url: '/webhooks/shopify', headers: { authorization: `Bearer ${SECRET}`, cookie: SECRET } } }, 'request');
    logger.info({ res: { headers: { 'set-cookie': SECRET } } }, 'response');
    logger.info({ clientSecret: SECRET, client_secret: SECRET, token: SECRET }, 'top level');
    logger.info({ channel: { settings: { webhookSecret: SECRET, consumer_secret: SECRET, consumerKey: SECRET } } }, 'nested');
    logger.info({ netsuite: { tba: { auth: { tokenSecret: SECRET, privateKey: SECRET } } } }, 'deep');
    logger.info({ upstream: { headers: { 'x-authorization': SECRET, 'x-api-key': SECRET } } }, 'headers');
    logger.info({ body: { access_token: SECRET, refresh_token: SECRET, token_type: 'Bearer', expires_in: 300 } }, 'oauth');
    const text = output();
    expect(text).not.toContain(SECRET);
    // What is not secret still gets through, and the censor marks what was removed.
    expect(text).toContain('/webhooks/shopify');
    expect(text).toContain('"token_type":"Bearer"');
    expect(text.split(REDACTED).length - 1).toBe(15);
  });

  it('redactDeep censors secret fields at any depth, inside arrays, and credentials inside strings', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const payload = {
      a: { b: { c: { d: { e: { apiKey: SECRET, keep: 'visible' } } } } },
      list: [{ password: SECRET }, `Authorization: Bearer ${SECRET}`],
      message: `basic ${Buffer.from(`id:${SECRET}`).toString('base64')} failed`,
      settings: { secret: null },
      cyclic,
    };
    const out = redactDeep(payload) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(`id:${SECRET}`).toString('base64'));
    expect(text).toContain('visible');
    expect(text).toContain('[Circular]');
    expect(out.settings).toEqual({ secret: null });
    // The input is not modified.
    expect(payload.a.b.c.d.e.apiKey).toBe(SECRET);
  });

  it('redactDeep turns errors into plain objects without their secrets', () => {
    const err = Object.assign(new Error(`token exchange failed with Bearer ${SECRET}`), {
      code: 'invalid_grant',
      config: { headers: { Authorization: `Bearer ${SECRET}` }, data: { client_secret: SECRET } },
    });
    const out = redactDeep(new Error('outer', { cause: err })) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(text).not.toContain(SECRET);
    expect(text).toContain('invalid_grant');
    expect(text).toContain('token exchange failed');
    expect(out.message).toBe('outer');
  });

  it('names secret keys in every spelling but leaves look-alikes alone', () => {
    for (const key of ['secret', 'clientSecret', 'CLIENT_SECRET', 'x-api-key', 'accessToken', 'private_key', 'Authorization']) {
      expect(isSecretKey(key)).toBe(true);
    }
    for (const key of ['token_type', 'tokenTtlSeconds', 'expires_in', 'secretLast4', 'id']) {
      expect(isSecretKey(key)).toBe(false);
    }
  });
});
