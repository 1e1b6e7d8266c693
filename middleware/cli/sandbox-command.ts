/**
 * `ledgerbridge sandbox`: the middleware on the embedded store, a local NetSuite account (the emulator) behind its
 * NetSuite-shaped HTTP host, and the sandbox tenant with one simulated channel per platform. With `--json` it prints
 * ONE line when ready holding every URL and credential a client needs (DESIGN.md "Contracts"); logs then go to
 * stderr so stdout stays machine-readable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from './main';
import { ConfigError, loadConfig } from '../config';
import { startMiddleware, type RunningMiddleware } from '../runtime/server';
import { createLogger } from '../observability/logger';
import { seedSandboxTenant, SANDBOX_CONNECTION_ID, SANDBOX_TENANT_ID, type SandboxSeed } from '../sandbox/sandbox-tenant';
import { PARTNER_SCOPES } from '../partner-api';
import { createLocalAccount } from '../../emulator';
import { SeedError, seedSandbox } from '../../emulator/seed';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, RESTLET_PATH, TOKEN_PATH, type RunningNetSuiteHost } from '../../emulator/http';
import { startRefundSandbox, type RefundSandbox } from '../sandbox/refund-sandbox';
import { startEbaySimulator } from '../simulators/ebay';
import { updateChannel } from '../tenancy/tenancy-service';
import { addressInUse, addressInUseMessage, helpText, parseFlags, UsageError, untilSignal, type FlagSpec, type ParsedFlags } from './args';

const FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'Print one JSON line with every URL and credential when ready' },
  port: { type: 'number', description: 'Middleware port (default 8080; 0 picks a free port)' },
  'netsuite-port': { type: 'number', description: 'Local NetSuite account port (default: a free port)' },
  host: { type: 'string', description: 'Interface to listen on (default 127.0.0.1)' },
  'data-dir': { type: 'string', description: 'Folder for the embedded store and sandbox key (default ./.ledgerbridge)' },
  memory: { type: 'boolean', description: 'Keep the store in memory (nothing written to disk)' },
  seed: { type: 'string', description: 'Seed file (JSON: customers, items, locations, accounts, orders)' },
  'account-id': { type: 'string', description: 'Local NetSuite account id (default TSTDRV0000001)' },
  'latency-ms': { type: 'number', description: 'Emulator: latency added to each RESTlet/REST call' },
  'concurrency-limit': { type: 'number', description: 'Emulator: requests in flight per account (default 5)' },
  'limit-error-rate': { type: 'number', description: 'Emulator: share of calls answered SSS_REQUEST_LIMIT_EXCEEDED (0..1)' },
  'server-error-rate': { type: 'number', description: 'Emulator: share of calls answered 5xx UNEXPECTED_ERROR (0..1)' },
  'lost-response-rate': { type: 'number', description: 'Emulator: share of calls whose write commits but whose answer is lost (0..1)' },
  help: { type: 'boolean', description: 'Show this help' },
};

const SEED_KINDS = ['customers', 'items', 'locations', 'accounts', 'orders'];

/** Reads and shape-checks a seed file; refuses unknown keys, naming them. */
function readSeed(file: string): Record<string, unknown[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--seed ${file}: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--seed ${file}: the file must hold one JSON object`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!SEED_KINDS.includes(key)) throw new UsageError(`--seed ${file}: unknown key "${key}" (expected ${SEED_KINDS.join(', ')})`);
    if (!Array.isArray(value)) throw new UsageError(`--seed ${file}: "${key}" must be an array`);
  }
  return parsed as Record<string, unknown[]>;
}

function rate(flags: ParsedFlags, name: string): number | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || value < 0 || value > 1) throw new UsageError(`--${name} must be between 0 and 1`);
  return value;
}

export interface SandboxHandle {
  ready: SandboxReadyLine;
  middleware: RunningMiddleware;
  netsuite: RunningNetSuiteHost;
  close(): Promise<void>;
}

export type SandboxReadyLine = ReturnType<typeof readyLine> & { refunds: RefundSandbox['ready'] };

function readyLine(mw: RunningMiddleware, ns: RunningNetSuiteHost, accountId: string, realm: string, creds: ReturnType<typeof generateSandboxCredentials>, partner: { clientId: string; clientSecret: string; scopes: string[] }, seed: SandboxSeed) {
  return {
    ready: true,
    tenantId: SANDBOX_TENANT_ID,
    middleware: {
      url: mw.url,
      healthUrl: `${mw.url}/healthz`,
      readyUrl: `${mw.url}/readyz`,
      metricsUrl: `${mw.url}/metrics`,
      openapiUrl: `${mw.url}/openapi.json`,
    },
    netsuite: {
      url: ns.url,
      accountId,
      realm,
      connectionId: SANDBOX_CONNECTION_ID,
      restlet: {
        scriptId: 'customscript_lb_rl_api',
        deployId: 'customdeploy_lb_rl_api',
        url: `${ns.url}${RESTLET_PATH}?script=customscript_lb_rl_api&deploy=customdeploy_lb_rl_api`,
      },
      recordServiceUrl: `${ns.url}/services/rest/record/v1`,
      tba: { ...creds.tba },
      m2m: {
        clientId: creds.m2m.clientId,
        certificateId: creds.m2m.certificateId,
        privateKey: creds.m2m.privateKeyPem,
        algorithm: creds.m2m.algorithm,
        scopes: creds.m2m.scopes,
        tokenUrl: `${ns.url}${TOKEN_PATH}`,
      },
    },
    partnerApi: {
      tokenUrl: `${mw.url}/oauth/token`,
      jwksUrl: `${mw.url}/.well-known/jwks.json`,
      clientId: partner.clientId,
      clientSecret: partner.clientSecret,
      scopes: partner.scopes,
      issuer: mw.config.partnerApi.issuer,
      audience: mw.config.partnerApi.audience,
    },
    channels: Object.fromEntries(
      seed.channels.map((c) => [
        c.kind,
        {
          id: c.id,
          kind: c.kind,
          scheme: c.scheme,
          webhookUrl: c.scheme === 'none' ? null : `${mw.url}/webhooks/${c.kind}/${c.id}`,
          ...(c.secret ? { secret: c.secret } : {}),
          ...(c.signingKey ? { signingKey: c.signingKey } : {}),
        },
      ]),
    ),
  };
}

/** Starts the whole sandbox (used by the command and by e2e tests in-process). */
export async function startSandbox(flags: ParsedFlags, options: { logToStderr: boolean }): Promise<SandboxHandle> {
  const seedFile = flags.seed === undefined ? undefined : path.resolve(String(flags.seed));
  const userSeed = seedFile === undefined ? undefined : readSeed(seedFile);
  const concurrencyLimit = flags['concurrency-limit'] === undefined ? 5 : Number(flags['concurrency-limit']);
  if (!Number.isInteger(concurrencyLimit) || concurrencyLimit < 1) throw new UsageError('--concurrency-limit must be a whole number ≥ 1');
  const latencyMs = flags['latency-ms'] === undefined ? 0 : Number(flags['latency-ms']);
  if (latencyMs < 0) throw new UsageError('--latency-ms must be ≥ 0');
  const faults = {
    limitErrorRate: rate(flags, 'limit-error-rate') ?? 0,
    serverErrorRate: rate(flags, 'server-error-rate') ?? 0,
    lostResponseRate: rate(flags, 'lost-response-rate') ?? 0,
  };
  const host = typeof flags.host === 'string' ? flags.host : '127.0.0.1';

  const overrides: Record<string, unknown> = { http: { host, ...(flags.port !== undefined ? { port: flags.port } : {}) } };
  if (typeof flags['data-dir'] === 'string') overrides.dataDir = flags['data-dir'];
  if (flags.memory) overrides.database = { kind: 'pglite', dataDir: 'memory://' };

  const accountId = typeof flags['account-id'] === 'string' ? flags['account-id'] : 'TSTDRV0000001';
  const account = createLocalAccount({ accountId });
  // The default sandbox data (customers, items, locations, accounts, orders of each billing kind), plus the user's
  // seed file on top; a bad seed is refused before anything listens, with every defect named.
  try {
    seedSandbox(account.engine, userSeed);
  } catch (error) {
    if (error instanceof SeedError) throw new UsageError(`--seed ${seedFile}: ${error.message}`);
    throw error;
  }
  // The simulated eBay runs first: the middleware verifies eBay notifications as in production, fetching the public
  // key named by each X-EBAY-SIGNATURE from its getPublicKey with an application token minted by its token endpoint.
  const ebayClient = { clientId: `LedgerbridgeSandbox-SBX-${randomBytes(6).toString('hex')}`, clientSecret: `SBX-${randomBytes(18).toString('hex')}` };
  const ebay = await startEbaySimulator({ seedSampleOrders: false, ...ebayClient });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ mode: 'sandbox', overrides: { ...overrides, ebay: { apiBaseUrl: ebay.url, ...ebayClient } } });
  } catch (error) {
    await ebay.close();
    throw error;
  }

  const creds = generateSandboxCredentials();
  const nsHost = createNetSuiteHost({
    accountId,
    runner: account.restlets,
    // REST record reads go through the account's User Event beforeLoad, as NetSuite's do.
    records: account.restRecords,
    credentials: hostCredentialsFor(creds),
    concurrencyLimit,
    latencyMs,
    faults,
  });
  const netsuite = await nsHost.listen(flags['netsuite-port'] === undefined ? 0 : Number(flags['netsuite-port']), host).catch(async (error: unknown) => {
    await ebay.close();
    throw error;
  });

  let seed: SandboxSeed | undefined;
  let middleware: RunningMiddleware;
  try {
    middleware = await startMiddleware(config, {
      logger: createLogger({ level: config.logLevel, name: 'ledgerbridge-sandbox', ...(options.logToStderr ? { destination: process.stderr } : {}) }),
      // Refunds: the local account's RESTlet host, and a short sweep so refunds made in NetSuite sync in seconds.
      refunds: { netsuite: { restletBaseUrls: { [accountId]: netsuite.url } }, sweep: { intervalMs: 2000 } },
      beforeListen: async ({ db, secretBox }) => {
        seed = await seedSandboxTenant(db, secretBox, { accountId, tba: creds.tba, concurrencyLimit });
        // The eBay channel's signing key (printed in the ready line) is published by the simulated eBay, and the
        // channel stores no key: notifications verify through getPublicKey, not a pinned key.
        const ebayChannel = seed.channels.find((c) => c.kind === 'ebay');
        if (ebayChannel?.signingKey) {
          ebay.notifications.publishSigningKey(ebayChannel.signingKey.kid, ebayChannel.signingKey.privateKeyPem);
          const unpinned = await updateChannel(db, secretBox, SANDBOX_TENANT_ID, ebayChannel.id, { secrets: { publicKeys: null } });
          if (!unpinned.ok) throw new Error(`sandbox eBay channel: ${unpinned.error.message}`);
        }
      },
    });
  } catch (error) {
    await netsuite.close();
    await ebay.close();
    throw error;
  }
  const client = await middleware.partners.createClient(SANDBOX_TENANT_ID, [...PARTNER_SCOPES]);
  let refunds: RefundSandbox;
  try {
    refunds = await startRefundSandbox({ middleware, account, tenantId: SANDBOX_TENANT_ID, channels: (seed as SandboxSeed).channels, ebay });
  } catch (error) {
    await middleware.close();
    await netsuite.close();
    await ebay.close();
    throw error;
  }
  const ready = { ...readyLine(middleware, netsuite, accountId, nsHost.realm, creds, { clientId: client.clientId, clientSecret: client.clientSecret, scopes: client.scopes }, seed as SandboxSeed), refunds: refunds.ready };
  return {
    ready,
    middleware,
    netsuite,
    async close() {
      await refunds.close();
      await middleware.close();
      await netsuite.close();
      await ebay.close();
    },
  };
}

export const sandboxCommand: Command = {
  summary: 'Run the sandbox: middleware + local NetSuite account + simulated platforms',
  async run(args) {
    let sandbox: SandboxHandle;
    let flags: ParsedFlags = {};
    try {
      flags = parseFlags(args, FLAGS);
      if (flags.help) {
        process.stdout.write(`${helpText('Usage: ledgerbridge sandbox [options]', FLAGS)}\n`);
        return 0;
      }
      sandbox = await startSandbox(flags, { logToStderr: Boolean(flags.json) });
    } catch (error) {
      const busy = addressInUse(error);
      if (busy) {
        const netsuitePort = flags['netsuite-port'];
        const flag = netsuitePort !== undefined && Number(netsuitePort) === busy.port ? '--netsuite-port' : '--port';
        process.stderr.write(`ledgerbridge sandbox: ${addressInUseMessage(busy, flag)}\n`);
        return 2;
      }
      if (!(error instanceof UsageError) && !(error instanceof ConfigError)) throw error;
      process.stderr.write(`ledgerbridge sandbox: ${error.message}\n`);
      return 2;
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(sandbox.ready)}\n`);
    } else {
      const r = sandbox.ready;
      process.stdout.write(
        [
          'Ledgerbridge sandbox is ready.',
          `  middleware        ${r.middleware.url}`,
          `  local NetSuite    ${r.netsuite.url} (account ${r.netsuite.accountId})`,
          `  partner API       client ${r.partnerApi.clientId} (token at ${r.partnerApi.tokenUrl})`,
          ...Object.values(r.channels).map((c) => `  ${c.kind.padEnd(17)} ${c.webhookUrl ?? '(polled, no webhooks)'}`),
          `  refunds console   ${r.refunds.consoleUrl}/ (open in a browser: refund sample orders both ways and watch them sync)`,
          'Run with --json for every credential. Ctrl-C stops.',
          '',
        ].join('\n'),
      );
    }
    await untilSignal();
    await sandbox.close();
    return 0;
  },
};
