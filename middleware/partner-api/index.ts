/**
 * Partner API authentication: OAuth 2.0 client-credentials tokens (short-lived ES256 JWTs), JWKS, key rotation,
 * scopes. Mount `router` at the app root (it serves /oauth/token and /.well-known/jwks.json) and guard routes with
 * `requireScope(...)`; handlers then read the tenant only from `req.auth.tenantId`.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SecretBox } from '../security/secret-box';
import type { Db } from '../store/db';
import { hashClientSecret, newClientId, newClientSecret } from './client-secret';
import { createRequireScope } from './require-scope';
import { isPartnerScope, PARTNER_SCOPES, type PartnerScope } from './scopes';
import { createSigningKeyStore } from './signing-keys';
import { insertPartnerClient, revokePartnerClient } from './sql';
import { createTokenHandler, type TokenLimits } from './token-endpoint';
import type { Metrics } from '../observability/metrics';

export type { PartnerAuthContext } from './auth-context';
export { PARTNER_SCOPES, isPartnerScope, type PartnerScope };
export { TOKEN_ALG } from './signing-keys';

export interface PartnerAuthOptions {
  db: Db;
  secretBox: SecretBox;
  /** `iss` of issued tokens, e.g. the middleware's public base URL. */
  issuer: string;
  /** `aud` of issued tokens, e.g. "ledgerbridge-partner-api". */
  audience: string;
  tokenTtlSeconds?: number;
  now?: () => Date;
  /** Attempts allowed at POST /oauth/token per client id and per address (token-endpoint.ts DEFAULT_TOKEN_LIMITS). */
  tokenLimits?: Partial<TokenLimits>;
  /** Where 429s of the token endpoint are counted. */
  metrics?: Pick<Metrics, 'tokenRateLimited'>;
}

export interface CreatedClient {
  clientId: string;
  /** Shown once; only its hash is stored. */
  clientSecret: string;
  tenantId: string;
  scopes: PartnerScope[];
}

export class PartnerAuthError extends Error {
  constructor(
    readonly code: 'invalid_tenant' | 'invalid_scope',
    message: string,
  ) {
    super(message);
    this.name = 'PartnerAuthError';
  }
}

/** Retired keys stay verifiable this long past the token lifetime (clock skew between processes). */
const RETIRED_KEY_LEEWAY_SECONDS = 60;
const BODY_LIMIT = '8kb';

export function createPartnerAuth(options: PartnerAuthOptions) {
  const { db, secretBox, issuer, audience } = options;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 300;
  const now = options.now ?? (() => new Date());
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 1 || tokenTtlSeconds > 86_400) {
    throw new RangeError('tokenTtlSeconds must be a whole number of seconds between 1 and 86400');
  }

  const keys = createSigningKeyStore({ db, secretBox, now, retiredKeyLifetimeSeconds: tokenTtlSeconds + RETIRED_KEY_LEEWAY_SECONDS });
  const requireScope = createRequireScope({ keys, issuer, audience, now });

  const router: Router = express.Router();
  router.post(
    '/oauth/token',
    express.urlencoded({ extended: false, limit: BODY_LIMIT }),
    express.json({ limit: BODY_LIMIT }),
    createTokenHandler({
      db,
      keys,
      issuer,
      audience,
      tokenTtlSeconds,
      now,
      ...(options.tokenLimits ? { limits: options.tokenLimits } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    }),
    // Body-parser failures (bad JSON, too large) answer in OAuth's error shape.
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      const status = (err as { status?: unknown })?.status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        res.set('Cache-Control', 'no-store').status(400).json({ error: 'invalid_request', error_description: 'request body could not be parsed' });
        return;
      }
      next(err);
    },
  );
  router.get('/.well-known/jwks.json', async (_req, res) => {
    await keys.currentSigningKey(); // publish a key before the first token is asked for
    const published = await keys.verificationKeys();
    res.set('Cache-Control', 'public, max-age=60').json({ keys: published.map((k) => k.jwk) });
  });

  return {
    router,
    requireScope,

    /** Retires the current signing key (verifiable until its tokens expire) and starts signing with a new one. */
    rotateKeys: () => keys.rotate(),

    /** Registers a partner client for a tenant. The secret is returned once and never stored in clear. */
    async createClient(tenantId: string, scopes: readonly string[]): Promise<CreatedClient> {
      if (typeof tenantId !== 'string' || tenantId.trim() === '') throw new PartnerAuthError('invalid_tenant', 'tenant id is required');
      const unknown = scopes.filter((s) => !isPartnerScope(s));
      if (scopes.length === 0 || unknown.length > 0) {
        throw new PartnerAuthError('invalid_scope', `scopes must be a non-empty subset of: ${PARTNER_SCOPES.join(', ')}`);
      }
      const granted = [...new Set(scopes)] as PartnerScope[];
      const clientId = newClientId();
      const clientSecret = newClientSecret();
      await insertPartnerClient(db, { clientId, tenantId, secretHash: await hashClientSecret(clientSecret), scopes: granted.join(' ') });
      return { clientId, clientSecret, tenantId, scopes: granted };
    },

    /** Stops a client from getting new tokens (tokens already issued live out their short lifetime). */
    revokeClient: (clientId: string) => revokePartnerClient(db, clientId, now()),

    /** Public JWKs currently published (current + retired-but-unexpired). */
    publishedKeys: async () => (await keys.verificationKeys()).map((k) => k.jwk),
  };
}

export type PartnerAuth = ReturnType<typeof createPartnerAuth>;
