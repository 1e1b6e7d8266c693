/**
 * The only module that reads `process.env`. Sources, lowest precedence first: built-in defaults, the JSON file named
 * by LEDGERBRIDGE_CONFIG, environment variables, then the caller's overrides (CLI flags). The result is validated by
 * the zod schema and deep-frozen; a bad value stops start-up with a message naming the setting.
 *
 * Sandbox mode (nothing configured): an embedded PGlite store in the data folder and a master key generated once and
 * kept in `<dataDir>/master.key` (mode 0600). Production mode refuses to start without a master key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { configSchema, type Config } from './schema';

export type Mode = Config['mode'];
type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Environment variables and where they land in the config. */
export const ENV_VARS: Record<string, string> = {
  LEDGERBRIDGE_CONFIG: '(path of a JSON file with any of the settings below, nested as in the schema)',
  DATABASE_URL: 'database.url (PostgreSQL; embedded PGlite when unset)',
  LEDGERBRIDGE_DATA_DIR: 'dataDir (embedded store and generated sandbox key; default ./.ledgerbridge)',
  LEDGERBRIDGE_MASTER_KEY: 'masterKey (base64, 32 bytes; required by `start`)',
  LEDGERBRIDGE_PREVIOUS_MASTER_KEYS: 'previousMasterKeys (comma-separated)',
  LEDGERBRIDGE_HOST: 'http.host',
  PORT: 'http.port',
  LEDGERBRIDGE_PUBLIC_URL: 'http.publicUrl',
  LOG_LEVEL: 'logLevel',
  LEDGERBRIDGE_DB_POOL_SIZE: 'database.poolSize',
  LEDGERBRIDGE_WORKERS: 'jobs.workers (true/false)',
  LEDGERBRIDGE_JOB_POLL_SECONDS: 'jobs.pollingIntervalSeconds',
  LEDGERBRIDGE_INSTANCE_NAME: 'instanceName',
  LEDGERBRIDGE_TOKEN_ISSUER: 'partnerApi.issuer',
  LEDGERBRIDGE_TOKEN_AUDIENCE: 'partnerApi.audience',
  LEDGERBRIDGE_TOKEN_LIMIT_PER_CLIENT: 'partnerApi.tokenLimits.perClientId (default 10): failed POST /oauth/token attempts per client id per window, then 429',
  LEDGERBRIDGE_TOKEN_LIMIT_PER_ADDRESS: 'partnerApi.tokenLimits.perAddress (default 50): failed POST /oauth/token attempts per source address per window, then 429',
  LEDGERBRIDGE_TOKEN_LIMIT_WINDOW_SECONDS: 'partnerApi.tokenLimits.windowSeconds (default 60)',
  LEDGERBRIDGE_EBAY_KEY_LOOKUPS_PER_MINUTE: 'ebay.keyLookupsPerMinute (default 20): calls to eBay getPublicKey per minute per channel',
  LEDGERBRIDGE_EBAY_UNKNOWN_KEY_CACHE_MINUTES: 'ebay.unknownKeyCacheMinutes (default 10): how long a key id eBay does not know is not asked again',
  LEDGERBRIDGE_EBAY_API_URL:
    'ebay.apiBaseUrl (default https://api.ebay.com; https://api.sandbox.ebay.com for eBay\'s sandbox; another host, e.g. a test server, needs LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES in production)',
  LEDGERBRIDGE_EBAY_CLIENT_ID: 'ebay.clientId (eBay app id; with the secret, eBay notifications are verified with keys fetched from eBay)',
  LEDGERBRIDGE_EBAY_CLIENT_SECRET: 'ebay.clientSecret (eBay cert id; set together with the client id)',
  LEDGERBRIDGE_RETENTION_DAYS: 'retention.days (default 90): posted, skipped and cancelled sync records older than this are deleted with their history and webhook events',
  LEDGERBRIDGE_RETENTION_REDELIVERY_HOURS: 'retention.redeliveryWindowHours (default 72): how long a pruned event\'s dedupe key is kept after it was received',
  LEDGERBRIDGE_RETENTION_CRON: 'retention.cron (default "23 3 * * *", UTC): when the prune runs',
  LEDGERBRIDGE_NETSUITE_BASE_URL:
    'baseUrls.netsuite: RESTlet and token host instead of https://<account>.restlets.api.netsuite.com (a URL, or a template with {accountId}), e.g. a local NetSuite account',
  LEDGERBRIDGE_SHOPIFY_BASE_URL: 'baseUrls.shopify: Shopify Admin API host instead of https://<shopDomain>',
  LEDGERBRIDGE_MAGENTO_BASE_URL: 'baseUrls.magento: Magento REST base instead of <channel baseUrl>/rest/default',
  LEDGERBRIDGE_AMAZON_BASE_URL: 'baseUrls.amazon: SP-API host instead of https://sellingpartnerapi-na.amazon.com (Login with Amazon at <url>/auth/o2/token)',
  LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES: 'allowBaseUrlOverrides (true/false, default false): lets `start` use the base URLs above; refused without it',
};

export interface LoadConfigOptions {
  mode: Mode;
  /** Defaults to process.env. */
  env?: Env;
  /** Highest precedence (CLI flags), same shape as the file. */
  overrides?: Record<string, unknown>;
  /** Base for relative paths; defaults to process.cwd(). */
  cwd?: string;
  /**
   * False for commands that never open a secret (`migrate`): a missing master key is then replaced by a throwaway
   * one that is neither stored nor used. Default true.
   */
  masterKeyRequired?: boolean;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Tree, top: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(top)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? merge(current, value) : value;
  }
  return out;
}

function readFile(file: string): Tree {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`LEDGERBRIDGE_CONFIG: cannot read ${file} (${(error as Error).message})`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isTree(parsed)) throw new Error('the file must hold one JSON object');
    return parsed;
  } catch (error) {
    throw new ConfigError([`LEDGERBRIDGE_CONFIG: ${file} is not valid JSON (${(error as Error).message})`]);
  }
}

function bool(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  return value; // left for the schema to reject with a message
}

function fromEnv(env: Env): Tree {
  const tree: Tree = {
    dataDir: env.LEDGERBRIDGE_DATA_DIR,
    masterKey: env.LEDGERBRIDGE_MASTER_KEY,
    previousMasterKeys: env.LEDGERBRIDGE_PREVIOUS_MASTER_KEYS?.split(',').map((k) => k.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL,
    instanceName: env.LEDGERBRIDGE_INSTANCE_NAME,
    http: { host: env.LEDGERBRIDGE_HOST, port: env.PORT, publicUrl: env.LEDGERBRIDGE_PUBLIC_URL },
    jobs: { workers: bool(env.LEDGERBRIDGE_WORKERS), pollingIntervalSeconds: env.LEDGERBRIDGE_JOB_POLL_SECONDS },
    partnerApi: {
      issuer: env.LEDGERBRIDGE_TOKEN_ISSUER,
      audience: env.LEDGERBRIDGE_TOKEN_AUDIENCE,
      tokenLimits: {
        perClientId: env.LEDGERBRIDGE_TOKEN_LIMIT_PER_CLIENT,
        perAddress: env.LEDGERBRIDGE_TOKEN_LIMIT_PER_ADDRESS,
        windowSeconds: env.LEDGERBRIDGE_TOKEN_LIMIT_WINDOW_SECONDS,
      },
    },
    ebay: {
      apiBaseUrl: env.LEDGERBRIDGE_EBAY_API_URL,
      clientId: env.LEDGERBRIDGE_EBAY_CLIENT_ID,
      clientSecret: env.LEDGERBRIDGE_EBAY_CLIENT_SECRET,
      keyLookupsPerMinute: env.LEDGERBRIDGE_EBAY_KEY_LOOKUPS_PER_MINUTE,
      unknownKeyCacheMinutes: env.LEDGERBRIDGE_EBAY_UNKNOWN_KEY_CACHE_MINUTES,
    },
    retention: { days: env.LEDGERBRIDGE_RETENTION_DAYS, redeliveryWindowHours: env.LEDGERBRIDGE_RETENTION_REDELIVERY_HOURS, cron: env.LEDGERBRIDGE_RETENTION_CRON },
    baseUrls: {
      netsuite: env.LEDGERBRIDGE_NETSUITE_BASE_URL,
      shopify: env.LEDGERBRIDGE_SHOPIFY_BASE_URL,
      magento: env.LEDGERBRIDGE_MAGENTO_BASE_URL,
      amazon: env.LEDGERBRIDGE_AMAZON_BASE_URL,
    },
    allowBaseUrlOverrides: bool(env.LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES),
  };
  if (env.DATABASE_URL) tree.database = { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.LEDGERBRIDGE_DB_POOL_SIZE };
  return tree;
}

/** Reads `<dataDir>/master.key`, creating it with a fresh random key the first time (sandbox only). */
function sandboxMasterKey(dataDir: string): string {
  const file = path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  // 'wx' fails if another process created it meanwhile; then that process's key wins.
  try {
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return fs.readFileSync(file, 'utf8').trim();
  }
}

function describe(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

export function loadConfig(options: LoadConfigOptions): Readonly<Config> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = env.LEDGERBRIDGE_CONFIG ? readFile(path.resolve(cwd, env.LEDGERBRIDGE_CONFIG)) : {};
  let tree = merge(merge(file, fromEnv(env)), options.overrides ?? {});
  tree = merge({ mode: options.mode }, tree);
  tree.mode = options.mode;

  const dataDir = path.resolve(cwd, typeof tree.dataDir === 'string' ? tree.dataDir : '.ledgerbridge');
  tree.dataDir = dataDir;
  if (tree.database === undefined) tree.database = { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') };
  if (isTree(tree.database) && tree.database.kind === 'pglite' && typeof tree.database.dataDir === 'string') {
    const dir = tree.database.dataDir;
    if (!dir.startsWith('memory://')) tree.database = { ...tree.database, dataDir: path.resolve(cwd, dir) };
  }

  if (tree.masterKey === undefined && options.masterKeyRequired === false) {
    tree.masterKey = randomBytes(32).toString('base64');
  }
  if (tree.masterKey === undefined) {
    if (options.mode === 'production') {
      throw new ConfigError([
        'masterKey: LEDGERBRIDGE_MASTER_KEY is required in production (32 random bytes as base64, e.g. `openssl rand -base64 32`); it encrypts stored credentials',
      ]);
    }
    tree.masterKey = sandboxMasterKey(dataDir);
  }

  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) throw new ConfigError(describe(parsed.error.issues));
  const overrides = baseUrlOverrides(parsed.data);
  if (options.mode === 'production' && overrides.length > 0 && !parsed.data.allowBaseUrlOverrides) {
    throw new ConfigError(
      overrides.map(
        (o) => `${o}: production does not reach NetSuite or a platform anywhere but their own hosts unless LEDGERBRIDGE_ALLOW_BASE_URL_OVERRIDES=true (allowBaseUrlOverrides) says so`,
      ),
    );
  }
  return deepFreeze(parsed.data);
}

/** eBay's own API hosts (production and eBay's sandbox): not an override. */
const EBAY_HOSTS = ['https://api.ebay.com', 'https://api.sandbox.ebay.com'];

/** The settings (by path) that point the middleware somewhere other than NetSuite's or a platform's own hosts. */
export function baseUrlOverrides(config: Pick<Config, 'baseUrls' | 'ebay'>): string[] {
  const set = Object.entries(config.baseUrls)
    .filter(([, url]) => url !== undefined)
    .map(([name]) => `baseUrls.${name}`);
  if (!EBAY_HOSTS.includes(config.ebay.apiBaseUrl.replace(/\/+$/, ''))) set.push('ebay.apiBaseUrl');
  return set;
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (isTree(value) || Array.isArray(value)) {
    for (const child of Object.values(value as object)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The URL the middleware is reachable at: publicUrl, else http://host:port. */
export function baseUrl(config: Pick<Config, 'http'>, actualPort?: number): string {
  if (config.http.publicUrl) return config.http.publicUrl.replace(/\/$/, '');
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  return `http://${host}:${actualPort ?? config.http.port}`;
}
