/**
 * The middleware's OpenAPI document, built from the same route specs that validate requests: the partner API (the
 * spine's and the flows' routes, the channel bodies with each kind's composed settings and secrets), the token
 * endpoint and JWKS, health, readiness, metrics and the webhook intake.
 */
import type { z } from 'zod';
import { buildOpenApiDocument, type RouteDefinition } from '../openapi';
import { PARTNER_SCOPES } from '../partner-api/scopes';
import { CHANNEL_KINDS } from '../tenancy/channel-kinds';
import type { RouteSpec } from './routes/v1/route-spec';

const SCOPE_DESCRIPTIONS: Readonly<Record<(typeof PARTNER_SCOPES)[number], string>> = {
  'connections:read': 'Read NetSuite connections',
  'connections:write': 'Add and change NetSuite connections (write-only credentials)',
  'channels:read': 'Read channels',
  'channels:write': 'Add and change channels, their settings and write-only secrets',
  'sync:read': 'Read sync records, exceptions, lookups and why-not answers',
  'sync:write': 'Act on sync records (retry, cancel, release) and import or retrieve now',
};

export function toDefinition(spec: RouteSpec): RouteDefinition {
  const body = spec.documentedBody ?? spec.body;
  const request: RouteDefinition['request'] = {
    ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
    ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
    ...(body ? { body } : {}),
  };
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    scopes: [spec.scope],
    tags: [spec.path.split('/')[2] ?? 'v1'],
    request,
    responses: { [spec.status]: spec.response },
    errors: { ...(spec.params ? { 404: [] as readonly string[] } : {}), ...(spec.errors as Record<number, readonly string[]> | undefined) } as Record<number, readonly string[]>,
    ...(spec.examples
      ? { examples: { ...(spec.examples.request !== undefined ? { request: spec.examples.request } : {}), responses: { [spec.status]: spec.examples.response } } }
      : {}),
  };
}

export function openApiDocumentFor(specs: readonly RouteSpec[], version: string): Record<string, unknown> {
  return buildOpenApiDocument({
    title: 'Ledgerbridge partner API',
    version,
    description:
      "Connect merchants' NetSuite accounts and channels, and follow every sync record. Tokens: OAuth 2.0 client credentials at /oauth/token. " +
      'Every error answer is `{ "error": { "code", "message" } }`.',
    routes: specs.map(toDefinition),
    scopeDescriptions: SCOPE_DESCRIPTIONS,
    service: { webhookKinds: CHANNEL_KINDS },
  });
}
