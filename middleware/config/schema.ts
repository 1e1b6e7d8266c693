/**
 * The middleware's configuration: one zod schema, parsed once at start-up, then frozen. Every value has a default
 * that suits the sandbox except the ones production must state (see load-config.ts).
 */
import { z } from 'zod';

const KEY_BYTES = 32;

/** A 32-byte key as base64 (what `createSecretBox` takes). */
export const masterKeySchema = z.string().refine(
  (value) => {
    const bytes = Buffer.from(value, 'base64');
    return bytes.length === KEY_BYTES && bytes.toString('base64') === value.trim();
  },
  { message: `must be ${KEY_BYTES} random bytes encoded as base64 (e.g. \`openssl rand -base64 32\`)` },
);

const httpUrl = z.url({ protocol: /^https?$/ });
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const databaseSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('postgres'),
    url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string'),
    poolSize: positiveInt.default(10),
  }),
  z.strictObject({
    kind: z.literal('pglite'),
    /** A folder, or `memory://` for an in-memory database (tests). */
    dataDir: z.string().min(1),
  }),
]);

export const configSchema = z.strictObject({
  mode: z.enum(['sandbox', 'production']),
  dataDir: z.string().min(1),
  database: databaseSchema,
  masterKey: masterKeySchema,
  /** Older master keys still accepted for opening secrets sealed before a rotation. */
  previousMasterKeys: z.array(masterKeySchema).default([]),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(8080),
      /** The URL clients reach this process at (webhook URLs, token issuer); derived from host/port when unset. */
      publicUrl: z.url().optional(),
      /** Largest accepted JSON body on the partner API. */
      jsonLimitBytes: positiveInt.default(256 * 1024),
      /** Largest accepted webhook body. */
      webhookLimitBytes: positiveInt.default(1024 * 1024),
      /** How long a shutdown waits for in-flight requests and jobs. */
      shutdownTimeoutMs: positiveInt.default(10_000),
    })
    .prefault({}),
  jobs: z
    .strictObject({
      /** Run job workers in this process (off for an intake-only process). */
      workers: z.boolean().default(true),
      pollingIntervalSeconds: z.coerce.number().min(0.5).default(2),
      /**
       * Sync jobs one process runs at once (one NetSuite connection may hold all but one). Every running job's
       * NetSuite step joins its connection's shared RESTlet calls, so the slots are what lets batching work: with
       * few, a call carries few records' operations (see middleware/jobs/README.md, Slots, for the measurements).
       */
      batchSize: positiveInt.default(50),
      /** A sync job active longer than this is taken as lost (its process died) and handed to another worker. */
      expireInSeconds: positiveInt.default(120),
      /** Retries of a sync job after its first attempt; then it fails and goes to the dead-letter queue. */
      retryLimit: z.coerce.number().int().min(0).max(50).default(5),
      /** First retry delay; pg-boss doubles it with jitter on each retry (between 1x and 2x of the doubled delay). */
      retryDelaySeconds: positiveInt.default(5),
      /** Cap on one retry delay. */
      retryDelayMaxSeconds: positiveInt.default(300),
      /** How often pg-boss looks for expired jobs and runs maintenance. */
      superviseIntervalSeconds: positiveInt.default(30),
    })
    .prefault({}),
  partnerApi: z
    .strictObject({
      /** `iss` of partner access tokens; the same on every process sharing one database. */
      issuer: z.string().min(1).default('urn:ledgerbridge'),
      audience: z.string().min(1).default('ledgerbridge-partner-api'),
      tokenTtlSeconds: positiveInt.max(86_400).default(300),
      /**
       * POST /oauth/token attempts allowed per window, per client id and per source address (a success takes its
       * attempt back, so only failures accumulate); over a limit the answer is 429 with Retry-After.
       */
      tokenLimits: z
        .strictObject({
          perClientId: positiveInt.max(100_000).default(10),
          perAddress: positiveInt.max(1_000_000).default(50),
          windowSeconds: positiveInt.max(86_400).default(60),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * eBay's Notification API: with client credentials the intake fetches eBay's public keys (getPublicKey, through an
   * application token) for eBay channels that store no keys of their own. Without them such channels are refused.
   */
  ebay: z
    .strictObject({
      /** https://api.ebay.com (production) or https://api.sandbox.ebay.com. */
      apiBaseUrl: z.url({ protocol: /^https?$/ }).default('https://api.ebay.com'),
      /** The app's client id (eBay "App ID"). */
      clientId: z.string().min(1).optional(),
      /** The app's client secret (eBay "Cert ID"); never logged. */
      clientSecret: z.string().min(1).optional(),
      /**
       * Calls to eBay's getPublicKey allowed per minute per scope (an eBay channel, or the unknown-channel scope):
       * a flood of notifications naming new key ids cannot turn into a flood of eBay calls.
       */
      keyLookupsPerMinute: positiveInt.max(10_000).default(20),
      /** How long a key id eBay does not know is remembered as unknown (no new call for it meanwhile). */
      unknownKeyCacheMinutes: positiveInt.max(60).default(10),
    })
    .superRefine((ebay, ctx) => {
      if ((ebay.clientId === undefined) !== (ebay.clientSecret === undefined)) {
        const missing = ebay.clientId === undefined ? 'clientId' : 'clientSecret';
        ctx.addIssue({ code: 'custom', path: [missing], message: 'eBay clientId and clientSecret must be set together (or neither)' });
      }
    })
    .prefault({}),
  /**
   * Retention of finished work: sync records in a final state (posted, skipped, cancelled) last changed more than
   * `days` ago are deleted with their history, attempts and webhook events, by a daily pg-boss schedule
   * (middleware/retention). Received, queued, posting, parked and failed records are never deleted.
   */
  retention: z
    .strictObject({
      days: positiveInt.max(36_500).default(90),
      /**
       * How long a platform may deliver a webhook again after sending it; a pruned event's dedupe key (channel and
       * platform event id) is kept this long after it was received, so a late redelivery is still a duplicate.
       */
      redeliveryWindowHours: positiveInt.max(8_760).default(72),
      /** Rows per delete batch (one transaction each). */
      batchSize: positiveInt.max(10_000).default(500),
      /** Batches per run; the next run continues where this one stopped. */
      maxBatchesPerRun: positiveInt.default(200),
      /** When the prune runs (cron, UTC; pg-boss runs it once per matching minute across processes). */
      cron: z.string().regex(/^\S+( \S+){4}$/, 'must be a five-field cron expression').default('23 3 * * *'),
    })
    .prefault({}),
  /**
   * Where the middleware reaches NetSuite and the platforms instead of their own hosts: a local NetSuite account
   * (emulator/http) or a platform's test server. `netsuite` is a base URL, or a template where `{accountId}` is the
   * connection's account id in host form (lower case, `_` as `-`), used instead of
   * https://<account>.restlets.api.netsuite.com for the RESTlet and the OAuth 2.0 token endpoint. `shopify` replaces
   * https://<shopDomain>, `magento` the channel's REST base ({baseUrl}/rest/default), `amazon` the SP-API host (Login
   * with Amazon at {amazon}/auth/o2/token). eBay's API host is `ebay.apiBaseUrl`. Refused by `ledgerbridge start`
   * unless `allowBaseUrlOverrides` is true.
   */
  baseUrls: z
    .strictObject({
      netsuite: z
        .string()
        .refine((value) => httpUrl.safeParse(value.split('{accountId}').join('account')).success, {
          message: 'must be an http(s) URL, or one with {accountId} where the account id goes (e.g. https://{accountId}.restlets.example.test)',
        })
        .optional(),
      shopify: z.url({ protocol: /^https?$/ }).optional(),
      magento: z.url({ protocol: /^https?$/ }).optional(),
      amazon: z.url({ protocol: /^https?$/ }).optional(),
    })
    .prefault({}),
  /** Lets production mode (`ledgerbridge start`) use `baseUrls` and an eBay API host other than eBay's own. */
  allowBaseUrlOverrides: z.boolean().default(false),
  /** A name for this process in logs and pg-boss's instance registry. */
  instanceName: z.string().min(1).default('ledgerbridge'),
});

export type Config = z.infer<typeof configSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
