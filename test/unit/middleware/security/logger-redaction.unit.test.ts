/**
 * The middleware's own logger (createLogger), on its real JSON output: secrets never appear, however they arrive —
 * an HTTP client's error with its request config, credentials inside messages, capitalised header names, secret
 * fields nested deeper than the path list reaches, child loggers.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../../middleware/observability/logger';

const SECRET = 'sk_live_NEVER_LOG_ME_0123456789abcdef';

function capture(): { logger: ReturnType<typeof createLogger>; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', name: 'test', destination });
  const text = (): string => chunks.join('');
  return { logger, text, lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the middleware logger', () => {
  it('keeps secrets out of an HTTP client error logged as err (request config, headers, body, response)', () => {
    const { logger, text, lines } = capture();
    const error = Object.assign(new Error(`Request failed: Authorization: Bearer ${SECRET}`), {
      code: 'ERR_BAD_REQUEST',
      config: {
        url: 'https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl',
        headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' },
        data: JSON.stringify({ client_secret: SECRET }),
      },
      response: { status: 401, data: { access_token: SECRET, error: 'invalid_token' } },
    });
    logger.error({ err: error }, 'netsuite call failed');
    expect(text()).not.toContain(SECRET);
    const [line] = lines();
    expect(line).toMatchObject({ msg: 'netsuite call failed', err: { message: expect.stringContaining('Request failed') } });
    expect(JSON.stringify(line)).toContain('restlet.nl');
    expect(JSON.stringify(line)).toContain('invalid_token');
  });

  it('masks credentials inside strings and secret fields at any depth, in any spelling', () => {
    const { logger, text } = capture();
    logger.warn(`token exchange answered for Basic ${Buffer.from(`id:${SECRET}`).toString('base64')}`);
    logger.info({ headers: { Authorization: `Bearer ${SECRET}`, 'X-Api-Key': SECRET } }, 'outbound');
    logger.info({ a: { b: { c: { d: { e: { Password: SECRET, consumer_secret: SECRET } } } } } }, 'deep');
    logger.info({ channel: { settings: { shopDomain: 'demo.myshopify.com' }, secrets: { webhookSecret: SECRET, previousWebhookSecrets: [SECRET] } } }, 'channel');
    logger.child({ requestId: 'r-1' }).info({ tba: { tokenSecret: SECRET, tokenId: 'visible-token-id' } }, 'child');
    const out = text();
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(Buffer.from(`id:${SECRET}`).toString('base64'));
    expect(out).toContain('demo.myshopify.com');
    expect(out).toContain('"requestId":"r-1"');
  });
});
