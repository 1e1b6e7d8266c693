/// <reference types="node" />
// core builds with `types: []`; this module needs node:crypto (HMAC, constant-time compare) and the URL class.
/**
 * OAuth 1.0a request signing as NetSuite Token-Based Authentication uses it (reference netsuite-platform.md 2.1,
 * RFC 5849 section 3.4). Pure: no environment, no I/O. Shared by the middleware's client, `ledgerbridge netsuite
 * sign` and the local account's HTTP host, so the signer and the verifier cannot drift apart.
 *
 * NetSuite accepts only HMAC-SHA256. HMAC-SHA1 and PLAINTEXT exist here only to check the RFC 5849 vectors.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1' | 'PLAINTEXT';

/** A parameter as a name/value pair; names may repeat (RFC 5849 3.4.1.3). */
export type ParamPair = readonly [name: string, value: string];

/** RFC 3986 percent-encoding of UTF-8 bytes: everything but ALPHA, DIGIT, '-', '.', '_', '~' (RFC 5849 3.6). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Thrown for input that is not valid OAuth syntax: NetSuite answers these with INVALID_REQUEST. */
export class OAuthSyntaxError extends Error {
  readonly code = 'INVALID_REQUEST';
  /** Login Audit Trail style detail: parameter_rejected, UnknownAlgorithm, VersionRejected … */
  readonly detail: string;
  constructor(detail: string, message: string) {
    super(message);
    this.name = 'OAuthSyntaxError';
    this.detail = detail;
  }
}

/** Strict percent-decoding (RFC 5849 3.5.1): a malformed escape is an error, '+' stays '+'. */
export function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new OAuthSyntaxError('parameter_rejected', `Malformed percent-encoding in "${value}".`);
  }
}

/**
 * Splits a query string or a form body into decoded pairs the way RFC 5849 3.4.1.3.1 asks
 * (application/x-www-form-urlencoded: '+' is a space; `name` alone is `name=`).
 */
export function parseFormPairs(text: string): ParamPair[] {
  const source = text.startsWith('?') ? text.slice(1) : text;
  if (source === '') return [];
  return source
    .split('&')
    .filter((part) => part !== '')
    .map((part): ParamPair => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      const value = eq === -1 ? '' : part.slice(eq + 1);
      return [percentDecode(name.replace(/\+/g, ' ')), percentDecode(value.replace(/\+/g, ' '))];
    });
}

/**
 * The base string URI (RFC 5849 3.4.1.2): scheme and host lower-case, default port dropped, path as sent,
 * no query or fragment.
 */
export function baseStringUri(url: string): string {
  const parsed = new URL(url);
  // URL already lower-cases scheme and host and drops :80 for http and :443 for https.
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * Parameter normalization (RFC 5849 3.4.1.3.2): encode each name and value, sort by encoded name then encoded
 * value in byte order, join `name=value` with '&'.
 */
export function normalizeParameters(pairs: readonly ParamPair[]): string {
  const encoded = pairs.map(([n, v]) => [percentEncode(n), percentEncode(v)] as const);
  encoded.sort((a, b) => compareBytes(a[0], b[0]) || compareBytes(a[1], b[1]));
  return encoded.map(([n, v]) => `${n}=${v}`).join('&');
}

function compareBytes(a: string, b: string): number {
  // Encoded strings are ASCII, so code-unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface BaseStringInput {
  method: string;
  /** The full request URL; its query parameters are signed. */
  url: string;
  /** Protocol parameters (oauth_*). `realm` and `oauth_signature` are ignored if present. */
  oauthParams: Readonly<Record<string, string>>;
  /**
   * Parameters of an application/x-www-form-urlencoded body (RFC 5849 3.4.1.3.1). NetSuite RESTlets take no
   * form bodies, so JSON bodies never enter the base string.
   */
  formParams?: readonly ParamPair[];
}

/** The signature base string (RFC 5849 3.4.1; reference 2.1 "Base string"). */
export function signatureBaseString(input: BaseStringInput): string {
  const parsed = new URL(input.url);
  const pairs: ParamPair[] = [];
  for (const [name, value] of Object.entries(input.oauthParams)) {
    if (name === 'realm' || name === 'oauth_signature') continue;
    pairs.push([name, value]);
  }
  pairs.push(...parseFormPairs(parsed.search));
  if (input.formParams) pairs.push(...input.formParams);
  return [
    percentEncode(input.method.toUpperCase()),
    percentEncode(baseStringUri(input.url)),
    percentEncode(normalizeParameters(pairs)),
  ].join('&');
}

/** The HMAC key: enc(consumerSecret) & enc(tokenSecret) (RFC 5849 3.4.2; reference 2.1). */
export function signingKey(consumerSecret: string, tokenSecret: string): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

/** The base64 signature (not yet percent-encoded) for a base string. */
export function computeSignature(method: SignatureMethod, baseString: string, key: string): string {
  switch (method) {
    case 'HMAC-SHA256':
      return createHmac('sha256', key).update(baseString, 'utf8').digest('base64');
    case 'HMAC-SHA1':
      return createHmac('sha1', key).update(baseString, 'utf8').digest('base64');
    case 'PLAINTEXT':
      // RFC 5849 3.4.4: the signature is the key itself.
      return key;
  }
}

/** Constant-time string equality (hashes first, so unequal lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

// ---------------------------------------------------------------------------------------------------------------
// NetSuite accounts: realm and host (reference 2.1, "realm = account id. Sandbox …")

const ACCOUNT_ID = /^(\d+|tstdrv\d+)(?:[-_]([a-z]+\d*))?$/i;

/**
 * The TBA realm for an account: upper-case with an underscore (`123456_SB1`), whatever form is given
 * (`123456-sb1`, `123456_sb1`). A lower-case sandbox realm gives "Invalid login attempt".
 */
export function realmForAccount(accountId: string): string {
  const m = ACCOUNT_ID.exec(accountId.trim());
  if (!m) throw new Error(`"${accountId}" is not a NetSuite account id (expected e.g. 123456 or 123456_SB1).`);
  const base = m[1]!.toUpperCase();
  return m[2] ? `${base}_${m[2].toUpperCase()}` : base;
}

export type NetSuiteService = 'restlets' | 'suitetalk';

/** The account-specific host name: lower-case with a hyphen (`123456-sb1.restlets.api.netsuite.com`). */
export function hostForAccount(accountId: string, service: NetSuiteService = 'restlets'): string {
  const label = realmForAccount(accountId).toLowerCase().replace('_', '-');
  return `${label}.${service}.api.netsuite.com`;
}

// ---------------------------------------------------------------------------------------------------------------
// Signing a TBA request

export interface TbaCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface TbaSignInput extends TbaCredentials {
  method: string;
  url: string;
  /** The realm: the account id in realm form (see realmForAccount). */
  realm: string;
  nonce: string;
  /** Seconds since the epoch, as a string or number. */
  timestamp: string | number;
  /** Defaults to HMAC-SHA256, the only method NetSuite accepts. */
  signatureMethod?: SignatureMethod;
}

export interface TbaSignature {
  baseString: string;
  /** Base64 signature, not percent-encoded. */
  signature: string;
  /** The Authorization header value: `OAuth realm="…", oauth_consumer_key="…", …`. */
  authorization: string;
}

/** Signs a request for NetSuite TBA and builds its Authorization header (reference 2.1). */
export function signTbaRequest(input: TbaSignInput): TbaSignature {
  const signatureMethod = input.signatureMethod ?? 'HMAC-SHA256';
  const oauthParams: Record<string, string> = {
    oauth_consumer_key: input.consumerKey,
    oauth_token: input.tokenId,
    oauth_nonce: input.nonce,
    oauth_timestamp: String(input.timestamp),
    oauth_signature_method: signatureMethod,
    oauth_version: '1.0',
  };
  const baseString = signatureBaseString({ method: input.method, url: input.url, oauthParams });
  const signature = computeSignature(signatureMethod, baseString, signingKey(input.consumerSecret, input.tokenSecret));
  const authorization = buildAuthorizationHeader(input.realm, { ...oauthParams, oauth_signature: signature });
  return { baseString, signature, authorization };
}

/** `OAuth realm="<realm>", name="enc(value)", …` in the given order (reference 2.1 "Header"). */
export function buildAuthorizationHeader(realm: string, params: Readonly<Record<string, string>>): string {
  const parts = [`realm="${percentEncode(realm)}"`];
  for (const [name, value] of Object.entries(params)) parts.push(`${percentEncode(name)}="${percentEncode(value)}"`);
  return `OAuth ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing an Authorization header (strict)

export interface ParsedOAuthHeader {
  realm: string | null;
  /** Decoded oauth_* parameters. */
  params: Record<string, string>;
}

const HEADER_PARAM = /^([A-Za-z0-9_]+)="([^"]*)"$/;

/**
 * Parses `Authorization: OAuth realm="…", oauth_…="…"`. Strict (RFC 5849 3.5.1): quoted values, no repeated or
 * empty-named parameters, only realm and oauth_* names, valid percent-encoding. Anything else throws
 * OAuthSyntaxError (NetSuite: INVALID_REQUEST, audit detail parameter_rejected).
 */
export function parseAuthorizationHeader(header: string): ParsedOAuthHeader {
  const m = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!m) throw new OAuthSyntaxError('parameter_rejected', 'The Authorization header does not use the OAuth scheme.');
  const params: Record<string, string> = {};
  let realm: string | null = null;
  const seen = new Set<string>();
  for (const rawPart of m[1]!.split(',')) {
    const part = rawPart.trim();
    const pm = HEADER_PARAM.exec(part);
    if (!pm) throw new OAuthSyntaxError('parameter_rejected', `Malformed OAuth header parameter: ${part.slice(0, 60)}`);
    const name = pm[1]!;
    if (seen.has(name)) throw new OAuthSyntaxError('parameter_rejected', `OAuth parameter ${name} appears twice.`);
    seen.add(name);
    const value = percentDecode(pm[2]!);
    if (name === 'realm') realm = value;
    else if (name.startsWith('oauth_')) params[name] = value;
    else throw new OAuthSyntaxError('parameter_rejected', `Unexpected parameter ${name} in the OAuth header.`);
  }
  return { realm, params };
}
