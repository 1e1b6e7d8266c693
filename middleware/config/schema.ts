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
      /** Jobs one worker holds at a time. */
      batchSize: positiveInt.default(5),
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
    })
    .prefault({}),
  /**
   * eBay's Notification API: with client credentials the intake fetches eBay's public keys (getPublicKey, through an
   * application token) for eBay channels that store no keys of their own. Without them such channels are refused.
   */
  ebay: z
    .strictObject({
      /** https://api.ebay.com (production) or https://api.sandbox.ebay.com. */
      apiBaseUrl: z.url().default('https://api.ebay.com'),
      /** The app's client id (eBay "App ID"). */
      clientId: z.string().min(1).optional(),
      /** The app's client secret (eBay "Cert ID"); never logged. */
      clientSecret: z.string().min(1).optional(),
    })
    .superRefine((ebay, ctx) => {
      if ((ebay.clientId === undefined) !== (ebay.clientSecret === undefined)) {
        const missing = ebay.clientId === undefined ? 'clientId' : 'clientSecret';
        ctx.addIssue({ code: 'custom', path: [missing], message: 'eBay clientId and clientSecret must be set together (or neither)' });
      }
    })
    .prefault({}),
  /** A name for this process in logs and pg-boss's instance registry. */
  instanceName: z.string().min(1).default('ledgerbridge'),
});

export type Config = z.infer<typeof configSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
