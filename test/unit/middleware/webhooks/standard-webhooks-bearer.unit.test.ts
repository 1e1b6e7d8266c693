import { verifyBearer } from '../../../../middleware/webhooks/verify/bearer';
import { verifyStandardWebhook } from '../../../../middleware/webhooks/verify/standard-webhooks';
import { readSample } from './samples';

interface StandardVector {
  secret: string;
  webhook_id: string;
  webhook_timestamp: number;
  raw_body: string;
  expected_webhook_signature: string;
  negative_cases_from_same_tests: {
    signatures_that_must_not_verify_for_this_payload: string[];
    timestamp_tolerance_seconds_used_by_the_js_library_tests: number;
    'invalid_timestamps_rejected_by_sign()': string[];
  };
}

const v = readSample<StandardVector>('standard-webhooks', 'standard-webhooks-vector.json');
const body = Buffer.from(v.raw_body, 'utf8');
const at = (offsetSeconds: number) => new Date((v.webhook_timestamp + offsetSeconds) * 1000);
const headers = {
  'webhook-id': v.webhook_id,
  'webhook-timestamp': String(v.webhook_timestamp),
  'webhook-signature': v.expected_webhook_signature,
};
const tolerance = v.negative_cases_from_same_tests.timestamp_tolerance_seconds_used_by_the_js_library_tests;

describe('Standard Webhooks (standard-webhooks library vector)', () => {
  it('accepts the published vector, keyed by webhook-id, with its timestamp', () => {
    expect(verifyStandardWebhook(headers, body, v.secret, at(0))).toEqual({
      ok: true,
      eventId: v.webhook_id,
      timestamp: new Date(v.webhook_timestamp * 1000),
    });
  });

  it('accepts within the tolerance either way, and the secret with or without its whsec_ prefix', () => {
    expect(verifyStandardWebhook(headers, body, v.secret, at(tolerance - 1)).ok).toBe(true);
    expect(verifyStandardWebhook(headers, body, v.secret, at(-(tolerance - 1))).ok).toBe(true);
    expect(verifyStandardWebhook(headers, body, v.secret.slice('whsec_'.length), at(0)).ok).toBe(true);
  });

  it('accepts a multi-signature header when any v1 signature matches (rotation)', () => {
    const [bad] = v.negative_cases_from_same_tests.signatures_that_must_not_verify_for_this_payload;
    const multi = { ...headers, 'webhook-signature': `${bad} v1a,AAAA ${v.expected_webhook_signature}` };
    expect(verifyStandardWebhook(multi, body, v.secret, at(0)).ok).toBe(true);
  });

  it.each(v.negative_cases_from_same_tests.signatures_that_must_not_verify_for_this_payload)('refuses signature %s', (signature) => {
    expect(verifyStandardWebhook({ ...headers, 'webhook-signature': signature }, body, v.secret, at(0))).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
  });

  it.each(v.negative_cases_from_same_tests['invalid_timestamps_rejected_by_sign()'])('refuses timestamp %j', (ts) => {
    expect(verifyStandardWebhook({ ...headers, 'webhook-timestamp': ts }, body, v.secret, at(0))).toMatchObject({
      ok: false,
      code: 'malformed_header',
    });
  });

  const { 'webhook-id': _id, ...noId } = headers;
  const { 'webhook-signature': _sig, ...noSig } = headers;
  it.each([
    ['too old', headers, body, v.secret, at(tolerance + 1), 'stale_timestamp'],
    ['too far in the future', headers, body, v.secret, at(-(tolerance + 1)), 'stale_timestamp'],
    ['body changed', headers, Buffer.from('{"test": 2432232315}'), v.secret, at(0), 'bad_signature'],
    ['webhook-id changed', { ...headers, 'webhook-id': 'msg_other' }, body, v.secret, at(0), 'bad_signature'],
    ['timestamp changed (signed content)', { ...headers, 'webhook-timestamp': String(v.webhook_timestamp + 1) }, body, v.secret, at(0), 'bad_signature'],
    ['wrong secret', headers, body, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', at(0), 'bad_signature'],
    ['no secret', headers, body, undefined, at(0), 'no_secret'],
    ['secret not base64', headers, body, 'whsec_***', at(0), 'invalid_secret'],
    ['webhook-id missing', noId, body, v.secret, at(0), 'missing_header'],
    ['webhook-signature missing', noSig, body, v.secret, at(0), 'missing_signature'],
    ['signature entry without version', { ...headers, 'webhook-signature': 'g0hM9SsE' }, body, v.secret, at(0), 'malformed_header'],
  ] as const)('refuses when %s', (_name, h, raw, secret, now, code) => {
    expect(verifyStandardWebhook(h, raw, secret, now)).toMatchObject({ ok: false, code });
  });
});

describe('Alternative Payments bearer secret', () => {
  const secret = 'ap_whk_9f8e7d6c5b4a';
  const event = Buffer.from('{"id":"pay_123","topic":"payment_succeeded","data":{"amount":"10.00"}}');
  const auth = { authorization: `Bearer ${secret}` };

  it('accepts the shared secret and keys the event by topic and id', () => {
    expect(verifyBearer(auth, event, secret)).toEqual({ ok: true, eventId: 'payment_succeeded:pay_123', topic: 'payment_succeeded' });
    expect(verifyBearer({ authorization: `bearer ${secret}` }, event, ['old', secret]).ok).toBe(true);
  });

  it('falls back to data.id and accepts safe integer ids as strings', () => {
    expect(verifyBearer(auth, Buffer.from('{"data":{"id":42}}'), secret)).toEqual({ ok: true, eventId: '42' });
  });

  it.each([
    ['wrong secret', auth, event, 'other', 'bad_signature'],
    ['secret prefix only', { authorization: `Bearer ${secret.slice(0, 5)}` }, event, secret, 'bad_signature'],
    ['secret with extra characters', { authorization: `Bearer ${secret}x` }, event, secret, 'bad_signature'],
    ['no secret configured', auth, event, undefined, 'no_secret'],
    ['no Authorization', {}, event, secret, 'missing_signature'],
    ['Basic instead of Bearer', { authorization: `Basic ${secret}` }, event, secret, 'malformed_header'],
    ['body not JSON', auth, Buffer.from('id=pay_123'), secret, 'malformed_body'],
    ['body an array', auth, Buffer.from('[{"id":"x"}]'), secret, 'malformed_body'],
    ['no id', auth, Buffer.from('{"topic":"payment_failed"}'), secret, 'missing_event_id'],
    ['id beyond 2^53 as a JSON number', auth, Buffer.from('{"id":12345678901234567890}'), secret, 'missing_event_id'],
  ] as const)('refuses when %s', (_name, h, raw, s, code) => {
    expect(verifyBearer(h, raw, s)).toMatchObject({ ok: false, code });
  });
});
