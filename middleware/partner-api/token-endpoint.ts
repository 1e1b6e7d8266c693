/**
 * POST /oauth/token — OAuth 2.0 client credentials (RFC 6749 §4.4). The client authenticates with HTTP Basic
 * (preferred, §2.3.1) or client_id/client_secret in the body (form or JSON), never both. Errors use the RFC's
 * shape `{error, error_description}` so standard OAuth clients understand them.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Request, Response } from 'express';
import type { Db } from '../store/db';
import { verifyClientSecret } from './client-secret';
import { isPartnerScope, splitScopes } from './scopes';
import type { SigningKeyStore } from './signing-keys';
import { TOKEN_ALG } from './signing-keys';
import { findActivePartnerClient } from './sql';

export const ACCESS_TOKEN_TYPE = 'at+jwt';

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type';

function oauthError(res: Response, status: number, error: OAuthError, description: string): void {
  if (error === 'invalid_client') res.set('WWW-Authenticate', 'Basic realm="ledgerbridge", charset="UTF-8"');
  res.set('Cache-Control', 'no-store').status(status).json({ error, error_description: description });
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

type Credentials = { kind: 'ok'; clientId: string; clientSecret: string } | { kind: 'error'; error: OAuthError; message: string };

function readCredentials(req: Request, body: Record<string, unknown>): Credentials {
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

export interface TokenEndpointOptions {
  db: Db;
  keys: SigningKeyStore;
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  now: () => Date;
}

export function createTokenHandler(options: TokenEndpointOptions) {
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
    const client = credentials.clientId.length <= 200 ? await findActivePartnerClient(options.db, credentials.clientId) : undefined;
    if (!client || !(await verifyClientSecret(credentials.clientSecret, client.secret_hash))) {
      return oauthError(res, 401, 'invalid_client', 'unknown client or wrong secret');
    }

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
