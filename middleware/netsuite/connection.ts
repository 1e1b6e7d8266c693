/**
 * Builds the NetSuite client of one connection: URLs from the account id (or a base URL for the local account),
 * the authenticator from its credentials, the shared concurrency budget, the HTTP wrapper and the batching queue.
 */
import { hostForAccount, realmForAccount } from '../../core/netsuite/oauth1';
import type { NetSuiteCredentials } from '../tenancy/netsuite-credentials';
import type { Db } from '../store/db';
import { m2mAuthenticator, tbaAuthenticator, type Authenticator } from './auth';
import type { BackoffPolicy } from './backoff';
import { createConcurrencyBudget, createLocalBudget, type ConcurrencyBudget } from './budget';
import { NetSuiteClient, type AttemptEvent } from './client';
import { createHttpClient, type HttpClient } from './http';
import { OperationQueue } from './batcher';

export const RESTLET_PATH = '/app/site/hosting/restlet.nl';
export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

export interface NetSuiteConnectionSettings {
  /** NetSuite account id (123456, 123456_SB1). */
  accountId: string;
  credentials: NetSuiteCredentials;
  /** RESTlet host; default https://<account>.restlets.api.netsuite.com (the local account gives its own). */
  restletBaseUrl?: string;
  /** Token endpoint host for OAuth 2.0; default https://<account>.suitetalk.api.netsuite.com. */
  suitetalkBaseUrl?: string;
  scriptId?: string;
  deployId?: string;
  /** The account's concurrency limit, shared by every process (reference 1.4: 5 on standard tiers). */
  concurrencyLimit?: number;
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  batch?: { maxOps?: number; maxWaitMs?: number };
}

export function restletUrl(settings: NetSuiteConnectionSettings): string {
  const base = settings.restletBaseUrl ?? `https://${hostForAccount(settings.accountId, 'restlets')}`;
  const url = new URL(RESTLET_PATH, base);
  url.searchParams.set('script', settings.scriptId ?? 'customscript_lb_rl_api');
  url.searchParams.set('deploy', settings.deployId ?? 'customdeploy_lb_rl_api');
  return url.toString();
}

export function tokenUrl(settings: NetSuiteConnectionSettings): string {
  const base = settings.suitetalkBaseUrl ?? settings.restletBaseUrl ?? `https://${hostForAccount(settings.accountId, 'suitetalk')}`;
  return new URL(TOKEN_PATH, base).toString();
}

function realmOf(accountId: string): string {
  try {
    return realmForAccount(accountId);
  } catch {
    return accountId;
  }
}

export function authenticatorFor(settings: NetSuiteConnectionSettings, http: HttpClient): Authenticator {
  const creds = settings.credentials;
  if (creds.kind === 'tba') return tbaAuthenticator({ realm: realmOf(settings.accountId), credentials: creds.tba });
  return m2mAuthenticator({
    clientId: creds.m2m.clientId,
    certificateId: creds.m2m.certificateId,
    privateKeyPem: creds.m2m.privateKey,
    tokenUrl: tokenUrl(settings),
    scopes: ['restlets'],
    http,
  });
}

export interface NetSuiteConnectionClient {
  client: NetSuiteClient;
  queue: OperationQueue;
  budget: ConcurrencyBudget;
}

/** A slot's lease in the store: renewed while its call runs, so a killed process's slots return within it. */
const SLOT_LEASE_MS = 15_000;

/** In-process budgets per store and account: the embedded store serves one process, so its slots live in memory. */
const memoryBudgets = new WeakMap<Db, Map<string, ConcurrencyBudget>>();

/**
 * The concurrency budget of an account. PostgreSQL: held in the store, shared by every process on it. The embedded
 * store (PGlite, one process): a semaphore in memory, one per account and store, shared by every connection to the
 * account in this process, with no query per call. Without a store (single-process tools): a semaphore of its own.
 */
export function budgetFor(db: Db | undefined, accountKey: string, limit: number, leaseMs: number): ConcurrencyBudget {
  if (!db) return createLocalBudget(limit);
  if (db.kind === 'postgres') return createConcurrencyBudget({ db, accountKey, limit, leaseMs });
  let budgets = memoryBudgets.get(db);
  if (!budgets) memoryBudgets.set(db, (budgets = new Map()));
  let budget = budgets.get(accountKey);
  if (!budget) budgets.set(accountKey, (budget = createLocalBudget(limit)));
  return budget;
}

/** The client for a connection, with its account's concurrency budget (`budgetFor`). */
export function createNetSuiteConnection(
  settings: NetSuiteConnectionSettings,
  deps: { db?: Db; http?: HttpClient; onAttempt?: (event: AttemptEvent) => void } = {},
): NetSuiteConnectionClient {
  const limit = settings.concurrencyLimit ?? 5;
  const http = deps.http ?? createHttpClient({ timeoutMs: settings.timeoutMs ?? 120_000 });
  const budget = budgetFor(deps.db, realmOf(settings.accountId), limit, SLOT_LEASE_MS);
  const client = new NetSuiteClient({
    restletUrl: restletUrl(settings),
    auth: authenticatorFor(settings, http),
    http,
    budget,
    ...(settings.backoff ? { backoff: settings.backoff } : {}),
    ...(deps.onAttempt ? { onAttempt: deps.onAttempt } : {}),
  });
  const queue = new OperationQueue({ client, maxInFlight: limit, ...settings.batch });
  // Every record's operations on this connection share the account's few calls (cross-record batching).
  client.useDispatcher(queue);
  return { client, queue, budget };
}
