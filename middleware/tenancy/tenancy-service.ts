/**
 * Tenants (partners) → NetSuite connections → channels. Credentials and channel secrets are sealed with the secret
 * box before they reach the store (AAD = the row's id, so a sealed value copied to another row does not open) and
 * are never returned: the public shapes say only which secrets are set.
 */
import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../security/secret-box';
import type { Db } from '../store/db';
import { failure, ok, type Result } from '../lib/result';
import * as connectionsSql from '../store/sql/connections';
import * as channelsSql from '../store/sql/channels';
import { BASE_CHANNEL_SCHEMAS, defaultRole, type ChannelKind, type ChannelRole, type ChannelSchemas, type ChannelSecrets } from './channel-kinds';
import { credentialsSchemaFor, type AuthKind } from './netsuite-credentials';
import { mergeObjects } from './merge-patch';

export interface PublicConnection {
  id: string;
  name: string;
  accountId: string;
  authKind: AuthKind;
  status: 'pending' | 'connected' | 'failed';
  statusMessage: string | null;
  concurrencyLimit: number;
  restlet: { scriptId: string; deployId: string };
  credentialsSet: true;
  createdAt: string;
  updatedAt: string;
}

export interface PublicChannel {
  id: string;
  kind: ChannelKind;
  role: ChannelRole;
  name: string;
  connectionId: string | null;
  settings: Record<string, unknown>;
  /** Names of the secrets that are set (values are write-only). */
  secretsSet: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * The composed channel schemas a store's channels are validated with, as the composition root bound them
 * (runtime/server.ts binds the registered flows' schemas to its store); the base schemas for a store nobody bound.
 */
const boundSchemas = new WeakMap<object, ChannelSchemas>();

export function bindChannelSchemas(db: Db, schemas: ChannelSchemas): void {
  boundSchemas.set(db, schemas);
}

export function channelSchemasOf(db: Db): ChannelSchemas {
  return boundSchemas.get(db) ?? BASE_CHANNEL_SCHEMAS;
}

const connectionAad = (id: string): string => `connection:${id}`;
const channelAad = (id: string): string => `channel:${id}`;

export function toPublicConnection(row: connectionsSql.ConnectionRow): PublicConnection {
  return {
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    authKind: row.auth_kind,
    status: row.status,
    statusMessage: row.status_message,
    concurrencyLimit: row.concurrency_limit,
    restlet: { scriptId: row.restlet_script_id, deployId: row.restlet_deploy_id },
    credentialsSet: true,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export function toPublicChannel(row: channelsSql.ChannelRow, secrets: ChannelSecrets | undefined): PublicChannel {
  return {
    id: row.id,
    kind: row.kind as ChannelKind,
    role: row.role as ChannelRole,
    name: row.name,
    connectionId: row.connection_id,
    settings: row.settings,
    secretsSet: secrets ? Object.keys(secrets).filter((k) => secrets[k] !== undefined).sort() : [],
    enabled: row.enabled,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export interface ConnectionInput {
  name: string;
  accountId: string;
  authKind: AuthKind;
  credentials: unknown;
  concurrencyLimit?: number;
  restletScriptId?: string;
  restletDeployId?: string;
}

export async function createConnection(db: Db, box: SecretBox, tenantId: string, input: ConnectionInput): Promise<Result<PublicConnection>> {
  const credentials = credentialsSchemaFor(input.authKind).safeParse(input.credentials);
  if (!credentials.success) {
    return failure('invalid_credentials', `credentials for ${input.authKind}: ${credentials.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const id = randomUUID();
  const row = await connectionsSql.insertConnection(db, {
    id,
    tenant_id: tenantId,
    name: input.name,
    account_id: input.accountId,
    auth_kind: input.authKind,
    credentials_sealed: box.seal(JSON.stringify(credentials.data), connectionAad(id)),
    concurrency_limit: input.concurrencyLimit ?? 5,
    restlet_script_id: input.restletScriptId ?? 'customscript_lb_rl_api',
    restlet_deploy_id: input.restletDeployId ?? 'customdeploy_lb_rl_api',
  });
  return ok(toPublicConnection(row));
}

export interface ConnectionUpdate {
  name?: string;
  accountId?: string;
  authKind?: AuthKind;
  credentials?: unknown;
  concurrencyLimit?: number;
}

export async function updateConnection(
  db: Db,
  box: SecretBox,
  tenantId: string,
  id: string,
  update: ConnectionUpdate,
): Promise<Result<PublicConnection>> {
  const current = await connectionsSql.getConnection(db, tenantId, id);
  if (!current) return failure('connection_not_found', 'No NetSuite connection with this id.');
  const authKind = update.authKind ?? current.auth_kind;
  if (update.authKind && update.authKind !== current.auth_kind && update.credentials === undefined) {
    return failure('credentials_required', 'Changing the auth kind needs new credentials for it.');
  }
  let sealed: string | undefined;
  if (update.credentials !== undefined) {
    const parsed = credentialsSchemaFor(authKind).safeParse(update.credentials);
    if (!parsed.success) return failure('invalid_credentials', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    sealed = box.seal(JSON.stringify(parsed.data), connectionAad(id));
  }
  const row = await connectionsSql.updateConnection(db, tenantId, id, {
    ...(update.name !== undefined ? { name: update.name } : {}),
    ...(update.accountId !== undefined ? { account_id: update.accountId } : {}),
    ...(update.authKind !== undefined ? { auth_kind: update.authKind } : {}),
    ...(update.concurrencyLimit !== undefined ? { concurrency_limit: update.concurrencyLimit } : {}),
    // New credentials mean the connection must be verified again.
    ...(sealed !== undefined ? { credentials_sealed: sealed, status: 'pending' as const, status_message: null } : {}),
  });
  if (!row) return failure('connection_not_found', 'No NetSuite connection with this id.');
  return ok(toPublicConnection(row));
}

/** The opened credentials (for the NetSuite client only; never returned over HTTP). */
export function openConnectionCredentials(box: SecretBox, row: connectionsSql.ConnectionRow): unknown {
  return JSON.parse(box.open(row.credentials_sealed, connectionAad(row.id)));
}

export interface ChannelInput {
  kind: ChannelKind;
  role?: ChannelRole;
  name: string;
  connectionId?: string | null;
  settings?: unknown;
  secrets?: unknown;
}

export function openChannelSecrets(box: SecretBox, row: Pick<channelsSql.ChannelRow, 'id' | 'secrets_sealed'>): ChannelSecrets | undefined {
  if (!row.secrets_sealed) return undefined;
  return JSON.parse(box.open(row.secrets_sealed, channelAad(row.id))) as ChannelSecrets;
}

export async function createChannel(
  db: Db,
  box: SecretBox,
  tenantId: string,
  input: ChannelInput,
  schemas: ChannelSchemas = channelSchemasOf(db),
): Promise<Result<PublicChannel>> {
  const role = input.role ?? defaultRole(input.kind);
  const settings = schemas.validateSettings(input.kind, role, input.settings);
  if (!settings.ok) return settings;
  const secrets = schemas.validateSecrets(input.kind, input.secrets);
  if (!secrets.ok) return secrets;
  if (input.connectionId && !(await connectionsSql.getConnection(db, tenantId, input.connectionId))) {
    return failure('connection_not_found', 'No NetSuite connection with this id.');
  }
  const id = randomUUID();
  const hasSecrets = Object.keys(secrets.value).length > 0;
  const row = await channelsSql.insertChannel(db, {
    id,
    tenant_id: tenantId,
    connection_id: input.connectionId ?? null,
    kind: input.kind,
    role,
    name: input.name,
    settings: settings.value,
    secrets_sealed: hasSecrets ? box.seal(JSON.stringify(secrets.value), channelAad(id)) : null,
  });
  return ok(toPublicChannel(row, hasSecrets ? secrets.value : undefined));
}

export interface ChannelUpdate {
  name?: string;
  role?: ChannelRole;
  connectionId?: string | null;
  /** A JSON Merge Patch (RFC 7396) of the stored settings: other keys stay, null deletes, objects merge, arrays replace. */
  settings?: Record<string, unknown>;
  /** A JSON Merge Patch of the stored secrets (merged by key; a key set to null removes that secret). */
  secrets?: Record<string, unknown>;
  enabled?: boolean;
}

export async function updateChannel(
  db: Db,
  box: SecretBox,
  tenantId: string,
  id: string,
  update: ChannelUpdate,
  schemas: ChannelSchemas = channelSchemasOf(db),
): Promise<Result<PublicChannel>> {
  const current = await channelsSql.getChannel(db, tenantId, id);
  if (!current) return failure('channel_not_found', 'No channel with this id.');
  const kind = current.kind as ChannelKind;
  const role = update.role ?? (current.role as ChannelRole);
  let settings: Record<string, unknown> | undefined;
  if (update.settings !== undefined || update.role !== undefined) {
    // The merged result is validated whole with the kind's schema (and the flows' rules, e.g. the refund direction).
    const merged = update.settings !== undefined ? mergeObjects(current.settings, update.settings) : current.settings;
    const checked = schemas.validateSettings(kind, role, merged);
    if (!checked.ok) return checked;
    settings = checked.value;
  }
  let secrets = openChannelSecrets(box, current);
  let sealed: string | null | undefined;
  if (update.secrets !== undefined) {
    const merged = mergeObjects(secrets, update.secrets);
    const checked = schemas.validateSecrets(kind, merged);
    if (!checked.ok) return checked;
    secrets = checked.value;
    sealed = Object.keys(secrets).length > 0 ? box.seal(JSON.stringify(secrets), channelAad(id)) : null;
  }
  if (update.connectionId && !(await connectionsSql.getConnection(db, tenantId, update.connectionId))) {
    return failure('connection_not_found', 'No NetSuite connection with this id.');
  }
  const row = await channelsSql.updateChannel(db, tenantId, id, {
    ...(update.name !== undefined ? { name: update.name } : {}),
    ...(update.role !== undefined ? { role } : {}),
    ...(settings !== undefined ? { settings } : {}),
    ...(sealed !== undefined ? { secrets_sealed: sealed } : {}),
    ...(update.enabled !== undefined ? { enabled: update.enabled } : {}),
    ...(update.connectionId !== undefined ? { connection_id: update.connectionId } : {}),
  });
  if (!row) return failure('channel_not_found', 'No channel with this id.');
  return ok(toPublicChannel(row, secrets));
}

export async function listPublicChannels(db: Db, box: SecretBox, tenantId: string): Promise<PublicChannel[]> {
  const rows = await channelsSql.listChannels(db, tenantId);
  return rows.map((row) => toPublicChannel(row, openChannelSecrets(box, row)));
}

export async function getPublicChannel(db: Db, box: SecretBox, tenantId: string, id: string): Promise<PublicChannel | undefined> {
  const row = await channelsSql.getChannel(db, tenantId, id);
  return row && toPublicChannel(row, openChannelSecrets(box, row));
}
