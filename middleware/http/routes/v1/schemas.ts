/** zod schemas of the partner API's requests and responses (v1). */
import { z } from 'zod';
import { AUTH_KINDS } from '../../../tenancy/netsuite-credentials';
import { CHANNEL_KINDS, CHANNEL_ROLES, ROLES_BY_KIND, type ChannelSchemas } from '../../../tenancy/channel-kinds';
import { SYNC_STATES } from '../../../sync/sync-states';

export const idParams = z.strictObject({ id: z.string().min(1).max(100) });

export const connectionCreateBody = z.strictObject({
  name: z.string().min(1).max(200),
  accountId: z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'a NetSuite account id, e.g. 1234567 or 1234567_SB1'),
  authKind: z.enum(AUTH_KINDS),
  /** Write-only: TBA {consumerKey, consumerSecret, tokenId, tokenSecret} or M2M {clientId, certificateId, privateKey}. */
  credentials: z.record(z.string(), z.string()),
  concurrencyLimit: z.number().int().min(1).max(100).optional(),
});

export const connectionUpdateBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  accountId: connectionCreateBody.shape.accountId.optional(),
  authKind: z.enum(AUTH_KINDS).optional(),
  credentials: z.record(z.string(), z.string()).optional(),
  concurrencyLimit: z.number().int().min(1).max(100).optional(),
});

export const connectionResponse = z.object({
  id: z.string(),
  name: z.string(),
  accountId: z.string(),
  authKind: z.enum(AUTH_KINDS),
  status: z.enum(['pending', 'connected', 'failed']),
  statusMessage: z.string().nullable(),
  concurrencyLimit: z.number().int(),
  restlet: z.object({ scriptId: z.string(), deployId: z.string() }),
  credentialsSet: z.literal(true),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const channelCreateBody = z.strictObject({
  kind: z.enum(CHANNEL_KINDS),
  role: z.enum(CHANNEL_ROLES).optional(),
  name: z.string().min(1).max(200),
  connectionId: z.string().min(1).max(100).nullable().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  /** Write-only. */
  secrets: z.record(z.string(), z.unknown()).optional(),
});

export const channelUpdateBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  role: z.enum(CHANNEL_ROLES).optional(),
  connectionId: z.string().min(1).max(100).nullable().optional(),
  /** JSON Merge Patch (RFC 7396) of the stored settings; the merged settings are validated with the kind's schema. */
  settings: z.record(z.string(), z.unknown()).optional(),
  /** JSON Merge Patch of the stored secrets (by key; null removes one). Write-only. */
  secrets: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
});

/** A JSON Merge Patch (RFC 7396) of what `schema` accepts: every field optional, null deletes it, objects merge. */
export function mergePatchOf(schema: z.ZodType): z.ZodType {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject)) return inner;
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(inner.shape as Record<string, z.ZodType>)) shape[key] = mergePatchOf(field).nullable().optional();
  const patch = z.strictObject(shape);
  return inner.description ? patch.describe(`${inner.description} (JSON Merge Patch: null deletes a key)`) : patch;
}

const channelName = z.string().min(1).max(200);
const channelConnectionId = z.string().min(1).max(100).nullable().optional();

/**
 * The channel bodies as documented: one variant per kind (by `kind`), each with that kind's composed settings and
 * secrets schemas, the very ones POST/PATCH /v1/channels validate with.
 */
export function channelBodiesFor(schemas: ChannelSchemas): { create: z.ZodType; update: z.ZodType } {
  const variants = CHANNEL_KINDS.map((kind) =>
    z
      .strictObject({
        kind: z.literal(kind),
        role: z.enum(ROLES_BY_KIND[kind] as [string, ...string[]]).optional(),
        name: channelName,
        connectionId: channelConnectionId,
        settings: schemas.settings[kind].optional(),
        /** Write-only. */
        secrets: schemas.secrets[kind].describe(`Secrets of a ${kind} channel (write-only).`).optional(),
      })
      .meta({ title: `New ${kind} channel` }),
  );
  const create = z
    .discriminatedUnion('kind', variants as unknown as [(typeof variants)[number], ...(typeof variants)[number][]])
    .meta({ discriminator: { propertyName: 'kind' } });
  const update = z.strictObject({
    name: channelName.optional(),
    role: z.enum(CHANNEL_ROLES).optional(),
    connectionId: channelConnectionId,
    settings: z
      .union(CHANNEL_KINDS.map((kind) => mergePatchOf(schemas.settings[kind]).meta({ title: `${kind} settings patch` })) as unknown as [z.ZodType, ...z.ZodType[]])
      .describe("JSON Merge Patch (RFC 7396) of the stored settings, for the channel's kind; the merged settings are validated with the kind's schema.")
      .optional(),
    secrets: z
      .union(CHANNEL_KINDS.map((kind) => mergePatchOf(schemas.secrets[kind]).meta({ title: `${kind} secrets patch` })) as unknown as [z.ZodType, ...z.ZodType[]])
      .describe("JSON Merge Patch of the stored secrets, for the channel's kind (by key; null removes one). Write-only.")
      .optional(),
    enabled: z.boolean().optional(),
  });
  return { create, update };
}

export const channelResponse = z.object({
  id: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  role: z.enum(CHANNEL_ROLES),
  name: z.string(),
  connectionId: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
  secretsSet: z.array(z.string()),
  enabled: z.boolean(),
  webhookUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const csvStates = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(SYNC_STATES)).max(SYNC_STATES.length));

export const syncRecordListQuery = z.strictObject({
  state: csvStates.optional(),
  channelId: z.string().min(1).max(100).optional(),
  topic: z.string().min(1).max(200).optional(),
  createdAfter: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const syncRecordResponse = z.object({
  id: z.string(),
  channelId: z.string(),
  eventId: z.string().nullable(),
  topic: z.string(),
  externalKey: z.string(),
  state: z.enum(SYNC_STATES),
  stateCode: z.string().nullable(),
  stateMessage: z.string().nullable(),
  attemptCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  stateChangedAt: z.string(),
});

export const syncRecordDetailResponse = syncRecordResponse.extend({
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      outcome: z.string().nullable(),
      errorCode: z.string().nullable(),
      errorMessage: z.string().nullable(),
      /** What the flow added to a failure, e.g. { step: 'fulfillment' } for an order import. */
      errorDetail: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  history: z.array(
    z.object({ from: z.enum(SYNC_STATES).nullable(), to: z.enum(SYNC_STATES), code: z.string().nullable(), message: z.string().nullable(), at: z.string() }),
  ),
});

export const syncRecordListResponse = z.object({ items: z.array(syncRecordResponse), nextCursor: z.string().nullable() });

export const exceptionsQuery = z.strictObject({
  parkedAfterSeconds: z.coerce.number().int().min(0).max(30 * 86400).default(3600),
  stuckAfterSeconds: z.coerce.number().int().min(0).max(30 * 86400).default(900),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const exceptionResponse = z.object({
  reason: z.enum(['failed', 'parked_too_long', 'stuck']),
  since: z.string(),
  syncRecord: syncRecordResponse,
});

export const actionBody = z.strictObject({ reason: z.string().max(500).optional() });

export const errorResponse = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
