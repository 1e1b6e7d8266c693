/**
 * What every webhook verifier returns. Verifiers are pure functions over the raw body bytes and the request headers
 * (names lower-cased, as Node delivers them); they never throw for bad input.
 */
export type VerifyFailureCode =
  | 'no_secret' // nothing configured to verify with: refuse (fail closed)
  | 'invalid_secret' // the configured secret cannot be used (e.g. not base64)
  | 'missing_signature'
  | 'missing_header' // another header the scheme requires is absent
  | 'malformed_header'
  | 'repeated_header' // a header the scheme signs or verifies with was sent more than once: ambiguous, refused
  | 'bad_signature'
  | 'stale_timestamp'
  | 'unsupported_algorithm'
  | 'unknown_key' // eBay: the key id is not known to the key source
  | 'key_unavailable' // eBay: the key source failed; worth a retry, not a verdict on the message
  | 'missing_event_id'
  | 'malformed_body'
  | 'unsupported_kind';

export interface VerifySuccess {
  ok: true;
  /** The platform's id for this event: the dedupe key. Always a string (platform ids can exceed 2^53). */
  eventId: string;
  /** When the platform says the event happened or was sent, if the scheme carries it. */
  timestamp?: Date;
  /** Topic or event type, if the scheme carries one outside the body's own schema. */
  topic?: string;
}

export interface VerifyFailure {
  ok: false;
  code: VerifyFailureCode;
  message: string;
}

export type VerifyResult = VerifySuccess | VerifyFailure;

export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export function fail(code: VerifyFailureCode, message: string): VerifyFailure {
  return { ok: false, code, message };
}
