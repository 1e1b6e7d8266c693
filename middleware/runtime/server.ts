/**
 * The composition root: configuration → store (+ migrations) → secret box → jobs (+ workers) → app → listening
 * server. `close()` shuts down gracefully: stop taking requests, let in-flight requests finish, stop fetching jobs
 * and wait for running ones up to the deadline. A job still running then is failed by pg-boss, which hands it back
 * to the queue for a retry; the next worker resumes its record as interrupted (graceful-shutdown.integration.test.ts).
 * Then close the store.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from '../config';
import { baseUrl as configuredBaseUrl } from '../config';
import { createSecretBox, type SecretBox } from '../security/secret-box';
import { openDb, type StoreHandle } from '../store/open-db';
import { migrate } from '../store/migrate';
import { createPgBossQueue } from '../jobs/pg-boss-queue';
import type { JobQueue } from '../jobs/job-queue';
import { createLogger } from '../observability/logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import { syncQueues } from '../sync/queues';
import { startSyncWorkers, type SyncProcessor } from '../sync/sync-worker';
import { createApp, type AppDeps } from '../http/app';
import type { PartnerAuth } from '../http/partner-auth';
import { openApiDocumentFor } from '../http/openapi-document';
import { BUNDLE_VERSION } from '../../core/bundle-version';
import { createPartnerAuth, type PartnerAuth as PartnerAuthService } from '../partner-api';
import { FLOWS, composeFlows, type ComposedFlows } from '../flows';
import { bindChannelSchemas } from '../tenancy/tenancy-service';
import type { RefundFlowOptions, SweepReport } from '../flows/refunds';
import { createNetSuitePort, type NetSuiteFor, type NetSuitePortOptions } from '../ports/netsuite';
import { createStorefrontPort, type StorefrontPort, type StorefrontPortOptions } from '../ports/platforms';
import { createEbayAppTokenSource, createEbayKeySource, type CachingEbayKeySource } from '../webhooks/ebay-keys';
import { startRetention, type RunningRetention } from '../retention';

export interface StartOptions {
  /** Turns sync records into NetSuite writes; defaults to the registered flows (by topic; other topics are parked). */
  processor?: SyncProcessor;
  logDestination?: DestinationStream;
  logger?: Logger;
  openApiDocument?: AppDeps['openApiDocument'];
  /** Runs before the server listens (sandbox seeding). */
  beforeListen?: (ctx: { db: StoreHandle; secretBox: SecretBox; baseUrl: () => string }) => Promise<void>;
  /** The ports' options: NetSuite RESTlet base URLs (the local account), platform clients. */
  ports?: { netsuite?: NetSuitePortOptions; platforms?: StorefrontPortOptions };
  /** Options per flow, by flow name (middleware/flows/index.ts). */
  flows?: Record<string, unknown>;
  now?: () => Date;
  /**
   * The refund flow's options, kept in this older shape: `netsuite` and `storefronts` configure the ports, `sweep`
   * is the refund flow's option (same as `flows.refunds`), `now` the flows' clock.
   */
  refunds?: RefundFlowOptions & { netsuite?: NetSuitePortOptions; storefronts?: StorefrontPortOptions; now?: () => Date };
}

/** The refund flow's accessors tests and the sandbox use: the shared ports and one sweep now. */
export interface RefundFlows {
  netsuite: NetSuiteFor;
  storefronts: StorefrontPort;
  /** One sweep now (tests, the sandbox). Sweeps never overlap within a process. */
  sweep(): Promise<SweepReport>;
}

export interface RunningMiddleware {
  url: string;
  port: number;
  config: Readonly<Config>;
  db: StoreHandle;
  jobs: JobQueue;
  secretBox: SecretBox;
  logger: Logger;
  metrics: Metrics;
  /** Partner clients and signing keys (createClient, rotateKeys, revokeClient). */
  partners: PartnerAuthService;
  /** Every registered flow, composed (processor, routes, schedules, views). */
  flows: ComposedFlows;
  /** The refund flow's accessors (ports, sweep). */
  refunds: RefundFlows;
  /** eBay's public keys through getPublicKey, when eBay client credentials are configured. */
  ebayKeys?: CachingEbayKeySource;
  /** The retention prune (scheduled when this process runs workers); `run()` prunes now. */
  retention?: RunningRetention;
  server: http.Server;
  close(): Promise<void>;
}

export async function startMiddleware(config: Readonly<Config>, options: StartOptions = {}): Promise<RunningMiddleware> {
  const logger =
    options.logger ?? createLogger({ level: config.logLevel, name: config.instanceName, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const secretBox = createSecretBox(config.masterKey, { previousKeys: config.previousMasterKeys });
  const db = await openDb(config.database);
  let jobs: JobQueue | undefined;
  try {
    const report = await migrate(db);
    if (report.applied.length) logger.info({ applied: report.applied }, 'migrations applied');

    jobs = await createPgBossQueue(db, {
      instanceName: config.instanceName,
      superviseIntervalSeconds: config.jobs.superviseIntervalSeconds,
      onError: (error) => logger.error({ err: error }, 'job queue error'),
    });
    await jobs.start();
    await jobs.ensureQueues(syncQueues(config.jobs));
    const metrics = createMetrics({ defaultMetrics: true });
    // Configured base URLs (config.baseUrls, eBay's API host) under what the caller's options give.
    const netsuiteOptions = options.ports?.netsuite ?? options.refunds?.netsuite;
    const platformOptions = options.ports?.platforms ?? options.refunds?.storefronts;
    const netsuite = createNetSuitePort(
      { db, secretBox, metrics },
      { ...(config.baseUrls.netsuite ? { restletBaseUrl: config.baseUrls.netsuite } : {}), ...netsuiteOptions },
    );
    const kindBaseUrls = {
      ...(config.baseUrls.shopify ? { shopify: config.baseUrls.shopify } : {}),
      ...(config.baseUrls.magento ? { magento: config.baseUrls.magento } : {}),
      ...(config.baseUrls.amazon ? { amazon: config.baseUrls.amazon } : {}),
      ebay: config.ebay.apiBaseUrl,
      ...platformOptions?.kindBaseUrls,
    };
    const platforms = createStorefrontPort({ secretBox }, { ...platformOptions, kindBaseUrls });
    const now = options.now ?? options.refunds?.now;
    const flowOptions: Record<string, unknown> = { ...(options.refunds?.sweep ? { refunds: { sweep: options.refunds.sweep } } : {}), ...options.flows };
    const flows = composeFlows(FLOWS, { db, jobs, secretBox, logger, metrics, netsuite, platforms, ...(now ? { now } : {}) }, flowOptions);
    // The channel settings schemas, composed once from the flows' settings: the tenancy service (bound to this
    // store), the channel routes and /openapi.json all use these.
    bindChannelSchemas(db, flows.channelSchemas);
    const refunds: RefundFlows = { netsuite, storefronts: platforms, sweep: () => flows.get('refunds')?.run('sweep') as Promise<SweepReport> };

    let port = config.http.port;
    const baseUrl = (): string => configuredBaseUrl(config, port);
    const partners = createPartnerAuth({ db, secretBox, metrics, ...config.partnerApi });
    const partnerAuth: PartnerAuth = {
      router: partners.router,
      requireScope: (scope) => partners.requireScope(scope as Parameters<typeof partners.requireScope>[0]),
      tenantOf: (req) => {
        // requireScope runs first on every partner route and sets req.auth; reaching here without it is a bug.
        if (!req.auth) throw new Error('partner route reached without authentication');
        return req.auth.tenantId;
      },
    };
    await options.beforeListen?.({ db, secretBox, baseUrl });

    // eBay channels without stored keys verify through eBay's getPublicKey; without credentials they stay refused
    // (the verifier's no_secret → 401 webhook_secret_not_configured: fail closed).
    const { apiBaseUrl, clientId, clientSecret } = config.ebay;
    let ebayKeys: CachingEbayKeySource | undefined;
    if (clientId && clientSecret) {
      const appTokens = createEbayAppTokenSource({ baseUrl: apiBaseUrl, clientId, clientSecret });
      const getAccessToken = (): Promise<string> =>
        appTokens.getAccessToken().catch((error: unknown) => {
          // The intake answers 503 (eBay delivers again); the operator needs the reason (it never holds the secret).
          logger.warn({ err: error }, 'eBay application token unavailable: eBay notifications are answered 503');
          throw error;
        });
      ebayKeys = createEbayKeySource({
        baseUrl: apiBaseUrl,
        getAccessToken,
        lookupsPerScopePerMinute: config.ebay.keyLookupsPerMinute,
        negativeTtlMs: config.ebay.unknownKeyCacheMinutes * 60_000,
      });
    }

    let shuttingDown = false;
    let retention: RunningRetention | undefined;
    const { app } = createApp({
      db,
      jobs,
      secretBox,
      logger,
      metrics,
      http: config.http,
      baseUrl,
      partnerAuth,
      channelSchemas: flows.channelSchemas,
      openApiDocument: options.openApiDocument ?? ((specs) => openApiDocumentFor(specs, BUNDLE_VERSION)),
      isShuttingDown: () => shuttingDown,
      extraRoutes: flows.routes,
      ...(ebayKeys ? { ebayKeySource: ebayKeys } : {}),
    });

    if (config.jobs.workers) {
      await startSyncWorkers({ db, processor: options.processor ?? flows.processor, logger, metrics }, jobs, {
        batchSize: config.jobs.batchSize,
        pollingIntervalSeconds: config.jobs.pollingIntervalSeconds,
      });
      await flows.start();
      retention = await startRetention({ db, jobs, logger, ...(now ? { now } : {}) }, config.retention);
    }

    const server = http.createServer(app);
    // Slow-loris guard: a client must finish sending headers and body in reasonable time.
    server.headersTimeout = 20_000;
    server.requestTimeout = 60_000;
    server.on('clientError', answerClientError);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    const url = baseUrl();
    logger.info({ url, database: db.kind, workers: config.jobs.workers, ebayKeys: ebayKeys ? apiBaseUrl : 'off' }, 'ledgerbridge middleware listening');

    const queue = jobs;
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        shuttingDown = true;
        const deadline = config.http.shutdownTimeoutMs;
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const forced = setTimeout(() => server.closeAllConnections(), deadline);
        await serverClosed;
        clearTimeout(forced);
        await flows.stop();
        await queue.stop({ timeoutMs: deadline });
        await db.close();
        logger.info('ledgerbridge middleware stopped');
      })();
      return closing;
    };

    return { url, port, config, db, jobs: queue, secretBox, logger, metrics, partners, flows, refunds, ...(ebayKeys ? { ebayKeys } : {}), ...(retention ? { retention } : {}), server, close };
  } catch (error) {
    await jobs?.stop({ timeoutMs: 1000 }).catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Requests Node's HTTP parser refuses (a malformed request line or header, headers over the size limit, a bad
 * chunk) never reach the app: answer them in the app's error format instead of Node's bare 400, then close.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { bytesWritten?: number }).bytesWritten) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are larger than the server accepts.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ETIMEDOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'The request was not received in time.']
        : [400, 'Bad Request', 'malformed_request', 'The request is not valid HTTP/1.1 (request line, a header or the body framing).'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
