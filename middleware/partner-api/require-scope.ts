/**
 * Bearer-token guard for the partner API (RFC 6750). A token is accepted only when it is a JWT of type at+jwt,
 * signed with ES256 by one of OUR keys (looked up by kid in our own table, never from the token), issued by us for
 * our audience, with exp. Anything else is 401 `invalid_token`; a valid token lacking a scope is 403
 * `insufficient_scope`. On success `req.auth = { tenantId, clientId, scopes }`.
 */
import { errors as joseErrors, jwtVerify, type JWTHeaderParameters } from 'jose';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import './auth-context';
import type { PartnerAuthContext } from './auth-context';
import { isPartnerScope, splitScopes, type PartnerScope } from './scopes';
import { TOKEN_ALG, type SigningKeyStore } from './signing-keys';
import { ACCESS_TOKEN_TYPE } from './token-endpoint';

const REALM = 'ledgerbridge';
/** Leeway for clock differences between the process that issued a token and the one checking it. */
const CLOCK_TOLERANCE_SECONDS = 5;

const claimsSchema = z.object({
  tenant_id: z.string().min(1),
  client_id: z.string().min(1),
  scope: z.string(),
});

/** The key store failed (database down): not the caller's fault, so not a 401. */
class KeyLookupError extends Error {}

function quoted(text: string): string {
  return text.replace(/["\\]/g, '');
}

function unauthorized(res: Response, message: string, withError: boolean): void {
  res.set('WWW-Authenticate', withError ? `Bearer realm="${REALM}", error="invalid_token", error_description="${quoted(message)}"` : `Bearer realm="${REALM}"`);
  res.status(401).json({ error: { code: 'invalid_token', message } });
}

export interface RequireScopeOptions {
  keys: SigningKeyStore;
  issuer: string;
  audience: string;
  now: () => Date;
}

export function createRequireScope(options: RequireScopeOptions) {
  async function resolveKey(header: JWTHeaderParameters) {
    if (header.alg !== TOKEN_ALG || typeof header.kid !== 'string') throw new joseErrors.JWSInvalid('unexpected token header');
    let key;
    try {
      key = await options.keys.verificationKey(header.kid);
    } catch (err) {
      throw new KeyLookupError('signing keys unavailable', { cause: err });
    }
    if (!key) throw new joseErrors.JWKSNoMatchingKey();
    return key.publicKey;
  }

  async function authenticate(token: string): Promise<PartnerAuthContext | string> {
    try {
      const { payload } = await jwtVerify(token, resolveKey, {
        algorithms: [TOKEN_ALG],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: options.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success || claims.data.client_id !== payload.sub) return 'token claims are incomplete';
      const scopes = splitScopes(claims.data.scope).filter(isPartnerScope);
      return { tenantId: claims.data.tenant_id, clientId: claims.data.client_id, scopes };
    } catch (err) {
      if (err instanceof KeyLookupError) throw err;
      if (err instanceof joseErrors.JWTExpired) return 'token has expired';
      return 'token is not valid';
    }
  }

  return function requireScope(...required: PartnerScope[]): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const header = req.headers.authorization;
      if (header === undefined) return unauthorized(res, 'a bearer access token is required', false);
      const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*) *$/i.exec(header);
      if (!match) return unauthorized(res, 'Authorization must be "Bearer <access token>"', true);

      let outcome: PartnerAuthContext | string;
      try {
        outcome = await authenticate(match[1] as string);
      } catch {
        res.status(503).set('Retry-After', '5').json({ error: { code: 'auth_unavailable', message: 'token verification is unavailable; retry shortly' } });
        return;
      }
      if (typeof outcome === 'string') return unauthorized(res, outcome, true);

      const missing = required.filter((s) => !outcome.scopes.includes(s));
      if (missing.length > 0) {
        res.set('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope", scope="${required.join(' ')}"`);
        res.status(403).json({ error: { code: 'insufficient_scope', message: `this token lacks scope: ${missing.join(' ')}` } });
        return;
      }
      req.auth = outcome;
      next();
    };
  };
}
