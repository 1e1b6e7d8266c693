/**
 * Builds the OpenAPI 3.1 document from route contracts. Schemas come from zod 4's own `z.toJSONSchema` (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses as is): request schemas as the input they accept, responses as the output they
 * produce. The partner token endpoint, JWKS and the security schemes are always included; the health, readiness
 * and metrics endpoints and the webhook intake with `service`. Every error answer carries the machine-readable error body.
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
  /**
   * The service's own endpoints: /healthz, /readyz, /metrics and the webhook intake
   * (`/webhooks/{channelKind}/{channelId}`, for these channel kinds). Left out when absent.
   */
  service?: { webhookKinds: readonly string[] };
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
  description: 'Every error answer: a machine-readable code and a plain message.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', description: 'Machine-readable, e.g. invalid_settings' }, message: { type: 'string', description: 'Plain words, for a person' } },
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

function jsonContent(schema: JsonObject, example?: unknown): JsonObject {
  return { 'application/json': { schema, ...(example !== undefined ? { examples: { example: { value: example } } } : {}) } };
}

const ERROR_REF: JsonObject = { $ref: '#/components/schemas/Error' };

/** Generic error codes every route of a kind can answer, by status, beside the route's own. */
const COMMON_ERRORS: Readonly<Record<number, { description: string; codes: readonly string[] }>> = {
  400: { description: 'The request is malformed or holds values the route refuses', codes: [] },
  401: { description: 'Missing, invalid or expired access token', codes: ['invalid_token'] },
  403: { description: 'The token lacks a required scope', codes: ['insufficient_scope'] },
  404: { description: 'Not found', codes: [] },
  409: { description: 'The resource is not in a state that allows this', codes: [] },
  413: { description: 'The body is larger than the limit', codes: ['payload_too_large'] },
  500: { description: 'Unexpected error (logged with the request id)', codes: ['internal_error'] },
  503: { description: 'A dependency is unavailable; retry shortly', codes: ['auth_unavailable'] },
};

function errorResponse(status: number, codes: readonly string[], extra?: string): JsonObject {
  const common = COMMON_ERRORS[status];
  const all = [...new Set([...codes, ...(common?.codes ?? [])])];
  const description = `${extra ?? common?.description ?? STATUS_CODES[status] ?? 'Error'}${all.length ? ` (codes: ${all.join(', ')})` : ''}`;
  const code = all[0] ?? `http_${status}`;
  return {
    description,
    content: jsonContent(ERROR_REF, { error: { code, message: `${STATUS_CODES[status] ?? 'Error'}: what went wrong, in plain words.` } }),
  };
}

function operation(route: RouteDefinition): JsonObject {
  const responses: JsonObject = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    const code = Number(status);
    const example = code < 400 ? route.examples?.responses?.[code] : undefined;
    responses[status] = {
      description: STATUS_CODES[code] ?? 'Response',
      ...(schema ? { content: jsonContent(jsonSchema(schema, 'output'), example) } : {}),
    };
  }
  const scopes = route.scopes ?? [];
  const secured = scopes.length > 0;
  const errors: Record<number, readonly string[]> = { ...route.errors };
  const params = parameters(route);
  if (route.request?.body || params.length) errors[400] = [...(errors[400] ?? []), ...(route.request?.body ? ['invalid_body'] : []), ...(route.request?.query ? ['invalid_query'] : []), ...(route.request?.params ? ['invalid_path'] : [])];
  if (secured) {
    errors[401] ??= [];
    errors[403] ??= [];
    errors[503] ??= [];
  }
  errors[500] ??= [];
  for (const [status, codes] of Object.entries(errors).sort(([a], [b]) => Number(a) - Number(b))) responses[status] ??= errorResponse(Number(status), codes);
  return {
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${toOpenApiPath(route.path).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(route.tags?.length ? { tags: [...route.tags] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(route.request?.body
      ? { requestBody: { required: true, content: jsonContent(jsonSchema(route.request.body, 'input'), route.examples?.request) } }
      : {}),
    responses,
    // The OAuth 2.0 client credentials scheme names the scopes the route requires.
    security: secured ? [{ partnerOAuth: [...scopes] }] : [],
  };
}

const TOKEN_EXAMPLE = {
  access_token: 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImtleS0xIn0.eyJzdWIiOiJjbGllbnQtMSJ9.c2lnbmF0dXJl',
  token_type: 'Bearer',
  expires_in: 900,
  scope: 'channels:read sync:read',
};

function authPaths(tokenUrl: string): JsonObject {
  const tokenRequest: JsonObject = {
    type: 'object',
    required: ['grant_type'],
    properties: {
      grant_type: { type: 'string', const: 'client_credentials' },
      scope: { type: 'string', description: "Space-separated subset of the client's scopes; all of them when omitted." },
      client_id: { type: 'string' },
      client_secret: { type: 'string' },
    },
  };
  const oauthError = (codes: string): JsonObject => ({
    description: codes,
    content: jsonContent({ $ref: '#/components/schemas/OAuthError' }, { error: codes.split(',')[0]?.trim(), error_description: 'What was wrong with the request.' }),
  });
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
          content: {
            'application/x-www-form-urlencoded': { schema: tokenRequest, examples: { example: { value: { grant_type: 'client_credentials', scope: 'channels:read sync:read' } } } },
            'application/json': { schema: tokenRequest, examples: { example: { value: { grant_type: 'client_credentials', client_id: 'lbc_1a2b3c', client_secret: 's3cr3t-value' } } } },
          },
        },
        responses: {
          '200': {
            description: 'Access token',
            content: jsonContent(
              {
                type: 'object',
                required: ['access_token', 'token_type', 'expires_in', 'scope'],
                properties: {
                  access_token: { type: 'string' },
                  token_type: { type: 'string', const: 'Bearer' },
                  expires_in: { type: 'integer', description: 'Seconds until the token expires' },
                  scope: { type: 'string' },
                },
              },
              TOKEN_EXAMPLE,
            ),
          },
          '400': oauthError('invalid_request, invalid_scope, unsupported_grant_type'),
          '401': oauthError('invalid_client'),
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
            content: jsonContent(
              {
                type: 'object',
                required: ['keys'],
                properties: { keys: { type: 'array', items: { type: 'object', required: ['kty'], properties: { kty: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' }, use: { type: 'string' } } } } },
              },
              { keys: [{ kty: 'EC', crv: 'P-256', kid: 'key-1', alg: 'ES256', use: 'sig', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] },
            ),
          },
        },
      },
    },
  };
}

function operationalPaths(webhookKinds: readonly string[]): JsonObject {
  const check = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' }, detail: { type: 'string' } } };
  const readiness = (example: unknown): JsonObject =>
    jsonContent(
      {
        type: 'object',
        required: ['status', 'checks'],
        properties: { status: { type: 'string', enum: ['ready', 'not_ready'] }, checks: { type: 'object', additionalProperties: check } },
      },
      example,
    );
  return {
    '/healthz': {
      get: {
        summary: 'Liveness: the process is up (no dependency is checked)',
        operationId: 'getHealthz',
        tags: ['operations'],
        security: [],
        responses: {
          '200': { description: 'Up', content: jsonContent({ type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } }, { status: 'ok' }) },
        },
      },
    },
    '/readyz': {
      get: {
        summary: 'Readiness: the store answers, every migration is applied, the job queue runs, not shutting down',
        operationId: 'getReadyz',
        tags: ['operations'],
        security: [],
        responses: {
          '200': { description: 'Ready', content: readiness({ status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, jobs: { ok: true } } }) },
          '503': {
            description: 'Not ready (each failing check says why)',
            content: readiness({ status: 'not_ready', checks: { database: { ok: true }, migrations: { ok: true }, jobs: { ok: false, detail: 'job queue is not running' } } }),
          },
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics (text exposition format): requests, sync records by state, jobs by state, process',
        operationId: 'getMetrics',
        tags: ['operations'],
        security: [],
        responses: {
          '200': {
            description: 'Metrics',
            content: {
              'text/plain': {
                schema: { type: 'string' },
                examples: { example: { value: '# HELP ledgerbridge_sync_records Sync records by state\n# TYPE ledgerbridge_sync_records gauge\nledgerbridge_sync_records{state="posted"} 12\n' } },
              },
            },
          },
        },
      },
    },
    '/webhooks/{channelKind}/{channelId}': {
      post: {
        summary: "A platform's webhook delivery for one channel: verified with the channel's secret, stored once per event id, answered before processing",
        description:
          "Give each platform the channel's `webhookUrl`. The body is kept byte for byte (signatures cover the exact bytes); Shopify, Loop and " +
          'payments sign with HMAC, Magento with Standard Webhooks, eBay with ECDSA. A redelivered event answers 200 with `duplicate: true`.',
        operationId: 'postWebhook',
        tags: ['webhooks'],
        security: [],
        parameters: [
          { name: 'channelKind', in: 'path', required: true, schema: { type: 'string', enum: [...webhookKinds] } },
          { name: 'channelId', in: 'path', required: true, schema: { type: 'string', minLength: 1 } },
        ],
        requestBody: {
          required: true,
          description: "The platform's event, as the platform sends it (signature headers per platform).",
          content: jsonContent({ type: 'object' }, { id: 820982911946154500, order_id: 450789469, note: 'wrong size', refund_line_items: [] }),
        },
        responses: {
          '200': { description: 'Already received (the same event id): nothing new queued', content: jsonContent({ $ref: '#/components/schemas/WebhookReceipt' }, { received: true, duplicate: true, eventId: 'evt-1', syncRecordId: '5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f' }) },
          '202': { description: 'Accepted and queued', content: jsonContent({ $ref: '#/components/schemas/WebhookReceipt' }, { received: true, duplicate: false, eventId: 'evt-1', syncRecordId: '5b2c9f1e-1d7a-4c3b-9e8f-0a1b2c3d4e5f' }) },
          '400': errorResponse(400, ['invalid_body', 'invalid_event_id', 'missing_event_id', 'malformed_body']),
          '401': errorResponse(401, ['invalid_signature', 'webhook_secret_not_configured'], 'The signature does not verify, or the channel has no secret'),
          '404': errorResponse(404, ['channel_not_found', 'unsupported_kind']),
          '413': errorResponse(413, []),
          '500': errorResponse(500, []),
          '503': errorResponse(503, ['key_unavailable'], "The platform's verification key could not be fetched; the platform delivers again"),
        },
      },
    },
  };
}

export function buildOpenApiDocument(options: OpenApiOptions): JsonObject {
  const tokenUrl = options.tokenUrl ?? '/oauth/token';
  const paths: Record<string, JsonObject> = { ...(authPaths(tokenUrl) as Record<string, JsonObject>), ...(options.service ? (operationalPaths(options.service.webhookKinds) as Record<string, JsonObject>) : {}) };
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
        partnerOAuth: {
          type: 'oauth2',
          description: `OAuth 2.0 client credentials: get a token at ${tokenUrl}, send it as \`Authorization: Bearer <token>\` (an ES256 JWT).`,
          flows: { clientCredentials: { tokenUrl, scopes } },
        },
        clientBasic: { type: 'http', scheme: 'basic', description: 'client_id and client_secret, for the token endpoint only' },
      },
      schemas: {
        Error: ERROR_SCHEMA,
        OAuthError: OAUTH_ERROR_SCHEMA,
        WebhookReceipt: {
          type: 'object',
          required: ['received', 'duplicate', 'eventId', 'syncRecordId'],
          properties: { received: { type: 'boolean', const: true }, duplicate: { type: 'boolean' }, eventId: { type: 'string' }, syncRecordId: { type: 'string' } },
        },
      },
    },
  };
}
