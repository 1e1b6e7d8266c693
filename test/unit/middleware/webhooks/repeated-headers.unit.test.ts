/**
 * One rule for every scheme: a signature header sent twice is ambiguous and refused (`repeated_header`), even when
 * one of the two copies is valid; several space-separated signatures in ONE Standard Webhooks header are valid.
 * Headers are given as Node's `req.headersDistinct` gives them (every header an array of its values).
 */
import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { verifyWebhook, type EbayKeySource, type WebhookHeaders } from '../../../../middleware/webhooks/verify';

const body = Buffer.from('{"id":"evt_1","topic":"refund.created","notification":{"notificationId":"n-1"}}');
const hmac = (secret: string | Buffer, ...parts: (string | Buffer)[]) => {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest('base64');
};

const SHARED = 'a-shared-secret-of-some-length';
const SW_KEY = Buffer.from('standard-webhooks-test-key-bytes');
const SW_SECRET = `whsec_${SW_KEY.toString('base64')}`;
const now = new Date('2026-06-01T12:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const swSig = (key: Buffer) => `v1,${hmac(key, 'msg_1', '.', ts, '.', body)}`;

const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const kid = randomUUID();
const ebayKeys: EbayKeySource = {
  getPublicKey: async (id) => (id === kid ? { key: ec.publicKey.export({ type: 'spki', format: 'pem' }) as string, algorithm: 'ECDSA', digest: 'SHA1' } : null),
};
const ebaySig = Buffer.from(
  JSON.stringify({ alg: 'ecdsa', kid, signature: createSign('sha1').update(body).sign({ key: ec.privateKey, dsaEncoding: 'der' }).toString('base64'), digest: 'SHA1' }),
).toString('base64');

/** Every header as an array, as req.headersDistinct has it. */
const distinct = (headers: Record<string, string | string[]>): WebhookHeaders =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

type Case = { name: string; kind: Parameters<typeof verifyWebhook>[0]; secret: Parameters<typeof verifyWebhook>[3]; headers: Record<string, string>; repeat: string[] };
const cases: Case[] = [
  { name: 'Shopify', kind: 'shopify', secret: SHARED, headers: { 'x-shopify-hmac-sha256': hmac(SHARED, body), 'x-shopify-webhook-id': 'w1' }, repeat: ['x-shopify-hmac-sha256'] },
  { name: 'Loop', kind: 'loop', secret: SHARED, headers: { 'x-loop-signature': hmac(SHARED, body) }, repeat: ['x-loop-signature'] },
  { name: 'bearer (payments)', kind: 'payments', secret: SHARED, headers: { authorization: `Bearer ${SHARED}` }, repeat: ['authorization'] },
  {
    name: 'Standard Webhooks (magento)',
    kind: 'magento',
    secret: SW_SECRET,
    headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': ts, 'webhook-signature': swSig(SW_KEY) },
    repeat: ['webhook-signature', 'webhook-id', 'webhook-timestamp'],
  },
  {
    name: 'Standard Webhooks (payments, whsec_ secret)',
    kind: 'payments',
    secret: SW_SECRET,
    headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': ts, 'webhook-signature': swSig(SW_KEY) },
    repeat: ['webhook-signature'],
  },
  { name: 'eBay', kind: 'ebay', secret: ebayKeys, headers: { 'x-ebay-signature': ebaySig }, repeat: ['x-ebay-signature'] },
];

describe.each(cases)('$name', ({ kind, secret, headers, repeat }) => {
  it('accepts the header sent once (plain or as a one-value array)', async () => {
    expect(await verifyWebhook(kind, headers, body, secret, now)).toMatchObject({ ok: true });
    expect(await verifyWebhook(kind, distinct(headers), body, secret, now)).toMatchObject({ ok: true });
  });

  it.each(repeat)('refuses %s sent twice, even with one valid copy (either order)', async (name) => {
    const value = headers[name] as string;
    for (const copies of [[value, value], [value, 'x'], ['x', value]]) {
      const result = await verifyWebhook(kind, distinct({ ...headers, [name]: copies }), body, secret, now);
      expect(result).toEqual({ ok: false, code: 'repeated_header', message: expect.stringContaining(name) });
    }
  });
});

describe('Standard Webhooks: several signatures in one header', () => {
  const other = Buffer.from('another-key-the-sender-rotated-to');
  const base = { 'webhook-id': 'msg_1', 'webhook-timestamp': ts };

  it('are valid when any one matches (key rotation), in either order', async () => {
    for (const value of [`${swSig(other)} ${swSig(SW_KEY)}`, `${swSig(SW_KEY)} ${swSig(other)}`, `v1a,${'A'.repeat(86)}== ${swSig(SW_KEY)}`]) {
      expect(await verifyWebhook('magento', distinct({ ...base, 'webhook-signature': value }), body, SW_SECRET, now)).toMatchObject({ ok: true, eventId: 'msg_1' });
    }
  });

  it('but the same two signatures sent as two headers are refused', async () => {
    const result = await verifyWebhook('magento', distinct({ ...base, 'webhook-signature': [swSig(other), swSig(SW_KEY)] }), body, SW_SECRET, now);
    expect(result).toMatchObject({ ok: false, code: 'repeated_header' });
  });
});
