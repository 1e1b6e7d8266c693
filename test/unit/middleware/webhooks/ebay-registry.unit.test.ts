import { createHmac } from 'node:crypto';
import { verifyEbay, type EbayPublicKey } from '../../../../middleware/webhooks/verify/ebay';
import { verifyWebhook, webhookSchemeFor, type ChannelKind } from '../../../../middleware/webhooks/verify/index';
import { readSample } from './samples';

interface EbayCase {
  signature: string;
  message: unknown;
  response: EbayPublicKey | null;
}
type EbayVectors = Record<'VALID' | 'INVALID' | 'SIGNATURE_MISMATCH' | 'ERROR', EbayCase>;

const vectors = readSample<EbayVectors>('ebay-notification-signature', 'notification-x-ebay-signature-vectors.event-notification-nodejs-sdk.json');

function kidOf(signatureHeader: string): string {
  return (JSON.parse(Buffer.from(signatureHeader, 'base64').toString('utf8')) as { kid: string }).kid;
}

/** The key source answers for the header's kid with the case's recorded getPublicKey response. */
function keySource(c: EbayCase) {
  const kid = kidOf(c.signature);
  const asked: string[] = [];
  return {
    asked,
    getPublicKey: async (k: string) => {
      asked.push(k);
      return k === kid ? c.response : null;
    },
  };
}

function reencode(header: string, change: Record<string, unknown>): string {
  const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...parsed, ...change })).toString('base64');
}

describe('eBay X-EBAY-SIGNATURE (event-notification-nodejs-sdk vectors)', () => {
  const valid = vectors.VALID;
  const rawBody = Buffer.from(JSON.stringify(valid.message));
  const headers = { 'x-ebay-signature': valid.signature };

  it('accepts the VALID vector, asks for the key by kid, and keys the event by notificationId', async () => {
    const keys = keySource(valid);
    const result = await verifyEbay(headers, rawBody, keys);
    expect(result).toEqual({
      ok: true,
      eventId: '49feeaeb-4982-42d9-a377-9645b8479411_33f7e043-fed8-442b-9d44-791923bd9a6d',
      timestamp: new Date('2021-03-19T20:43:59.462Z'),
      topic: 'MARKETPLACE_ACCOUNT_DELETION',
    });
    expect(keys.asked).toEqual(['9936261a-7d7b-4621-a0f1-96ccb428af49']);
  });

  it('accepts the same content sent with other whitespace, as eBay\'s SDK (which re-serialises) does', async () => {
    const pretty = Buffer.from(JSON.stringify(valid.message, null, 2));
    expect((await verifyEbay(headers, pretty, keySource(valid))).ok).toBe(true);
  });

  it('refuses the INVALID vector (content changed) and the SIGNATURE_MISMATCH vector', async () => {
    for (const c of [vectors.INVALID, vectors.SIGNATURE_MISMATCH]) {
      const result = await verifyEbay({ 'x-ebay-signature': c.signature }, Buffer.from(JSON.stringify(c.message)), keySource(c));
      expect(result).toMatchObject({ ok: false, code: 'bad_signature' });
    }
  });

  it('refuses when eBay has no key for the kid (ERROR vector)', async () => {
    const c = vectors.ERROR;
    const result = await verifyEbay({ 'x-ebay-signature': c.signature }, Buffer.from(JSON.stringify(c.message)), keySource(c));
    expect(result).toMatchObject({ ok: false, code: 'unknown_key' });
  });

  it.each([
    ['no key source', headers, rawBody, undefined, 'no_secret'],
    ['header missing', {}, rawBody, keySource(valid), 'missing_signature'],
    ['header not base64 JSON', { 'x-ebay-signature': 'bm90IGpzb24=' }, rawBody, keySource(valid), 'malformed_header'],
    ['alg is not ECDSA', { 'x-ebay-signature': reencode(valid.signature, { alg: 'hmac' }) }, rawBody, keySource(valid), 'unsupported_algorithm'],
    ['header asks for another digest than the key', { 'x-ebay-signature': reencode(valid.signature, { digest: 'SHA256' }) }, rawBody, keySource(valid), 'bad_signature'],
    ['body changed', headers, Buffer.from(JSON.stringify(valid.message).replace('test_user', 'evil_user')), keySource(valid), 'bad_signature'],
    [
      'key source fails',
      headers,
      rawBody,
      { getPublicKey: async () => Promise.reject(new Error('eBay 503')) },
      'key_unavailable',
    ],
    [
      'key is not an EC key',
      headers,
      rawBody,
      { getPublicKey: async () => ({ key: 'not a pem', algorithm: 'ECDSA', digest: 'SHA1' }) },
      'unknown_key',
    ],
  ] as const)('refuses when %s', async (_name, h, raw, keys, code) => {
    expect(await verifyEbay(h, raw, keys)).toMatchObject({ ok: false, code });
  });
});

describe('verifyWebhook registry', () => {
  const sw = readSample<{ secret: string; webhook_id: string; webhook_timestamp: number; raw_body: string; expected_webhook_signature: string }>(
    'standard-webhooks',
    'standard-webhooks-vector.json',
  );
  const swHeaders = {
    'webhook-id': sw.webhook_id,
    'webhook-timestamp': String(sw.webhook_timestamp),
    'webhook-signature': sw.expected_webhook_signature,
  };
  const swNow = new Date(sw.webhook_timestamp * 1000);

  it('picks the scheme from configuration, not from the request', async () => {
    expect(webhookSchemeFor('payments', 'plain-shared-secret')).toBe('bearer');
    expect(webhookSchemeFor('payments', sw.secret)).toBe('standard-webhooks');
    expect(webhookSchemeFor('amazon')).toBeUndefined();
    // A payments channel with a bearer secret ignores Standard Webhooks headers an attacker adds.
    const result = await verifyWebhook('payments', swHeaders, Buffer.from(sw.raw_body), 'plain-shared-secret', swNow);
    expect(result).toMatchObject({ ok: false, code: 'missing_signature' });
  });

  it('verifies payments and magento with Standard Webhooks when so configured', async () => {
    for (const kind of ['payments', 'magento'] as const) {
      expect(await verifyWebhook(kind, swHeaders, Buffer.from(sw.raw_body), sw.secret, swNow)).toMatchObject({ ok: true, eventId: sw.webhook_id });
    }
  });

  it('verifies Shopify and eBay through the registry', async () => {
    const secret = 'registry-secret';
    const body = Buffer.from('{"id":820982911946154500}');
    const hmac = createHmac('sha256', secret).update(body).digest('base64');
    expect(await verifyWebhook('shopify', { 'x-shopify-hmac-sha256': hmac, 'x-shopify-webhook-id': 'w1' }, body, secret)).toMatchObject({ ok: true, eventId: 'w1' });
    const valid = vectors.VALID;
    expect(
      await verifyWebhook('ebay', { 'x-ebay-signature': valid.signature }, Buffer.from(JSON.stringify(valid.message)), keySource(valid)),
    ).toMatchObject({ ok: true });
  });

  it('fails closed: no secret, a secret of the wrong shape, kinds without webhooks, unknown kinds', async () => {
    const body = Buffer.from('{}');
    for (const kind of ['shopify', 'loop', 'payments', 'magento', 'ebay'] as const) {
      expect(await verifyWebhook(kind, {}, body, undefined)).toMatchObject({ ok: false, code: 'no_secret' });
      expect(await verifyWebhook(kind, {}, body, [])).toMatchObject({ ok: false, code: 'no_secret' });
    }
    expect(await verifyWebhook('ebay', {}, body, 'a-string-is-not-a-key-source')).toMatchObject({ ok: false, code: 'no_secret' });
    expect(await verifyWebhook('shopify', {}, body, keySource(vectors.VALID))).toMatchObject({ ok: false, code: 'no_secret' });
    expect(await verifyWebhook('amazon', {}, body, 'secret')).toMatchObject({ ok: false, code: 'unsupported_kind' });
    expect(await verifyWebhook('woocommerce' as ChannelKind, {}, body, 'secret')).toMatchObject({ ok: false, code: 'unsupported_kind' });
  });
});
