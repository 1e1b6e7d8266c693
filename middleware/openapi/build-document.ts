/**
 * Builds the OpenAPI 3.1 document from route contracts. Schemas come from zod 4's own `z.toJSONSchema` (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses as is): request schemas as the input they accept, responses as the output they
 * produce. The partner token endpoint, JWKS and the security schemes are always included.
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { RouteDefinition } from './define-route';

type JsonObject = Record<string, unknown>;

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
  routes: readonly RouteDefinition[];
  /** Server URLs, e.g. the middleware's public base URL. */
  servers?: readonly string[];
  /** Scope names and what they allow, for the OAuth flow description. */
  scopeDescriptions?: Readonly<Record<string, string>>;
  tokenUrl?: string;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  delete out.$schema;
  return out;
}

/** `/v1/connections/:connectionId` → `/v1/connections/{connectionId}` */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(route: RouteDefinition): JsonObject[] {
  const list: JsonObject[] = [];
  for (const [location, schema] of [
    ['path', route.request?.params],
    ['query', route.request?.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const fieldSchema = jsonSchema(field, 'input');
      const description = typeof fieldSchema.description === 'string' ? fieldSchema.description : undefined;
      list.push({
        name,
        in: location,
        required: location === 'path' || !field.safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: fieldSchema,
      });
    }
  }
  return list;
}

const ERROR_SCHEMA: JsonObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

const OAUTH_ERROR_SCHEMA: JsonObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string', enum: ['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type'] },
    error_description: { type: 'string' },
  },
};

function jsonContent(schema: JsonObject): JsonObject {
  return { 'application/json': { schema } };
}

function operation(route: RouteDefinition): JsonObject {
  const responses: JsonObject = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = {
      description: STATUS_CODES[Number(status)] ?? 'Response',
      ...(schema ? { content: jsonContent(jsonSchema(schema, 'output')) } : {}),
    };
  }
  const scopes = route.scopes ?? [];
  const secured = scopes.length > 0;
  if (secured) {
    responses['401'] ??= { description: 'Missing, invalid or expired access token', content: jsonContent(ERROR_SCHEMA) };
    responses['403'] ??= { description: `Token lacks a required scope (${scopes.join(', ')})`, content: jsonContent(ERROR_SCHEMA) };
  }
  const params = parameters(route);
  return {
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${toOpenApiPath(route.path).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(route.tags?.length ? { tags: [...route.tags] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(route.request?.body ? { requestBody: { required: true, content: jsonContent(jsonSchema(route.request.body, 'input')) } } : {}),
    responses,
    // Scopes on a bearer scheme are allowed by OpenAPI 3.1 ("role names"); the OAuth scheme names the flow.
    security: secured ? [{ bearerAuth: [...scopes] }] : [],
  };
}

function authPaths(tokenUrl: string): JsonObject {
  return {
    [tokenUrl]: {
      post: {
        summary: 'Get an access token (OAuth 2.0 client credentials)',
        operationId: 'postOauthToken',
        tags: ['auth'],
        description:
          'Authenticate the client with HTTP Basic (client_id:client_secret) or with client_id and client_secret in the body. ' +
          'Returns a short-lived ES256 JWT to send as `Authorization: Bearer <token>`.',
        security: [{ clientBasic: [] }, {}],
        requestBody: {
          required: true,
          content: Object.fromEntries(
            ['application/x-www-form-urlencoded', 'application/json'].map((type) => [
              type,
              {
                schema: {
                  type: 'object',
                  required: ['grant_type'],
                  properties: {
                    grant_type: { type: 'string', const: 'client_credentials' },
                    scope: { type: 'string', description: 'Space-separated subset of the client\'s scopes; all of them when omitted.' },
                    client_id: { type: 'string' },
                    client_secret: { type: 'string' },
                  },
                },
              },
            ]),
          ),
        },
        responses: {
          '200': {
            description: 'Access token',
            content: jsonContent({
              type: 'object',
              required: ['access_token', 'token_type', 'expires_in', 'scope'],
              properties: {
                access_token: { type: 'string' },
                token_type: { type: 'string', const: 'Bearer' },
                expires_in: { type: 'integer', description: 'Seconds until the token expires' },
                scope: { type: 'string' },
              },
            }),
          },
          '400': { description: 'invalid_request, invalid_scope or unsupported_grant_type', content: jsonContent(OAUTH_ERROR_SCHEMA) },
          '401': { description: 'invalid_client', content: jsonContent(OAUTH_ERROR_SCHEMA) },
        },
      },
    },
    '/.well-known/jwks.json': {
      get: {
        summary: 'Public keys that verify access tokens (current and recently retired)',
        operationId: 'getJwks',
        tags: ['auth'],
        security: [],
        responses: {
          '200': {
            description: 'JSON Web Key Set',
            content: jsonContent({ type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } } }),
          },
        },
      },
    },
  };
}

export function buildOpenApiDocument(options: OpenApiOptions): JsonObject {
  const tokenUrl = options.tokenUrl ?? '/oauth/token';
  const paths: Record<string, JsonObject> = authPaths(tokenUrl) as Record<string, JsonObject>;
  for (const route of options.routes) {
    const path = toOpenApiPath(route.path);
    const item = (paths[path] ??= {});
    if (item[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is documented twice`);
    item[route.method] = operation(route);
  }
  const scopes = options.scopeDescriptions ?? Object.fromEntries([...new Set(options.routes.flatMap((r) => r.scopes ?? []))].map((s) => [s, s]));
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, ...(options.description ? { description: options.description } : {}) },
    ...(options.servers?.length ? { servers: options.servers.map((url) => ({ url })) } : {}),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `Access token from ${tokenUrl}` },
        partnerOAuth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl, scopes } } },
        clientBasic: { type: 'http', scheme: 'basic', description: 'client_id and client_secret, for the token endpoint only' },
      },
      schemas: { Error: ERROR_SCHEMA, OAuthError: OAUTH_ERROR_SCHEMA },
    },
  };
}
