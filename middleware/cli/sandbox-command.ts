/**
 * `ledgerbridge sandbox`: the middleware on the embedded store, a local NetSuite account (the emulator) behind its
 * NetSuite-shaped HTTP host, and the sandbox tenant with one simulated channel per platform. With `--json` it prints
 * ONE line when ready holding every URL and credential a client needs (DESIGN.md "Contracts"); logs then go to
 * stderr so stdout stays machine-readable. The data folder keeps the whole world across restarts — the store, the
 * local account's and the simulators' state files, and the generated credentials (../sandbox/sandbox-world.ts) —
 * and a folder whose parts belong to different worlds is refused with the fix.
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
import { createLocalAccount, StateFileError, type LocalAccount } from '../../emulator';
import { SeedError, seedSandbox } from '../../emulator/seed';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, RESTLET_PATH, TOKEN_PATH, type RunningNetSuiteHost } from '../../emulator/http';
import { startRefundSandbox, type RefundSandbox } from '../sandbox/refund-sandbox';
import { startEbaySimulator } from '../simulators/ebay';
import { updateChannel } from '../tenancy/tenancy-service';
import { findActivePartnerClient } from '../partner-api/sql';
import { verifyClientSecret } from '../partner-api/client-secret';
import { SimulatorStateError } from '../simulators/shared/state';
import { checkWorldFiles, checkWorldStore, connectionCreatedAt, newWorld, readWorld, SandboxWorldError, worldPaths, writeWorld, type SandboxWorld, type WorldPaths } from '../sandbox/sandbox-world';
import { addressInUse, addressInUseMessage, helpText, parseFlags, UsageError, untilSignal, type FlagSpec, type ParsedFlags } from './args';

const FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'Print one JSON line with every URL and credential when ready' },
  port: { type: 'number', description: 'Middleware port (default 8080; 0 picks a free port)' },
  'netsuite-port': { type: 'number', description: 'Local NetSuite account port (default: a free port)' },
  host: { type: 'string', description: 'Interface to listen on (default 127.0.0.1)' },
  'data-dir': { type: 'string', description: 'Folder the sandbox keeps its world in: store, key, credentials, local account and simulators (default ./.ledgerbridge)' },
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

export type SandboxReadyLine = ReturnType<typeof readyLine> & {
  /** The data folder the sandbox keeps its world in (null with --memory), and whether this start restored it. */
  data: { dir: string | null; restored: boolean };
  refunds: RefundSandbox['ready'];
};

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

  const accountFlag = typeof flags['account-id'] === 'string' ? flags['account-id'] : undefined;
  // The data folder keeps one world (sandbox-world.ts): the store, the local account's state file, the simulators'
  // state files and sandbox.json with the generated credentials. Its parts are checked against each other before
  // anything starts; with --memory nothing is kept and every start is a new world.
  let paths: WorldPaths | null = null;
  let world: SandboxWorld | null = null;
  let storeName = 'the in-memory store';
  let accountId = accountFlag ?? 'TSTDRV0000001';
  if (!flags.memory) {
    // The folder as the middleware will resolve it (flag, LEDGERBRIDGE_DATA_DIR or the config file, else ./.ledgerbridge).
    const probe = loadConfig({ mode: 'sandbox', overrides });
    paths = worldPaths(probe.dataDir);
    storeName = probe.database.kind === 'pglite' ? probe.database.dataDir : 'the PostgreSQL database at DATABASE_URL';
    world = readWorld(paths);
    accountId = checkWorldFiles(paths, world, accountFlag);
  }
  const existedBefore = new Set(paths ? [paths.world, paths.account, ...Object.values(paths.simulators), path.dirname(paths.simulators.shopify)].filter((f) => fs.existsSync(f)) : []);
  const creds = world?.netsuite ?? generateSandboxCredentials();
  const ebayClient = world?.ebayApp ?? { clientId: `LedgerbridgeSandbox-SBX-${randomBytes(6).toString('hex')}`, clientSecret: `SBX-${randomBytes(18).toString('hex')}` };

  // What started so far, closed in reverse when a later step fails. A refused start (SandboxWorldError) also removes
  // the files it created, so the folder is left as it was.
  const started: Array<() => Promise<unknown>> = [];
  const undo = async (error: unknown): Promise<never> => {
    for (const close of started.reverse()) await close().catch(() => undefined);
    if (paths && (error instanceof SandboxWorldError || error instanceof SimulatorStateError)) {
      for (const file of [paths.world, paths.account, ...Object.values(paths.simulators)]) if (!existedBefore.has(file)) fs.rmSync(file, { force: true });
      const simulatorDir = path.dirname(paths.simulators.shopify);
      if (!existedBefore.has(simulatorDir) && fs.existsSync(simulatorDir) && fs.readdirSync(simulatorDir).length === 0) fs.rmdirSync(simulatorDir);
    }
    throw error;
  };

  // The default sandbox data (customers, items, locations, accounts, orders of each billing kind), plus the user's
  // seed file on top, for a fresh account; a bad seed is refused before anything listens, with every defect named.
  // A kept account is restored from its state file as it was (the seed is not applied again).
  let account: LocalAccount;
  try {
    account = createLocalAccount({ accountId, ...(paths ? { stateFile: paths.account } : {}), seedWith: (engine) => seedSandbox(engine, userSeed) });
  } catch (error) {
    if (error instanceof SeedError) throw new UsageError(`--seed ${seedFile}: ${error.message}`);
    throw error;
  }
  started.push(() => account.close());
  if (account.restored && seedFile !== undefined) {
    process.stderr.write(`ledgerbridge sandbox: --seed ${seedFile} is not applied: the local account in ${paths?.dataDir} was restored as it was (a seed applies to a fresh data folder only).\n`);
  }
  if (paths && !world) {
    world = newWorld(accountId, creds, ebayClient);
    try {
      writeWorld(paths, world);
    } catch (error) {
      return undo(error);
    }
  }
  const kept = paths && world ? { paths, world } : null;

  // The simulated eBay runs first: the middleware verifies eBay notifications as in production, fetching the public
  // key named by each X-EBAY-SIGNATURE from its getPublicKey with an application token minted by its token endpoint.
  const ebay = await startEbaySimulator({ seedSampleOrders: false, ...ebayClient, ...(kept ? { stateFile: kept.paths.simulators.ebay, stateTag: kept.world.worldId } : {}) }).catch(undo);
  started.push(() => ebay.close());
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ mode: 'sandbox', overrides: { ...overrides, ebay: { apiBaseUrl: ebay.url, ...ebayClient } } });
  } catch (error) {
    return undo(error);
  }

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
  const netsuite = await nsHost.listen(flags['netsuite-port'] === undefined ? 0 : Number(flags['netsuite-port']), host).catch(undo);
  started.push(() => netsuite.close());

  let seed: SandboxSeed | undefined;
  const middleware = await startMiddleware(config, {
    logger: createLogger({ level: config.logLevel, name: 'ledgerbridge-sandbox', ...(options.logToStderr ? { destination: process.stderr } : {}) }),
    // Refunds: the local account's RESTlet host, and a short sweep so refunds made in NetSuite sync in seconds.
    refunds: { netsuite: { restletBaseUrls: { [accountId]: netsuite.url } }, sweep: { intervalMs: 2000 } },
    beforeListen: async ({ db, secretBox }) => {
      // The store must be this world's (or empty for a new one) before anything is written to it.
      if (kept) await checkWorldStore(db, kept.paths, kept.world, SANDBOX_TENANT_ID, SANDBOX_CONNECTION_ID, storeName);
      seed = await seedSandboxTenant(db, secretBox, { accountId, tba: creds.tba, concurrencyLimit }, kept?.world.channels ?? []);
      // The eBay channel's signing key (printed in the ready line) is published by the simulated eBay, and the
      // channel stores no key: notifications verify through getPublicKey, not a pinned key.
      const ebayChannel = seed.channels.find((c) => c.kind === 'ebay');
      if (ebayChannel?.signingKey) {
        ebay.notifications.publishSigningKey(ebayChannel.signingKey.kid, ebayChannel.signingKey.privateKeyPem);
        const unpinned = await updateChannel(db, secretBox, SANDBOX_TENANT_ID, ebayChannel.id, { secrets: { publicKeys: null } });
        if (!unpinned.ok) throw new Error(`sandbox eBay channel: ${unpinned.error.message}`);
      }
      if (kept) {
        kept.world.channels = seed.channels;
        kept.world.connectionCreatedAt ??= await connectionCreatedAt(db, SANDBOX_TENANT_ID, SANDBOX_CONNECTION_ID);
        writeWorld(kept.paths, kept.world);
      }
    },
  }).catch(undo);
  started.push(() => middleware.close());

  let client: { clientId: string; clientSecret: string; scopes: string[] };
  let refunds: RefundSandbox;
  try {
    client = await sandboxPartnerClient(middleware, kept);
    refunds = await startRefundSandbox({
      middleware,
      account,
      tenantId: SANDBOX_TENANT_ID,
      channels: (seed as SandboxSeed).channels,
      ebay,
      ...(kept ? { persist: { files: kept.paths.simulators, tag: kept.world.worldId } } : {}),
      ...(kept?.world.sampleOrders ? { sampleOrders: kept.world.sampleOrders } : {}),
    });
    started.push(() => refunds.close());
    if (kept && !kept.world.sampleOrders) {
      // The new sample orders are on disk in the simulators and the account before the world names them.
      for (const sim of [refunds.shopify, refunds.magento, refunds.amazon, ebay]) sim.flushState();
      account.flushState();
      kept.world.sampleOrders = refunds.ready.sampleOrders;
      writeWorld(kept.paths, kept.world);
    }
  } catch (error) {
    return undo(error);
  }
  const ready = {
    ...readyLine(middleware, netsuite, accountId, nsHost.realm, creds, client, seed as SandboxSeed),
    data: { dir: paths?.dataDir ?? null, restored: account.restored },
    refunds: refunds.ready,
  };
  return {
    ready,
    middleware,
    netsuite,
    async close() {
      // The middleware first (its in-flight jobs still reach the local account and the simulators), then the
      // simulators and the local account, which write their state files as they close.
      await middleware.close();
      await refunds.close();
      await netsuite.close();
      await ebay.close();
      await account.close();
    },
  };
}

/**
 * The all-scope partner client the sandbox prints. With a data folder it is made once and reused on every start
 * (its secret is kept in sandbox.json); a kept client that was revoked, or lacks a scope, is replaced (and revoked).
 */
async function sandboxPartnerClient(middleware: RunningMiddleware, kept: { paths: WorldPaths; world: SandboxWorld } | null): Promise<{ clientId: string; clientSecret: string; scopes: string[] }> {
  const before = kept?.world.partnerClient;
  if (before) {
    const row = await findActivePartnerClient(middleware.db, before.clientId);
    const scopes = row ? row.scopes.split(' ').filter(Boolean) : [];
    if (row && row.tenant_id === SANDBOX_TENANT_ID && PARTNER_SCOPES.every((s) => scopes.includes(s)) && (await verifyClientSecret(before.clientSecret, row.secret_hash))) {
      return { clientId: before.clientId, clientSecret: before.clientSecret, scopes };
    }
    await middleware.partners.revokeClient(before.clientId);
  }
  const created = await middleware.partners.createClient(SANDBOX_TENANT_ID, [...PARTNER_SCOPES]);
  if (kept) {
    kept.world.partnerClient = { clientId: created.clientId, clientSecret: created.clientSecret };
    writeWorld(kept.paths, kept.world);
  }
  return { clientId: created.clientId, clientSecret: created.clientSecret, scopes: created.scopes };
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
      if (error instanceof SandboxWorldError || error instanceof StateFileError || error instanceof SimulatorStateError) {
        // The data folder mixes worlds or holds a file that cannot be used: refused, naming the fix.
        process.stderr.write(`ledgerbridge sandbox: ${error.message}\n`);
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
          `  data folder       ${r.data.dir === null ? '(in memory: nothing is kept)' : `${r.data.dir} (${r.data.restored ? 'restored' : 'new'}; delete it to start afresh)`}`,
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
