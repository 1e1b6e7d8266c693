/**
 * The middleware's own /openapi.json, served by the app built as startMiddleware builds it (the spine's routes,
 * the registered flows' routes, the composed channel schemas): valid OpenAPI 3.1 by a maintained validator, every
 * route the app mounts documented, each channel kind's settings typed, every example parsing with its schema.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Router } from 'express';
import pino from 'pino';
import { z } from 'zod';
import { execFileSync } from 'node:child_process';
import { createApp } from '../../../../middleware/http/app';
import { openApiDocumentFor, toDefinition } from '../../../../middleware/http/openapi-document';
import type { PartnerAuth } from '../../../../middleware/http/partner-auth';
import { toOpenApiPath } from '../../../../middleware/openapi';
import { createPartnerAuth } from '../../../../middleware/partner-api';
import { createSecretBox } from '../../../../middleware/security/secret-box';
import { createMetrics } from '../../../../middleware/observability/metrics';
import { composeFlows, defineFlow, FLOWS, type FlowContext } from '../../../../middleware/flows';
import { defineRoute } from '../../../../middleware/http/routes/v1/define-route';
import type { RouteSpec } from '../../../../middleware/http/routes/v1/route-spec';
import { CHANNEL_KINDS } from '../../../../middleware/tenancy/channel-kinds';
import type { Db } from '../../../../middleware/store/db';
import type { JobQueue } from '../../../../middleware/jobs/job-queue';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document

// Nothing here answers a request that reaches the store: the app is asked only for /openapi.json.
const db = {} as Db;
const jobs = {} as JobQueue;
const secretBox = createSecretBox(randomBytes(32).toString('base64'));
const logger = pino({ level: 'silent' });

function buildApp(flows = FLOWS) {
  const composed = composeFlows(flows, { db, jobs, secretBox, logger } as unknown as FlowContext);
  const partners = createPartnerAuth({ db, secretBox, issuer: 'http://127.0.0.1', audience: 'ledgerbridge-partner-api' });
  const partnerAuth: PartnerAuth = { router: partners.router, requireScope: (scope) => partners.requireScope(scope as never), tenantOf: () => 'tenant' };
  let specs: readonly RouteSpec[] = [];
  const created = createApp({
    db,
    jobs,
    secretBox,
    logger,
    metrics: createMetrics(),
    http: { jsonLimitBytes: 1 << 20, webhookLimitBytes: 1 << 20 },
    baseUrl: () => 'http://127.0.0.1',
    partnerAuth,
    channelSchemas: composed.channelSchemas,
    extraRoutes: composed.routes,
    openApiDocument: (s) => {
      specs = s;
      return openApiDocumentFor(s, '1.0.0');
    },
  });
  return { ...created, specs, composed };
}

async function served(app: http.RequestListener): Promise<Json> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`);
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Every METHOD path the Express app routes (nested routers included). */
function mounted(router: Router): string[] {
  const out: string[] = [];
  const walk = (stack: unknown[]): void => {
    for (const layer of stack as Array<{ route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }>) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) out.push(`${method} ${layer.route.path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: unknown[] }).stack);
  return out;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** @seriousme/openapi-schema-validator is an ES module: it runs in a child node process, reading the document. */
function validateOpenApi(document: Json): { valid: boolean; errors?: unknown } {
  const script =
    "import { Validator } from '@seriousme/openapi-schema-validator';" +
    "let t = ''; process.stdin.on('data', (c) => (t += c)).on('end', async () => {" +
    ' const r = await new Validator().validate(JSON.parse(t)); process.stdout.write(JSON.stringify({ valid: r.valid, errors: r.errors ?? [] })); });';
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(document), cwd: process.cwd() }).toString('utf8'));
}

describe('/openapi.json of the middleware', () => {
  const built = buildApp();
  let doc: Json;
  beforeAll(async () => {
    doc = await served(built.app as unknown as http.RequestListener);
  });

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', () => {
    const result = validateOpenApi(doc);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every route the app mounts, and only those', () => {
    const routes = mounted((built.app as unknown as { router: Router }).router).filter((r) => r !== 'get /openapi.json');
    const documented = Object.entries(doc.paths as Json).flatMap(([path, item]) => METHODS.filter((m) => (item as Json)[m]).map((m) => `${m} ${path}`));
    const expected = routes.map((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return `${method} ${toOpenApiPath(path)}`.replace('{channelKind}', '{channelKind}');
    });
    expect([...new Set(expected)].sort()).toEqual([...documented].sort());
    // The flows' routes come from the registry, beside the spine's.
    for (const route of built.composed.routes) expect(documented).toContain(`${route.spec.method} ${toOpenApiPath(route.spec.path)}`);
    for (const path of ['/oauth/token', '/.well-known/jwks.json', '/healthz', '/readyz', '/metrics', '/webhooks/{channelKind}/{channelId}']) expect(doc.paths[path]).toBeDefined();
  });

  it('secures each partner route with the OAuth 2.0 client credentials scheme and its scope, with error bodies', () => {
    expect(doc.components.securitySchemes.partnerOAuth.flows.clientCredentials.tokenUrl).toBe('/oauth/token');
    for (const spec of built.specs) {
      const op = doc.paths[toOpenApiPath(spec.path)][spec.method] as Json;
      expect(op.security).toEqual([{ partnerOAuth: [spec.scope] }]);
      for (const status of ['401', '403', '500']) expect(op.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
  });

  it("types each channel kind's settings and secrets in the channel bodies, from the composed schemas", () => {
    const create = doc.paths['/v1/channels'].post.requestBody.content['application/json'].schema as Json;
    expect(create.discriminator).toEqual({ propertyName: 'kind' });
    const variants = create.oneOf as Json[];
    expect(variants.map((v) => v.properties.kind.const).sort()).toEqual([...CHANNEL_KINDS].sort());
    for (const v of variants) {
      const settings = v.properties.settings as Json;
      expect(settings.type).toBe('object');
      expect(settings.additionalProperties).toBe(false);
      expect(Object.keys(settings.properties ?? {}).length).toBeGreaterThan(0);
      expect(v.properties.secrets.type).toBe('object');
    }
    const shopify = variants.find((v) => v.properties.kind.const === 'shopify') as Json;
    expect(shopify.properties.settings.properties.shopDomain.pattern).toBeDefined();
    // The refund flow's settings, declared in its folder, show up under its key.
    expect(shopify.properties.settings.properties.refunds.properties.parkedMaxAgeHours).toMatchObject({ type: 'number' });
    const loop = variants.find((v) => v.properties.kind.const === 'loop') as Json;
    expect(loop.properties.settings.properties.refunds).toBeUndefined();
    const patch = doc.paths['/v1/channels/{id}'].patch.requestBody.content['application/json'].schema as Json;
    expect((patch.properties.settings.anyOf as Json[]).length).toBe(CHANNEL_KINDS.length);
  });

  it("shows a new flow's settings without touching anything but the flow", async () => {
    const payouts = defineFlow({
      name: 'payouts',
      settings: { key: 'payouts', kinds: ['amazon'], schema: z.strictObject({ every: z.enum(['day', 'week']) }) },
      create: () => ({ topics: {} }),
    });
    const withPayouts = await served(buildApp([...FLOWS, payouts]).app as unknown as http.RequestListener);
    const variants = withPayouts.paths['/v1/channels'].post.requestBody.content['application/json'].schema.oneOf as Json[];
    const amazon = variants.find((v) => v.properties.kind.const === 'amazon') as Json;
    expect(amazon.properties.settings.properties.payouts.properties.every.enum).toEqual(['day', 'week']);
  });

  it('has a request example for every body and a response example for every 2xx, each parsing with its schema', () => {
    for (const spec of built.specs) {
      const where = `${spec.method.toUpperCase()} ${spec.path}`;
      const op = doc.paths[toOpenApiPath(spec.path)][spec.method] as Json;
      const definition = toDefinition(spec);
      if (definition.request?.body) {
        const example = op.requestBody.content['application/json'].examples?.example?.value;
        expect({ where, has: example !== undefined }).toEqual({ where, has: true });
        const parsed = definition.request.body.safeParse(example);
        expect({ where, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ where, issues: [] });
      }
      const example = op.responses[String(spec.status)].content['application/json'].examples?.example?.value;
      expect({ where, has: example !== undefined }).toEqual({ where, has: true });
      const parsed = spec.response.safeParse(example);
      expect({ where, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ where, issues: [] });
    }
    // The fixed endpoints carry examples too.
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const m of METHODS) {
        const op = (item as Json)[m] as Json | undefined;
        if (!op) continue;
        for (const [status, response] of Object.entries(op.responses as Json)) {
          if (!status.startsWith('2')) continue;
          const media = Object.values((response as Json).content ?? {}) as Json[];
          expect({ path, status, examples: media.every((c) => c.examples?.example?.value !== undefined) }).toEqual({ path, status, examples: true });
        }
      }
    }
  });

  it('the validator refuses a broken document (it can fail)', () => {
    const broken = JSON.parse(JSON.stringify(doc)) as Json;
    broken.paths['/healthz'].get.responses = 'none';
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it('a route without examples is caught by the check above', () => {
    const bare = defineRoute({ method: 'get', path: '/v1/bare', summary: 'bare', scope: 'sync:read', response: z.object({ ok: z.boolean() }), status: 200 }, async () => ({ ok: true }));
    const op = (openApiDocumentFor([bare.spec], '1') as Json).paths['/v1/bare'].get as Json;
    expect(op.responses['200'].content['application/json'].examples).toBeUndefined();
  });
});
