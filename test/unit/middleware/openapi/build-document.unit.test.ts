import { z } from 'zod';
import { buildOpenApiDocument, createRouteRegistry, defineRoute, toOpenApiPath } from '../../../../middleware/openapi';
import { PARTNER_SCOPES } from '../../../../middleware/partner-api/scopes';

const Connection = z.object({
  id: z.string().describe('Connection id'),
  accountId: z.string(),
  status: z.enum(['pending', 'connected', 'failed']),
  concurrencyLimit: z.number().int().min(1).max(100).default(5),
});

function sampleRoutes() {
  const registry = createRouteRegistry();
  registry.define({
    method: 'get',
    path: '/v1/connections/:connectionId',
    summary: 'Read one NetSuite connection',
    scopes: ['connections:read'],
    tags: ['connections'],
    request: {
      params: z.object({ connectionId: z.string() }),
      query: z.object({ include: z.enum(['channels']).optional().describe('Embed related objects'), limit: z.coerce.number().int() }),
    },
    responses: { 200: Connection, 404: z.object({ error: z.object({ code: z.literal('not_found'), message: z.string() }) }) },
  });
  registry.define({
    method: 'post',
    path: '/v1/connections',
    summary: 'Create a NetSuite connection',
    scopes: ['connections:write'],
    request: { body: Connection.omit({ id: true, status: true }) },
    responses: { 201: Connection },
  });
  registry.define({ method: 'delete', path: '/v1/connections/:connectionId', summary: 'Delete', scopes: ['connections:write'], responses: { 204: null } });
  registry.define({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: z.object({ ok: z.boolean() }) } });
  return registry.routes;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document

describe('OpenAPI document from zod route contracts', () => {
  const doc = buildOpenApiDocument({
    title: 'Ledgerbridge partner API',
    version: '1.0.0',
    routes: sampleRoutes(),
    scopeDescriptions: Object.fromEntries(PARTNER_SCOPES.map((s) => [s, `Scope ${s}`])),
  }) as Json;

  it('is OpenAPI 3.1 and JSON-serialisable', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Ledgerbridge partner API', version: '1.0.0' });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('documents a registered route with its path and query parameters and its response schemas', () => {
    const op = doc.paths['/v1/connections/{connectionId}'].get as Json;
    expect(op.summary).toBe('Read one NetSuite connection');
    expect(op.tags).toEqual(['connections']);
    expect(op.parameters).toEqual([
      { name: 'connectionId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'include', in: 'query', required: false, description: 'Embed related objects', schema: { type: 'string', enum: ['channels'], description: 'Embed related objects' } },
      { name: 'limit', in: 'query', required: true, schema: expect.objectContaining({ type: 'integer' }) },
    ]);
    const ok = op.responses['200'].content['application/json'].schema as Json;
    expect(ok.type).toBe('object');
    expect(ok.properties.status).toEqual({ type: 'string', enum: ['pending', 'connected', 'failed'] });
    expect(ok.properties.id.description).toBe('Connection id');
    expect(ok.required).toEqual(['id', 'accountId', 'status', 'concurrencyLimit']);
    expect(ok.$schema).toBeUndefined();
    expect(op.responses['404'].content['application/json'].schema.properties.error.properties.code).toEqual({ type: 'string', const: 'not_found' });
  });

  it('documents request bodies as the input they accept (defaults make fields optional)', () => {
    const op = doc.paths['/v1/connections'].post as Json;
    const body = op.requestBody.content['application/json'].schema as Json;
    expect(Object.keys(body.properties).sort()).toEqual(['accountId', 'concurrencyLimit']);
    expect(body.required).toEqual(['accountId']);
    expect(body.properties.concurrencyLimit).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 5 });
    expect(op.responses['201'].description).toBe('Created');
    expect(doc.paths['/v1/connections/{connectionId}'].delete.responses['204']).toEqual({ description: 'No Content' });
  });

  it('secures scoped routes with the OAuth 2.0 scheme and their scopes, adds 401/403, and leaves public routes open', () => {
    const op = doc.paths['/v1/connections'].post as Json;
    expect(op.security).toEqual([{ partnerOAuth: ['connections:write'] }]);
    expect(doc.components.securitySchemes.partnerOAuth.flows.clientCredentials.tokenUrl).toBe('/oauth/token');
    expect(op.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(op.responses['403']).toBeDefined();
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/healthz'].get.responses['401']).toBeUndefined();
    expect(doc.components.securitySchemes.partnerOAuth.type).toBe('oauth2');
    expect(doc.components.securitySchemes.partnerOAuth.flows.clientCredentials).toEqual({
      tokenUrl: '/oauth/token',
      scopes: Object.fromEntries(PARTNER_SCOPES.map((s) => [s, `Scope ${s}`])),
    });
  });

  it('documents the token endpoint and the JWKS', () => {
    const token = doc.paths['/oauth/token'].post as Json;
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(token.requestBody.content['application/json'].schema.properties.grant_type).toEqual({ type: 'string', const: 'client_credentials' });
    expect(token.responses['200'].content['application/json'].schema.required).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
    expect(token.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/OAuthError' });
    expect(doc.components.schemas.OAuthError.properties.error.enum).toContain('invalid_client');
    expect(doc.paths['/.well-known/jwks.json'].get.responses['200']).toBeDefined();
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(doc.paths as Record<string, Json>).flatMap((item) => Object.values(item).map((op) => (op as Json).operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('getV1ConnectionsConnectionId');
  });

  it('refuses duplicate routes and malformed definitions', () => {
    const registry = createRouteRegistry();
    const route = { method: 'get', path: '/v1/x', summary: 'x', responses: { 200: z.string() } } as const;
    registry.define(route);
    expect(() => registry.define(route)).toThrow(/defined twice/);
    expect(() => defineRoute({ method: 'get', path: 'v1/x', summary: 'x', responses: { 200: z.string() } })).toThrow(/must start/);
    expect(() => defineRoute({ method: 'get', path: '/v1/x', summary: 'x', responses: {} })).toThrow(/no response/);
    expect(toOpenApiPath('/v1/channels/:channelId/records/:recordId')).toBe('/v1/channels/{channelId}/records/{recordId}');
  });
});
