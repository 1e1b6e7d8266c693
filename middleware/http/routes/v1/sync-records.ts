/** /v1/sync-records, /v1/exceptions and the actions on a record (retry, cancel, un-cancel, release). */
import { z } from 'zod';
import type { Db } from '../../../store/db';
import type { JobQueue } from '../../../jobs/job-queue';
import { AppError } from '../../../lib/errors';
import * as sql from '../../../store/sql/sync-records';
import { applyAction, type SyncAction } from '../../../sync/sync-service';
import { defineRoute, type BoundRoute } from './define-route';
import { failureToError } from './connections';
import { EXAMPLE_SYNC_RECORD } from './examples';
import {
  actionBody,
  exceptionResponse,
  exceptionsQuery,
  idParams,
  syncRecordDetailResponse,
  syncRecordListQuery,
  syncRecordListResponse,
  syncRecordResponse,
} from './schemas';

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d));

export function toPublicSyncRecord(r: sql.SyncRecordRow): z.infer<typeof syncRecordResponse> {
  return {
    id: r.id,
    channelId: r.channel_id,
    eventId: r.event_id,
    topic: r.topic,
    externalKey: r.external_key,
    state: r.state,
    stateCode: r.state_code,
    stateMessage: r.state_message,
    attemptCount: Number(r.attempt_count),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    stateChangedAt: iso(r.state_changed_at),
  };
}

function encodeCursor(r: sql.SyncRecordRow): string {
  return Buffer.from(`${iso(r.created_at)}|${r.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new AppError(400, 'invalid_cursor', 'The cursor is not one this API returned.');
  return { createdAt, id };
}

const ACTIONS: Array<{ action: SyncAction; summary: string }> = [
  { action: 'retry', summary: 'Retry a failed or skipped sync record' },
  { action: 'cancel', summary: 'Cancel a sync record that is not being posted' },
  { action: 'uncancel', summary: 'Un-cancel a cancelled sync record (queues it again)' },
  { action: 'release', summary: 'Release a parked sync record (queues it again)' },
];

export function syncRecordRoutes(deps: { db: Db; jobs: JobQueue }): BoundRoute[] {
  const { db, jobs } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/v1/sync-records',
        summary: 'List sync records (newest first)',
        scope: 'sync:read',
        query: syncRecordListQuery,
        response: syncRecordListResponse,
        status: 200,
        errors: { 400: ['invalid_cursor'] },
        examples: { response: { items: [EXAMPLE_SYNC_RECORD], nextCursor: null } },
      },
      async ({ tenantId, query }) => {
        const rows = await sql.listSyncRecords(db, {
          tenantId,
          limit: query.limit + 1,
          ...(query.state ? { states: query.state } : {}),
          ...(query.channelId ? { channelId: query.channelId } : {}),
          ...(query.topic ? { topic: query.topic } : {}),
          ...(query.createdAfter ? { createdAfter: new Date(query.createdAfter) } : {}),
          ...(query.cursor ? { before: decodeCursor(query.cursor) } : {}),
        });
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1];
        return { items: page.map(toPublicSyncRecord), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/v1/sync-records/:id',
        summary: 'Get a sync record with its attempts and history',
        scope: 'sync:read',
        params: idParams,
        response: syncRecordDetailResponse,
        status: 200,
        errors: { 404: ['sync_record_not_found'] },
        examples: {
          response: {
            ...EXAMPLE_SYNC_RECORD,
            attempts: [],
            history: [{ from: null, to: 'received', code: null, message: null, at: EXAMPLE_SYNC_RECORD.createdAt }],
          },
        },
      },
      async ({ tenantId, params }) => {
        const row = await sql.getSyncRecord(db, tenantId, params.id);
        if (!row) throw new AppError(404, 'sync_record_not_found', 'No sync record with this id.');
        const [attempts, history] = await Promise.all([sql.listAttempts(db, row.id), sql.listTransitions(db, row.id)]);
        return {
          ...toPublicSyncRecord(row),
          attempts: attempts.map((a) => ({
            attempt: Number(a.attempt),
            startedAt: iso(a.started_at),
            finishedAt: isoOrNull(a.finished_at),
            outcome: a.outcome,
            errorCode: a.error_code,
            errorMessage: a.error_message,
            errorDetail: a.error_detail ?? null,
          })),
          history: history.map((t) => ({ from: t.from_state, to: t.to_state, code: t.code, message: t.message, at: iso(t.at) })),
        };
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/v1/exceptions',
        summary: 'Sync records that need attention: failed, parked too long, or stuck before posting',
        scope: 'sync:read',
        query: exceptionsQuery,
        response: z.object({ items: z.array(exceptionResponse) }),
        status: 200,
        examples: {
          response: {
            items: [{ reason: 'failed', since: '2026-01-15T10:00:02.000Z', syncRecord: { ...EXAMPLE_SYNC_RECORD, state: 'failed', stateCode: 'netsuite_error', stateMessage: 'NetSuite refused the record.' } }],
          },
        },
      },
      async ({ tenantId, query }) => {
        const rows = await sql.listExceptionRecords(db, tenantId, query.parkedAfterSeconds, query.stuckAfterSeconds, query.limit);
        return {
          items: rows.map((r) => ({
            reason: r.state === 'failed' ? ('failed' as const) : r.state === 'parked' ? ('parked_too_long' as const) : ('stuck' as const),
            since: iso(r.state_changed_at),
            syncRecord: toPublicSyncRecord(r),
          })),
        };
      },
    ),
    ...ACTIONS.map(({ action, summary }) =>
      defineRoute(
        {
          method: 'post',
          path: `/v1/sync-records/:id/${action}`,
          summary,
          scope: 'sync:write',
          params: idParams,
          body: actionBody,
          response: syncRecordResponse,
          status: 200,
          errors: { 404: ['sync_record_not_found'], 409: ['illegal_transition', 'sync_record_in_flight'] },
          examples: { request: { reason: 'Fixed the item mapping in NetSuite' }, response: { ...EXAMPLE_SYNC_RECORD, state: action === 'cancel' ? 'cancelled' : 'queued' } },
        },
        async ({ tenantId, params, body }) => {
          const result = await applyAction(db, jobs, tenantId, params.id, action, body.reason);
          if (!result.ok) throw failureToError(result.error);
          return toPublicSyncRecord(result.value);
        },
      ),
    ),
  ];
}
