/**
 * The refund flow's way to NetSuite: one client per connection (the middleware NetSuite client: signed RESTlet
 * calls within the account's shared concurrency budget, retries, lookup-before-retry), built from the stored,
 * sealed credentials. The local account (sandbox, tests) gives its own RESTlet base URL.
 */
import type { Operation, OperationResult } from '../../core/contracts/restlet';
import type { SecretBox } from '../security/secret-box';
import type { Db } from '../store/db';
import { getConnection } from '../store/sql/connections';
import { openConnectionCredentials } from '../tenancy/tenancy-service';
import type { NetSuiteCredentials, TbaCredentials, M2mCredentials } from '../tenancy/netsuite-credentials';
import { createNetSuiteConnection } from '../netsuite/connection';
import type { NetSuiteClient } from '../netsuite/client';
import type { Metrics } from '../observability/metrics';
import { observeNetSuiteAttempts } from '../observability/netsuite-metrics';

export interface NetSuitePortOptions {
  /** RESTlet base URL per NetSuite account id (the local account's host); default NetSuite's own hosts. */
  restletBaseUrls?: Record<string, string>;
  /**
   * RESTlet (and token endpoint) base URL for every other account: a URL, or a template where `{accountId}` is the
   * account id in host form (lower case, `_` as `-`). Default NetSuite's own hosts.
   */
  restletBaseUrl?: string;
  timeoutMs?: number;
}

export type NetSuiteFor = (tenantId: string, connectionId: string) => Promise<NetSuiteClient>;

/**
 * `db` makes the concurrency budget the account's, shared by every process on the store; `metrics` (when given)
 * counts every real RESTlet call on /metrics (calls by outcome, errors by reason, latency).
 */
export function createNetSuitePort(deps: { db: Db; secretBox: SecretBox; metrics?: Metrics }, options: NetSuitePortOptions = {}): NetSuiteFor {
  const onAttempt = deps.metrics ? observeNetSuiteAttempts(deps.metrics) : undefined;
  const clients = new Map<string, { updatedAt: number; client: NetSuiteClient }>();
  return async (tenantId, connectionId) => {
    const row = await getConnection(deps.db, tenantId, connectionId);
    if (!row) throw new FlowError('connection_not_found', `NetSuite connection ${connectionId} does not exist.`, false);
    const key = `${tenantId}\u0000${connectionId}`;
    const cached = clients.get(key);
    // A connection whose credentials changed gets a new client.
    if (cached && cached.updatedAt === new Date(row.updated_at).getTime()) return cached.client;
    const opened = openConnectionCredentials(deps.secretBox, row);
    const credentials: NetSuiteCredentials =
      row.auth_kind === 'tba' ? { kind: 'tba', tba: opened as TbaCredentials } : { kind: 'm2m', m2m: opened as M2mCredentials };
    const baseUrl = options.restletBaseUrls?.[row.account_id] ?? (options.restletBaseUrl ? accountUrl(options.restletBaseUrl, row.account_id) : undefined);
    const { client } = createNetSuiteConnection(
      {
        accountId: row.account_id,
        credentials,
        ...(baseUrl ? { restletBaseUrl: baseUrl } : {}),
        scriptId: row.restlet_script_id,
        deployId: row.restlet_deploy_id,
        concurrencyLimit: row.concurrency_limit,
        timeoutMs: options.timeoutMs ?? 60_000,
      },
      { db: deps.db, ...(onAttempt ? { onAttempt } : {}) },
    );
    clients.set(key, { updatedAt: new Date(row.updated_at).getTime(), client });
    return client;
  };
}

/** A base URL template with `{accountId}` filled in (host form: lower case, `_` as `-`). */
export function accountUrl(template: string, accountId: string): string {
  return template.split('{accountId}').join(encodeURIComponent(accountId.toLowerCase().replace(/_/g, '-')));
}

/** An expected failure of a flow step: a code, a plain message and whether trying again may help. */
export class FlowError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'FlowError';
  }
}

/** A result that is not a success as the FlowError a flow step reports (null for a success). */
export function operationFailure(r: OperationResult): FlowError | null {
  if (r.status === 'error') {
    const code =
      r.error.code === 'UNKNOWN_SKU'
        ? 'unknown_sku'
        : r.error.code === 'RECORD_NOT_FOUND'
          ? 'netsuite_record_not_found'
          : r.error.netsuiteCode === 'INVALID_INITIALIZE_REF'
            ? 'netsuite_nothing_to_transform'
            : 'netsuite_error';
    return new FlowError(code, `NetSuite ${r.kind} ${r.opId}: ${r.error.message}`, r.error.retryable);
  }
  if (r.status === 'not_attempted') return new FlowError('netsuite_not_attempted', `NetSuite did not run ${r.opId}.`, true);
  return null;
}

/** Runs operations and returns their results by opId; a failed operation becomes a FlowError. */
export async function runOps(client: NetSuiteClient, ops: Operation[]): Promise<Map<string, OperationResult>> {
  const results = await client.run(ops);
  const byId = new Map<string, OperationResult>();
  for (const r of results) {
    const failed = operationFailure(r);
    if (failed) throw failed;
    byId.set(r.opId, r);
  }
  return byId;
}
