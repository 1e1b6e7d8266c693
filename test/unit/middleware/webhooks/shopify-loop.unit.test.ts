import { createHash, createHmac } from 'node:crypto';
import { verifyLoop } from '../../../../middleware/webhooks/verify/loop';
import { verifyShopify } from '../../../../middleware/webhooks/verify/shopify';
import { lowerCaseHeaders, readSample } from './samples';

interface ShopifyVector {
  secret: string;
  raw_body: string;
  headers: Record<string, string>;
  expected_x_shopify_hmac_sha256: string;
}

const vector = readSample<ShopifyVector>('shopify-webhook-hmac', 'webhook-hmac-vector.shopify-app-js.json');
const body = Buffer.from(vector.raw_body, 'utf8');
const signed: Record<string, string> = { ...lowerCaseHeaders(vector.headers), 'x-shopify-hmac-sha256': vector.expected_x_shopify_hmac_sha256 };

describe('Shopify X-Shopify-Hmac-Sha256 (shopify-app-js vector)', () => {
  it('accepts the published vector and keys the event by its webhook id, with the topic', () => {
    expect(verifyShopify(signed, body, vector.secret)).toEqual({ ok: true, eventId: '123456789', topic: 'products/create' });
  });

  it('prefers X-Shopify-Event-Id (per topic) and reads X-Shopify-Triggered-At', () => {
    const result = verifyShopify(
      { ...signed, 'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5', 'x-shopify-triggered-at': '2024-09-10T12:00:00.000Z' },
      body,
      vector.secret,
    );
    expect(result).toEqual({
      ok: true,
      eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5:products/create',
      topic: 'products/create',
      timestamp: new Date('2024-09-10T12:00:00.000Z'),
    });
  });

  it('accepts during secret rotation when any configured secret matches', () => {
    expect(verifyShopify(signed, body, ['old-secret', vector.secret]).ok).toBe(true);
  });

  const broken: [string, () => ReturnType<typeof verifyShopify>, string][] = [
    ['one body byte changed', () => verifyShopify(signed, Buffer.from(vector.raw_body.replace('bar', 'baz')), vector.secret), 'bad_signature'],
    ['body re-serialised (whitespace removed)', () => verifyShopify(signed, Buffer.from('{"foo":"bar"}'), vector.secret), 'bad_signature'],
    ['wrong secret', () => verifyShopify(signed, body, 'other_secret_key'), 'bad_signature'],
    ['no secret configured', () => verifyShopify(signed, body, undefined), 'no_secret'],
    ['blank secret configured', () => verifyShopify(signed, body, ['', '  ']), 'no_secret'],
    ['signature header missing', () => verifyShopify(lowerCaseHeaders(vector.headers), body, vector.secret), 'missing_signature'],
    ['signature not base64', () => verifyShopify({ ...signed, 'x-shopify-hmac-sha256': 'not*base64!' }, body, vector.secret), 'malformed_header'],
    [
      'signature truncated',
      () => verifyShopify({ ...signed, 'x-shopify-hmac-sha256': vector.expected_x_shopify_hmac_sha256.slice(0, 40) }, body, vector.secret),
      'malformed_header',
    ],
    [
      'signature header repeated',
      () => verifyShopify({ ...signed, 'x-shopify-hmac-sha256': [vector.expected_x_shopify_hmac_sha256, 'x'] }, body, vector.secret),
      'repeated_header',
    ],
    [
      'no event or webhook id',
      () => {
        const { 'x-shopify-webhook-id': _omit, ...rest } = signed;
        return verifyShopify(rest, body, vector.secret);
      },
      'missing_event_id',
    ],
  ];
  it.each(broken)('refuses when %s', (_name, run, code) => {
    const result = run();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).not.toContain(vector.secret);
    }
  });
});

describe('Loop X-Loop-Signature', () => {
  // Loop publishes no vector; its scheme (base64 HMAC-SHA256 of the raw body) is the same construction as Shopify's,
  // so Shopify's independently computed vector checks it.
  const headers = { 'x-loop-signature': vector.expected_x_shopify_hmac_sha256 };

  it('accepts a correct signature and keys the event by the body digest', () => {
    const expectedId = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    expect(verifyLoop(headers, body, vector.secret)).toEqual({ ok: true, eventId: expectedId });
  });

  it('reports the trigger as the topic and gives different bodies different keys', () => {
    const secret = 'loop-secret';
    const sign = (raw: string) => ({ 'x-loop-signature': createHmac('sha256', secret).update(raw).digest('base64') });
    const a = '{"topic":"return","trigger":"return.updated","id":"1","edited_at":"2026-01-01T00:00:00Z"}';
    const b = '{"topic":"return","trigger":"return.closed","id":"1","edited_at":"2026-01-02T00:00:00Z"}';
    const ra = verifyLoop(sign(a), Buffer.from(a), secret);
    const rb = verifyLoop(sign(b), Buffer.from(b), secret);
    expect(ra).toMatchObject({ ok: true, topic: 'return.updated' });
    expect(rb).toMatchObject({ ok: true, topic: 'return.closed' });
    expect(ra.ok && rb.ok && ra.eventId !== rb.eventId).toBe(true);
  });

  it.each([
    ['body changed', headers, Buffer.from('{"foo": "baz"}'), vector.secret, 'bad_signature'],
    ['wrong secret', headers, body, 'nope', 'bad_signature'],
    ['no secret', headers, body, undefined, 'no_secret'],
    ['header missing', {}, body, vector.secret, 'missing_signature'],
    ['Shopify header instead of Loop', { 'x-shopify-hmac-sha256': vector.expected_x_shopify_hmac_sha256 }, body, vector.secret, 'missing_signature'],
    ['header not base64', { 'x-loop-signature': '%%%' }, body, vector.secret, 'malformed_header'],
  ] as const)('refuses when %s', (_name, h, raw, secret, code) => {
    expect(verifyLoop(h, raw, secret)).toMatchObject({ ok: false, code });
  });
});
