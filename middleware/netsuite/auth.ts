/**
 * Authentication of a NetSuite connection: Token-Based Authentication (OAuth 1.0a HMAC-SHA256, signed per request
 * with core/netsuite/oauth1 — the same code the local account verifies with) or OAuth 2.0 client credentials
 * (M2M: a JWT assertion signed with the certificate's private key, exchanged for a 60-minute bearer token that is
 * cached until shortly before it expires). Reference netsuite-platform.md 2.1 and 2.2.
 */
import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { signTbaRequest, type TbaCredentials } from '../../core/netsuite/oauth1';
import type { HttpClient } from './http';

export interface Authenticator {
  readonly scheme: 'TBA' | 'OAuth2';
  /** The Authorization header for one request (TBA signs the exact method and URL). */
  authorization(method: string, url: string): Promise<string>;
  /** Forget cached credentials after NetSuite refused them (401), so the next call logs in afresh. */
  invalidate(): void;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 20 alphanumeric characters: NetSuite wants at least 6 and advises 20 without special characters (2.1). */
export function tbaNonce(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += NONCE_ALPHABET[b % NONCE_ALPHABET.length];
  return out;
}

export function tbaAuthenticator(options: {
  realm: string;
  credentials: TbaCredentials;
  now?: () => number;
  nonce?: () => string;
}): Authenticator {
  const now = options.now ?? Date.now;
  const nonce = options.nonce ?? tbaNonce;
  return {
    scheme: 'TBA',
    async authorization(method, url) {
      return signTbaRequest({
        ...options.credentials,
        method,
        url,
        realm: options.realm,
        nonce: nonce(),
        timestamp: Math.floor(now() / 1000),
      }).authorization;
    },
    invalidate() {
      // Every TBA request is signed afresh: nothing is cached.
    },
  };
}

export interface M2mOptions {
  clientId: string;
  /** The Certificate ID NetSuite shows for the uploaded certificate: the assertion's kid. */
  certificateId: string;
  /** PKCS#8 PEM private key of the certificate (RSA → PS256, EC P-256 → ES256). */
  privateKeyPem: string;
  tokenUrl: string;
  scopes?: string[];
  /** Lifetime of an assertion; NetSuite refuses more than 60 minutes. */
  assertionSeconds?: number;
  /** Refresh the bearer token this long before it expires. */
  refreshMarginSeconds?: number;
  http: HttpClient;
  now?: () => number;
}

export type M2mAlgorithm = 'PS256' | 'ES256';

/** PS256 for RSA keys, ES256 for EC P-256 keys (the families NetSuite accepts; RS256 is not among them). */
export function algorithmFor(privateKeyPem: string): M2mAlgorithm {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return 'PS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`Unsupported M2M key type ${key.asymmetricKeyType}: use an RSA (PS256) or EC P-256 (ES256) key.`);
}

/** Builds the client assertion of reference 2.2: iss = client id, scope, aud = token URL, iat, exp ≤ 60 min, jti. */
export async function m2mAssertion(options: Omit<M2mOptions, 'http' | 'tokenUrl'> & { tokenUrl: string }, nowMs: number): Promise<string> {
  const alg = algorithmFor(options.privateKeyPem);
  const key = await importPKCS8(options.privateKeyPem, alg);
  const iat = Math.floor(nowMs / 1000);
  const lifetime = Math.min(options.assertionSeconds ?? 300, 3600);
  return new SignJWT({ scope: (options.scopes ?? ['restlets']).join(',') })
    .setProtectedHeader({ alg, typ: 'JWT', kid: options.certificateId })
    .setIssuer(options.clientId)
    .setAudience(options.tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime)
    .setJti(randomUUID())
    .sign(key);
}

export class TokenRequestError extends Error {
  readonly status: number;
  readonly oauthError: string;
  constructor(status: number, oauthError: string, description: string) {
    super(`NetSuite token endpoint answered ${status} ${oauthError}: ${description}`);
    this.name = 'TokenRequestError';
    this.status = status;
    this.oauthError = oauthError;
  }
}

export function m2mAuthenticator(options: M2mOptions): Authenticator {
  const now = options.now ?? Date.now;
  const margin = (options.refreshMarginSeconds ?? 120) * 1000;
  let cached: { token: string; expiresAt: number } | null = null;
  // Concurrent callers share one token request.
  let pending: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const assertion = await m2mAssertion(options, now());
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString();
    const response = await options.http.send({
      method: 'POST',
      url: options.tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
    });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(response.body) as Record<string, unknown>;
    } catch {
      // not JSON: reported below with the status
    }
    if (response.status !== 200 || typeof parsed.access_token !== 'string') {
      throw new TokenRequestError(response.status, String(parsed.error ?? 'invalid_response'), String(parsed.error_description ?? response.body.slice(0, 200)));
    }
    const expiresIn = typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600;
    cached = { token: parsed.access_token, expiresAt: now() + expiresIn * 1000 };
    return parsed.access_token;
  }

  return {
    scheme: 'OAuth2',
    async authorization() {
      if (cached && now() < cached.expiresAt - margin) return `Bearer ${cached.token}`;
      pending ??= fetchToken().finally(() => {
        pending = null;
      });
      return `Bearer ${await pending}`;
    },
    invalidate() {
      cached = null;
    },
  };
}
