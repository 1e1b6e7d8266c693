/**
 * `createApp(deps)` builds the Express app; nothing listens at import (runtime/server.ts does that). Webhook routes
 * get the raw body (verification needs the exact bytes); the partner API parses JSON. Every error leaves through
 * the central error handler as `{ error: { code, message } }`.
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { SecretBox } from '../security/secret-box';
import type { Db } from '../store/db';
import type { JobQueue } from '../jobs/job-queue';
import type { Metrics } from '../observability/metrics';
import { createWebhookIntake } from '../webhooks/intake/intake-handler';
import type { EbayKeySource } from '../webhooks/verify';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRoutes } from './health';
import { metricsRoutes } from './metrics-route';
import type { PartnerAuth } from './partner-auth';
import { requestContext } from './request-context';
import { refuseDeclaredOversize, rejectUnsafeBody, rejectUnsafeRequest } from './validate';
import type { BoundRoute } from './routes/v1/define-route';
import type { RouteSpec } from './routes/v1/route-spec';
import { connectionRoutes } from './routes/v1/connections';
import { channelRoutes } from './routes/v1/channels';
import { syncRecordRoutes } from './routes/v1/sync-records';

import type { ChannelSchemas } from '../tenancy/channel-kinds';
import { channelSchemasOf } from '../tenancy/tenancy-service';
export interface AppDeps {
  db: Db;
  jobs: JobQueue;
  secretBox: SecretBox;
  logger: Logger;
  metrics: Metrics;
  http: { jsonLimitBytes: number; webhookLimitBytes: number };
  /** Where clients reach this process (webhook URLs). */
  baseUrl: () => string;
  /** Partner token auth (middleware/partner-api); without it the /v1 routes are not mounted. */
  partnerAuth?: PartnerAuth;
  /** Builds the OpenAPI document from the route specs (middleware/openapi); without it /openapi.json is 404. */
  openApiDocument?: (specs: readonly RouteSpec[]) => unknown;
  isShuttingDown?: () => boolean;
  now?: () => Date;
  /** Partner routes of the flows (middleware/flows), mounted beside the spine's. */
  /** The channel settings/secrets schemas composed from the flows (default: those bound to the store). */
  channelSchemas?: ChannelSchemas;
  extraRoutes?: readonly BoundRoute[];
  /** eBay's public keys (middleware/webhooks/ebay-keys) for eBay channels that store no keys; without it they are refused. */
  ebayKeySource?: EbayKeySource;
}

export interface CreatedApp {
  app: Express;
  routes: readonly RouteSpec[];
}

export function partnerRoutes(deps: Pick<AppDeps, 'db' | 'jobs' | 'secretBox' | 'baseUrl' | 'channelSchemas'>): BoundRoute[] {
  const channelSchemas = deps.channelSchemas ?? channelSchemasOf(deps.db);
  return [...connectionRoutes(deps), ...channelRoutes({ ...deps, channelSchemas }), ...syncRecordRoutes(deps)];
}

export function createApp(deps: AppDeps): CreatedApp {
  const app = express();
  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger, deps.metrics));
  app.use((req, res, next) => {
    // While draining, keep-alive clients are told to reconnect elsewhere.
    if (isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  });

  // Hostile input stops here: bad paths, control characters, bodies declared over the limit (validate.ts).
  app.use(rejectUnsafeRequest);
  app.use(refuseDeclaredOversize((req) => (req.path.startsWith('/webhooks/') ? deps.http.webhookLimitBytes : deps.http.jsonLimitBytes)));

  app.use(healthRoutes({ db: deps.db, jobs: deps.jobs, isShuttingDown }));
  app.use(metricsRoutes(deps));

  app.post(
    '/webhooks/:channelKind/:channelId',
    express.raw({ type: () => true, limit: deps.http.webhookLimitBytes }),
    createWebhookIntake({
      db: deps.db,
      jobs: deps.jobs,
      secretBox: deps.secretBox,
      logger: deps.logger,
      metrics: deps.metrics,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.ebayKeySource ? { ebayKeySource: deps.ebayKeySource } : {}),
    }),
  );

  const bound = [...partnerRoutes(deps), ...(deps.extraRoutes ?? [])];
  const specs = bound.map((r) => r.spec);
  if (deps.partnerAuth) {
    app.use(deps.partnerAuth.router);
    const v1 = express.Router();
    v1.use(express.json({ limit: deps.http.jsonLimitBytes, strict: true }));
    v1.use(rejectUnsafeBody);
    for (const route of bound) route.mount(v1, deps.partnerAuth);
    app.use(v1);
  }
  if (deps.openApiDocument) {
    const document = deps.openApiDocument(specs);
    app.get('/openapi.json', (_req, res) => {
      res.json(document);
    });
  }

  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, routes: specs };
}
