/** The partner API's OpenAPI document, built from the same route specs that validate requests. */
import type { z } from 'zod';
import { buildOpenApiDocument, type RouteDefinition } from '../openapi';
import type { RouteSpec } from './routes/v1/route-spec';
import { errorResponse } from './routes/v1/schemas';

function toDefinition(spec: RouteSpec): RouteDefinition {
  const request: RouteDefinition['request'] = {
    ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
    ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
    ...(spec.body ? { body: spec.body } : {}),
  };
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    scopes: [spec.scope],
    tags: [spec.path.split('/')[2] ?? 'v1'],
    request,
    responses: { [spec.status]: spec.response, 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse },
  };
}

export function openApiDocumentFor(specs: readonly RouteSpec[], version: string): unknown {
  return buildOpenApiDocument({
    title: 'Ledgerbridge partner API',
    version,
    description: 'Connect merchants\' NetSuite accounts and channels, and follow every sync record. Tokens: OAuth 2.0 client credentials.',
    routes: specs.map(toDefinition),
  });
}
