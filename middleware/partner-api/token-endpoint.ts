/**
 * POST /oauth/token — OAuth 2.0 client credentials (RFC 6749 §4.4). The client authenticates with HTTP Basic
 * (preferred, §2.3.1) or client_id/client_secret in the body (form or JSON), never both. Errors use the RFC's
 * shape `{error, error_description}` so standard OAuth clients understand them.
 *
 * Abuse: attempts are counted per client id and per source address in fixed windows (default 10 per client id and
 * 50 per address per minute; a success takes its attempt back, so only failures accumulate). Over a limit the
 * answer is 429 `temporarily_unavailable` with Retry-After (seconds to the window's end), the secret is not even
 * checked, and `ledgerbridge_oauth_token_rate_limited_total{limit}` counts it. On PostgreSQL the counters live in
 * the store (lb_token_attempts), shared by every process on the database; on PGlite (one process) they live in
 * memory. An unknown client id costs the same as a known one: a dummy hash with the same scrypt parameters is
 * verified, so response times do not tell which client ids exist. A client id that breaks the id rule
 * (middleware/lib/ids.ts), e.g. holding NUL, answers 400 invalid_request without touching the store.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Request, Response } from 'express';
import type { Db } from '../store/db';
import type { Metrics } from '../observability/metrics';
import { isValidId } from '../lib/ids';
import { createMemoryCounter, retryAfterSeconds, windowStart, type WindowCounter } from '../lib/rate-limit';
import { dummyClientSecretHash, verifyClientSecret } from './client-secret';
import { isPartnerScope, splitScopes } from './scopes';
import type { SigningKeyStore } from './signing-keys';
import { TOKEN_ALG } from './signing-keys';
import { findActivePartnerClient, forgiveTokenAttempt, hitTokenAttempt, purgeTokenAttempts } from './sql';

export const ACCESS_TOKEN_TYPE = 'at+jwt';

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type' | 'temporarily_unavailable';

function oauthError(res: Response, status: number, error: OAuthError, description: string): void {
  if (error === 'invalid_client') res.set('WWW-Authenticate', 'Basic realm="ledgerbridge", charset="UTF-8"');
  res.set('Cache-Control', 'no-store').status(status).json({ error, error_description: description });
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

type Credentials = { kind: 'ok'; clientId: string; clientSecret: string } | { kind: 'error'; error: OAuthError; message: string };

function readCredentials(req: Request, body: Record<string, unknown>): Credentials {
  // Node keeps only the first of two Authorization headers in req.headers: two are ambiguous, refused.
  if ((req.headersDistinct.authorization?.length ?? 0) > 1) return { kind: 'error', error: 'invalid_request', message: 'Authorization was sent more than once' };
  const header = req.headers.authorization;
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (header !== undefined) {
    if (inBody) return { kind: 'error', error: 'invalid_request', message: 'use one client authentication method, not two' };
    const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
    if (!match) return { kind: 'error', error: 'invalid_client', message: 'client authentication must be HTTP Basic' };
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'error', error: 'invalid_client', message: 'malformed Basic credentials' };
    try {
      return { kind: 'ok', clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
    } catch {
      return { kind: 'error', error: 'invalid_client', message: 'malformed Basic credentials' };
    }
  }
  if (typeof body.client_id === 'string' && typeof body.client_secret === 'string' && body.client_id !== '') {
    return { kind: 'ok', clientId: body.client_id, clientSecret: body.client_secret };
  }
  return { kind: 'error', error: 'invalid_client', message: 'client authentication is required' };
}

/** Attempts allowed per window, per client id and per source address. */
export interface TokenLimits {
  perClientId: number;
  perAddress: number;
  windowSeconds: number;
}

export const DEFAULT_TOKEN_LIMITS: TokenLimits = { perClientId: 10, perAddress: 50, windowSeconds: 60 };

export interface TokenEndpointOptions {
  db: Db;
  keys: SigningKeyStore;
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  now: () => Date;
  limits?: Partial<TokenLimits>;
  metrics?: Pick<Metrics, 'tokenRateLimited'>;
}

/** Counters in the store (lb_token_attempts): shared by every process using one PostgreSQL database. */
function storeCounter(db: Db, windowMs: number, now: () => number): WindowCounter {
  let hits = 0;
  return {
    async hit(key) {
      const start = windowStart(now(), windowMs);
      const count = await hitTokenAttempt(db, key, new Date(start));
      // Now and then, drop rows of windows that are over (not awaited: never slows an answer down).
      hits += 1;
      if (hits % 200 === 0) void purgeTokenAttempts(db, new Date(start - windowMs)).catch(() => undefined);
      return { count, windowEndsAt: start + windowMs };
    },
    forgive: (key) => forgiveTokenAttempt(db, key, new Date(windowStart(now(), windowMs))),
  };
}

export function createTokenHandler(options: TokenEndpointOptions) {
  const limits = { ...DEFAULT_TOKEN_LIMITS, ...options.limits };
  const windowMs = limits.windowSeconds * 1000;
  const nowMs = (): number => options.now().getTime();
  // PostgreSQL: shared across processes through the store. PGlite: one process, so memory is enough.
  const counter = options.db.kind === 'postgres' ? storeCounter(options.db, windowMs, nowMs) : createMemoryCounter({ windowMs, now: nowMs });

  /** Counts this attempt against the client id and the address; the limit it is over, if any. */
  async function overLimit(clientId: string, address: string): Promise<{ limit: 'client_id' | 'address'; windowEndsAt: number } | undefined> {
    const [byClient, byAddress] = await Promise.all([counter.hit(`client:${clientId}`), counter.hit(`address:${address}`)]);
    if (byClient.count > limits.perClientId) return { limit: 'client_id', windowEndsAt: byClient.windowEndsAt };
    if (byAddress.count > limits.perAddress) return { limit: 'address', windowEndsAt: byAddress.windowEndsAt };
    return undefined;
  }

  return async (req: Request, res: Response): Promise<void> => {
    const body: Record<string, unknown> = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};

    if (body.grant_type === undefined) return oauthError(res, 400, 'invalid_request', 'grant_type is required');
    if (body.grant_type !== 'client_credentials') {
      return oauthError(res, 400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
    }
    if (body.scope !== undefined && typeof body.scope !== 'string') return oauthError(res, 400, 'invalid_request', 'scope must be a string');

    const credentials = readCredentials(req, body);
    if (credentials.kind === 'error') {
      return oauthError(res, credentials.error === 'invalid_client' ? 401 : 400, credentials.error, credentials.message);
    }
    if (!isValidId(credentials.clientId)) return oauthError(res, 400, 'invalid_request', 'client_id is not a valid id (1 to 200 visible ASCII characters)');

    const address = req.socket.remoteAddress ?? 'unknown';
    const limited = await overLimit(credentials.clientId, address);
    if (limited) {
      options.metrics?.tokenRateLimited.inc({ limit: limited.limit });
      res.set('Retry-After', String(retryAfterSeconds(limited.windowEndsAt, nowMs())));
      return oauthError(res, 429, 'temporarily_unavailable', 'too many failed attempts for this client or from this address; retry later');
    }

    const client = await findActivePartnerClient(options.db, credentials.clientId);
    // An unknown id verifies a dummy hash of the same cost, so timing does not reveal which ids exist.
    const verified = await verifyClientSecret(credentials.clientSecret, client?.secret_hash ?? (await dummyClientSecretHash()));
    if (!client || !verified) return oauthError(res, 401, 'invalid_client', 'unknown client or wrong secret');
    await Promise.all([counter.forgive(`client:${credentials.clientId}`), counter.forgive(`address:${address}`)]);

    const allowed = splitScopes(client.scopes);
    const requested = body.scope === undefined ? allowed : splitScopes(body.scope);
    const refused = requested.filter((s) => !isPartnerScope(s) || !allowed.includes(s));
    if (refused.length > 0) return oauthError(res, 400, 'invalid_scope', `scope not allowed for this client: ${refused.join(' ').slice(0, 200)}`);
    if (requested.length === 0) return oauthError(res, 400, 'invalid_scope', 'no scope requested');

    const key = await options.keys.currentSigningKey();
    const issuedAt = Math.floor(options.now().getTime() / 1000);
    const scope = requested.join(' ');
    const accessToken = await new SignJWT({ scope, client_id: client.client_id, tenant_id: client.tenant_id })
      .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(client.client_id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + options.tokenTtlSeconds)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(key.privateKey);

    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: options.tokenTtlSeconds,
      scope,
    });
  };
}
