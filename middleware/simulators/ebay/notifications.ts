/**
 * The simulated eBay's side of Notification API signatures:
 *   - a signing key pair (ECDSA P-256, SHA1 digest, as eBay publishes its keys) under a random key id;
 *   - GET /commerce/notification/v1/public_key/{public_key_id}, which needs an application token (minted by the
 *     simulator's client-credentials grant, ./oauth.ts, or its fixed one) and answers { key, algorithm, digest } with the PEM on one line, as eBay does; an unknown id is 404;
 *   - signing and delivering notifications: X-EBAY-SIGNATURE = base64(JSON {alg, kid, signature, digest}) where
 *     signature is base64 DER ECDSA over the body's bytes.
 * Extra keys (e.g. the one behind eBay's published test vectors) can be published with `publishKey`.
 */
import { createPublicKey, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { bearerToken, type Route, type SimResponse } from '../shared/server';

export interface PublishedKey {
  key: string;
  algorithm: string;
  digest: string;
}

export interface EbayNotificationInput {
  topic: string;
  data: Record<string, unknown>;
  notificationId?: string;
  eventDate?: string;
}

export function createEbayNotifier(options: { isApplicationToken: (token: string | null) => boolean; now: () => Date }) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyId = randomUUID();
  const onePem = (publicKey.export({ type: 'spki', format: 'pem' }) as string).replace(/\r?\n/g, '');
  const keys = new Map<string, PublishedKey>([[keyId, { key: onePem, algorithm: 'ECDSA', digest: 'SHA1' }]]);

  /** eBay's envelope: { metadata { topic, schemaVersion, deprecated }, notification { notificationId, eventDate, … } }. */
  function envelope(input: EbayNotificationInput): Record<string, unknown> {
    const at = options.now().toISOString();
    return {
      metadata: { topic: input.topic, schemaVersion: '1.0', deprecated: false },
      notification: {
        notificationId: input.notificationId ?? `${randomUUID()}_${randomUUID()}`,
        eventDate: input.eventDate ?? at,
        publishDate: at,
        publishAttemptCount: 1,
        data: input.data,
      },
    };
  }

  /** Signs a body (an object is serialised compactly, as eBay sends it) with the simulator's key. */
  function sign(body: string | Record<string, unknown>): { body: string; headers: Record<string, string> } {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const signature = createSign('sha1').update(text, 'utf8').sign({ key: privateKey, dsaEncoding: 'der' }).toString('base64');
    const header = Buffer.from(JSON.stringify({ alg: 'ecdsa', kid: keyId, signature, digest: 'SHA1' }), 'utf8').toString('base64');
    return { body: text, headers: { 'content-type': 'application/json', 'x-ebay-signature': header } };
  }

  /** POSTs a signed notification to a webhook URL; answers the receiver's status. */
  async function deliver(url: string, input: EbayNotificationInput): Promise<{ status: number; body: string; notificationId: string }> {
    const payload = envelope(input);
    const signed = sign(payload);
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return { status: res.status, body: signed.body, notificationId: String((payload.notification as { notificationId: string }).notificationId) };
  }

  const unauthorized: SimResponse = {
    status: 401,
    body: { errors: [{ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token', longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.' }] },
  };

  /** While set, the key endpoint answers this 5xx (an eBay outage) instead of keys. */
  let outageStatus: number | null = null;

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/commerce\/notification\/v1\/public_key\/([^/]+)$/,
      handle: (req) => {
        if (outageStatus !== null) {
          return { status: outageStatus, body: { errors: [{ errorId: 195000, domain: 'API_NOTIFICATION', category: 'APPLICATION', message: 'There was a problem with an eBay internal system or process.' }] } };
        }
        if (!options.isApplicationToken(bearerToken(req.headers))) return unauthorized;
        const found = keys.get(req.params[0] ?? '');
        // The error id and wording for an unknown key id are the simulator's own (eBay's exact answer is UNCONFIRMED).
        return found
          ? { status: 200, body: found }
          : { status: 404, body: { errors: [{ errorId: 195001, domain: 'API_NOTIFICATION', category: 'REQUEST', message: 'The specified public key id was not found.' }] } };
      },
    },
  ];

  return {
    keyId,
    routes,
    envelope,
    sign,
    deliver,
    publishKey: (kid: string, key: PublishedKey) => void keys.set(kid, key),
    /** Publishes the public half of an ECDSA private key (PEM) under `kid`, e.g. a key the sandbox hands to clients. */
    publishSigningKey: (kid: string, privateKeyPem: string) =>
      void keys.set(kid, { key: (createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }) as string).replace(/\r?\n/g, ''), algorithm: 'ECDSA', digest: 'SHA1' }),
    /** Makes the key endpoint fail with `status` (default 503) until called with `false`. */
    keyEndpointOutage: (on: boolean, status = 503) => {
      outageStatus = on ? status : null;
    },
  };
}
