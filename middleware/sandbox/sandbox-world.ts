/**
 * The sandbox's world in its data folder: the embedded store, the local NetSuite account's state file, one state
 * file per simulated platform, and `sandbox.json`, which ties them together — a world id, the local account's id,
 * the generated credentials (TBA and OAuth 2.0 M2M for the local account, the eBay application keys, the channels'
 * webhook secrets and eBay signing key, the partner API client), the store's fingerprint (when the sandbox NetSuite
 * connection was created) and the sample orders. The file holds secrets in clear and is written with mode 0600
 * (owner only), like `master.key` next to it.
 *
 * The parts must belong together: an account started again from its seed beside a store that remembers the old
 * account's outbox cursor and records would leave new refunds waiting forever. So each start checks the parts
 * against each other and refuses a folder that mixes worlds, naming the fix (SandboxWorldError).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SandboxCredentials } from '../../emulator/http';
import type { Db } from '../store/db';
import type { SandboxChannel } from './sandbox-tenant';
import type { SampleOrder } from './refund-sandbox';

export const WORLD_FORMAT = 'ledgerbridge-sandbox';
export const WORLD_VERSION = 1;
export const SIMULATED_PLATFORMS = ['shopify', 'magento', 'ebay', 'amazon'] as const;
export type SimulatedPlatform = (typeof SIMULATED_PLATFORMS)[number];

export interface SandboxWorld {
  format: typeof WORLD_FORMAT;
  version: typeof WORLD_VERSION;
  /** Written into every simulator state file: a simulator file of another world is refused. */
  worldId: string;
  accountId: string;
  createdAt: string;
  /** The local account's TBA and OAuth 2.0 M2M credentials (the host accepts them; the store holds the TBA ones). */
  netsuite: SandboxCredentials;
  /** The simulated eBay's application keys (the middleware mints eBay tokens with them). */
  ebayApp: { clientId: string; clientSecret: string };
  /** The sandbox channels with their webhook secrets; null until the tenant was seeded. */
  channels: SandboxChannel[] | null;
  /** created_at of the sandbox NetSuite connection in the store: the store's fingerprint; null until seeded. */
  connectionCreatedAt: string | null;
  /** The all-scope partner API client the sandbox prints (reused on every start); null until created. */
  partnerClient: { clientId: string; clientSecret: string } | null;
  /** The refund console's sample orders (on the simulators and in the local account); null until made. */
  sampleOrders: SampleOrder[] | null;
}

/** A data folder whose parts do not belong together (or cannot be read); the message names the fix. */
export class SandboxWorldError extends Error {
  readonly code = 'SANDBOX_WORLD_MISMATCH';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxWorldError';
  }
}

export interface WorldPaths {
  dataDir: string;
  world: string;
  account: string;
  simulators: Record<SimulatedPlatform, string>;
}

export function worldPaths(dataDir: string): WorldPaths {
  const dir = path.resolve(dataDir);
  return {
    dataDir: dir,
    world: path.join(dir, 'sandbox.json'),
    account: path.join(dir, 'netsuite-account.json'),
    simulators: Object.fromEntries(SIMULATED_PLATFORMS.map((p) => [p, path.join(dir, 'simulators', `${p}.json`)])) as Record<SimulatedPlatform, string>,
  };
}

/** The fix every refusal ends with. */
export function freshFolderFix(dataDir: string): string {
  return `Start with --data-dir <another folder> for a new sandbox, or delete ${dataDir} to start this one afresh`;
}

export function newWorld(accountId: string, netsuite: SandboxCredentials, ebayApp: SandboxWorld['ebayApp'], now = new Date()): SandboxWorld {
  return {
    format: WORLD_FORMAT,
    version: WORLD_VERSION,
    worldId: randomUUID(),
    accountId,
    createdAt: now.toISOString(),
    netsuite,
    ebayApp,
    channels: null,
    connectionCreatedAt: null,
    partnerClient: null,
    sampleOrders: null,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Reads `sandbox.json`; null when the folder has none. A damaged file is refused, never replaced. */
export function readWorld(paths: WorldPaths): SandboxWorld | null {
  let raw: string;
  try {
    raw = fs.readFileSync(paths.world, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SandboxWorldError(`${paths.world} cannot be read (${(error as Error).message}). Check the file permissions.`);
  }
  const damaged = (what: string) =>
    new SandboxWorldError(`${paths.world} is damaged (${what}): the sandbox cannot tell which local account, simulators and credentials belong to its store. Restore the file from a backup; or ${freshFolderFix(paths.dataDir).charAt(0).toLowerCase()}${freshFolderFix(paths.dataDir).slice(1)}.`);
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw damaged(raw.trim() === '' ? 'the file is empty' : `not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(data) || data.format !== WORLD_FORMAT) throw damaged(`no "format": "${WORLD_FORMAT}"`);
  if (data.version !== WORLD_VERSION) {
    throw new SandboxWorldError(`${paths.world} has format version ${JSON.stringify(data.version)}; this Ledgerbridge reads version ${WORLD_VERSION}. Start it with the Ledgerbridge version that wrote it, or ${freshFolderFix(paths.dataDir).charAt(0).toLowerCase()}${freshFolderFix(paths.dataDir).slice(1)}.`);
  }
  const ns = data.netsuite as Record<string, unknown> | undefined;
  const tba = isObject(ns) ? ns.tba : undefined;
  const m2m = isObject(ns) ? ns.m2m : undefined;
  if (!isText(data.worldId) || !isText(data.accountId) || !isText(data.createdAt)) throw damaged('worldId, accountId and createdAt are required');
  if (!isObject(tba) || !['consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret'].every((k) => isText(tba[k]))) throw damaged('netsuite.tba is incomplete');
  if (!isObject(m2m) || !['clientId', 'certificateId', 'publicKeyPem', 'privateKeyPem', 'algorithm'].every((k) => isText(m2m[k])) || !Array.isArray(m2m.scopes)) throw damaged('netsuite.m2m is incomplete');
  const app = data.ebayApp;
  if (!isObject(app) || !isText(app.clientId) || !isText(app.clientSecret)) throw damaged('ebayApp is incomplete');
  if (data.channels !== null && !(Array.isArray(data.channels) && data.channels.every((c) => isObject(c) && isText(c.id) && isText(c.kind) && isText(c.scheme)))) throw damaged('channels must be null or a list of channels');
  if (data.connectionCreatedAt !== null && !isText(data.connectionCreatedAt)) throw damaged('connectionCreatedAt must be null or a date');
  const client = data.partnerClient;
  if (client !== null && !(isObject(client) && isText(client.clientId) && isText(client.clientSecret))) throw damaged('partnerClient must be null or hold clientId and clientSecret');
  if (data.sampleOrders !== null && !(Array.isArray(data.sampleOrders) && data.sampleOrders.every((o) => isObject(o) && isText(o.platform) && isText(o.orderId) && isObject(o.netsuite)))) {
    throw damaged('sampleOrders must be null or a list of orders');
  }
  return data as unknown as SandboxWorld;
}

/** Writes `sandbox.json` atomically (temp file, fsync, rename) with mode 0600: it holds credentials in clear. */
export function writeWorld(paths: WorldPaths, world: SandboxWorld): void {
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const tmp = `${paths.world}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(world, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, paths.world);
  // A file made before by another umask keeps its mode through rename of a fresh temp file; make sure anyway.
  fs.chmodSync(paths.world, 0o600);
}

/**
 * Before anything starts: the files in the folder must be all there (a world to restore) or none of them (a
 * fresh folder, perhaps with an empty store). Answers the account id to use: the world's when `--account-id` was
 * not given; a different `--account-id` is refused.
 */
export function checkWorldFiles(paths: WorldPaths, world: SandboxWorld | null, accountIdFlag: string | undefined): string {
  const present = (file: string) => fs.existsSync(file);
  const fix = freshFolderFix(paths.dataDir);
  if (world === null) {
    const strays = [paths.account, ...Object.values(paths.simulators)].filter(present);
    if (strays.length > 0) {
      throw new SandboxWorldError(
        `the data folder ${paths.dataDir} holds ${strays.map((f) => path.relative(paths.dataDir, f)).join(', ')} but no sandbox.json, so the sandbox cannot tell whether they belong to its store (it would run with a local account or simulators of another sandbox). ${fix}.`,
      );
    }
    return accountIdFlag ?? 'TSTDRV0000001';
  }
  if (accountIdFlag !== undefined && accountIdFlag !== world.accountId) {
    throw new SandboxWorldError(
      `the data folder ${paths.dataDir} was made with local NetSuite account ${world.accountId}, not ${accountIdFlag}: its store's sync records and cursors belong to that account. Start with --account-id ${world.accountId} (or without --account-id) to keep using it; or ${fix.charAt(0).toLowerCase()}${fix.slice(1)}.`,
    );
  }
  if (!present(paths.account)) {
    throw new SandboxWorldError(
      `the data folder's store was made with another local account: the local NetSuite account's state file ${paths.account} is missing, and an account started again from its seed would not match the store's sync records and outbox cursor (new refunds would wait forever). Restore the file from a backup; or ${fix.charAt(0).toLowerCase()}${fix.slice(1)}.`,
    );
  }
  // Before the sample orders were made (an earlier start stopped half-way, e.g. on a busy port) a simulator may not
  // have started yet: it starts fresh now. After that every simulator holds orders the store refers to.
  const missing = world.sampleOrders === null ? [] : SIMULATED_PLATFORMS.filter((p) => !present(paths.simulators[p]));
  if (missing.length > 0) {
    throw new SandboxWorldError(
      `the data folder's store was made with other simulated platforms: the state file of the simulated ${missing.join(', ')} (${missing.map((p) => paths.simulators[p]).join(', ')}) is missing, and a simulator started again from nothing would not hold the orders, refunds and ids the store's sync records and poll cursors refer to. Restore the files from a backup; or ${fix.charAt(0).toLowerCase()}${fix.slice(1)}.`,
    );
  }
  return world.accountId;
}

/**
 * Once the store is open (before the sandbox tenant is seeded): a fresh world needs a store without a sandbox
 * (a store left from another sandbox is refused), a restored world needs its own store (the sandbox connection with
 * the account id and creation time the world recorded).
 */
export async function checkWorldStore(db: Db, paths: WorldPaths, world: SandboxWorld, tenantId: string, connectionId: string, storeName: string): Promise<void> {
  const fix = freshFolderFix(paths.dataDir);
  const rows = (await db.query<{ account_id: string; created_at: Date | string }>('select account_id, created_at from lb_netsuite_connections where tenant_id = $1 and id = $2', [tenantId, connectionId])).rows;
  const connection = rows[0];
  const records = Number((await db.query<{ n: string | number }>('select count(*) as n from lb_sync_records where tenant_id = $1', [tenantId])).rows[0]?.n ?? 0);
  if (world.connectionCreatedAt === null) {
    if (connection || records > 0) {
      throw new SandboxWorldError(
        `the data folder's store (${storeName}) was made with another local account: it already holds the sandbox's NetSuite connection${records > 0 ? ` and ${records} sync record${records === 1 ? '' : 's'}` : ''}, but the folder has no sandbox.json and no local account state file from the run that made them (a local account started again from its seed would not match them). ${fix}.`,
      );
    }
    return;
  }
  if (!connection) {
    throw new SandboxWorldError(
      `the data folder's store (${storeName}) does not hold the sandbox this folder's local account and simulators were made with (no sandbox NetSuite connection: the store was deleted or replaced). ${fix}.`,
    );
  }
  if (connection.account_id !== world.accountId) {
    throw new SandboxWorldError(`the data folder's store (${storeName}) was made with local account ${connection.account_id}, not ${world.accountId}. ${fix}.`);
  }
  if (new Date(connection.created_at).toISOString() !== world.connectionCreatedAt) {
    throw new SandboxWorldError(
      `the data folder's store (${storeName}) was made by another sandbox than its local account and simulators (its NetSuite connection was created ${new Date(connection.created_at).toISOString()}, the folder's sandbox.json expects ${world.connectionCreatedAt}). ${fix}.`,
    );
  }
}

/** The created_at the world records for the sandbox connection, read after seeding. */
export async function connectionCreatedAt(db: Db, tenantId: string, connectionId: string): Promise<string> {
  const row = (await db.query<{ created_at: Date | string }>('select created_at from lb_netsuite_connections where tenant_id = $1 and id = $2', [tenantId, connectionId])).rows[0];
  if (!row) throw new Error('the sandbox NetSuite connection was not created');
  return new Date(row.created_at).toISOString();
}
