import type { Db } from '../db';
import { REQUEUEABLE_STATES, type SyncState } from '../../sync/sync-states';

export interface SyncRecordRow {
  id: string;
  tenant_id: string;
  channel_id: string;
  event_id: string | null;
  topic: string;
  external_key: string;
  state: SyncState;
  state_code: string | null;
  state_message: string | null;
  attempt_count: number;
  created_at: Date;
  updated_at: Date;
  state_changed_at: Date;
}

export interface SyncAttemptRow {
  sync_record_id: string;
  attempt: number;
  started_at: Date;
  finished_at: Date | null;
  outcome: string | null;
  error_code: string | null;
  error_message: string | null;
  /** What the processor added to a failure (e.g. `{ step: 'fulfillment' }`); null when nothing. */
  error_detail: Record<string, unknown> | null;
}

export interface SyncTransitionRow {
  from_state: SyncState | null;
  to_state: SyncState;
  code: string | null;
  message: string | null;
  at: Date;
}

const COLUMNS = `id, tenant_id, channel_id, event_id, topic, external_key, state, state_code, state_message, attempt_count,
  created_at, updated_at, state_changed_at`;

export async function insertSyncRecord(
  db: Db,
  r: Pick<SyncRecordRow, 'id' | 'tenant_id' | 'channel_id' | 'event_id' | 'topic' | 'external_key' | 'state'>,
): Promise<void> {
  await db.query(
    `insert into lb_sync_records (id, tenant_id, channel_id, event_id, topic, external_key, state)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [r.id, r.tenant_id, r.channel_id, r.event_id, r.topic, r.external_key, r.state],
  );
  await insertTransition(db, r.id, null, r.state, null, null);
}

/** Reads and row-locks the record for the rest of the transaction (serialises workers and partner actions). */
export async function lockSyncRecord(db: Db, id: string): Promise<SyncRecordRow | undefined> {
  return (await db.query<SyncRecordRow>(`select ${COLUMNS} from lb_sync_records where id = $1 for update`, [id])).rows[0];
}

export async function getSyncRecord(db: Db, tenantId: string, id: string): Promise<SyncRecordRow | undefined> {
  return (await db.query<SyncRecordRow>(`select ${COLUMNS} from lb_sync_records where tenant_id = $1 and id = $2`, [tenantId, id])).rows[0];
}

export async function setSyncState(
  db: Db,
  id: string,
  from: SyncState,
  to: SyncState,
  code: string | null,
  message: string | null,
): Promise<string> {
  await db.query(
    `update lb_sync_records set state = $2, state_code = $3, state_message = $4, updated_at = now(), state_changed_at = now()
      where id = $1`,
    [id, to, code, message],
  );
  return insertTransition(db, id, from, to, code, message);
}

/**
 * True when the record was put back in the queue from a settled state (retry, release, un-cancel) after `since`
 * (a transition time as returned by setSyncState): a newer job owns it then.
 */
export async function requeuedSince(db: Db, id: string, since: string): Promise<boolean> {
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from lb_sync_transitions
      where sync_record_id = $1 and to_state = 'queued' and from_state = any($3::text[]) and at > $2::timestamptz`,
    [id, since, [...REQUEUEABLE_STATES]],
  );
  return Number(r.rows[0]?.n ?? 0) > 0;
}

async function insertTransition(
  db: Db,
  id: string,
  from: SyncState | null,
  to: SyncState,
  code: string | null,
  message: string | null,
): Promise<string> {
  // The time as text keeps PostgreSQL's microseconds (a JS Date would round them away).
  const r = await db.query<{ at: string }>(
    'insert into lb_sync_transitions (sync_record_id, from_state, to_state, code, message) values ($1, $2, $3, $4, $5) returning at::text as at',
    [id, from, to, code, message],
  );
  return String(r.rows[0]?.at);
}

/** Opens the next attempt and returns its number. */
export async function startAttempt(db: Db, id: string): Promise<number> {
  const result = await db.query<{ attempt_count: number }>(
    'update lb_sync_records set attempt_count = attempt_count + 1, updated_at = now() where id = $1 returning attempt_count',
    [id],
  );
  const attempt = Number(result.rows[0]?.attempt_count);
  await db.query('insert into lb_sync_attempts (sync_record_id, attempt) values ($1, $2)', [id, attempt]);
  return attempt;
}

export async function finishAttempt(
  db: Db,
  id: string,
  attempt: number,
  outcome: 'posted' | 'skipped' | 'parked' | 'failed' | 'retry' | 'interrupted',
  errorCode: string | null,
  errorMessage: string | null,
  errorDetail: Record<string, unknown> | null = null,
): Promise<void> {
  await db.query(
    `update lb_sync_attempts set finished_at = now(), outcome = $3, error_code = $4, error_message = $5, error_detail = $6::jsonb
      where sync_record_id = $1 and attempt = $2 and finished_at is null`,
    [id, attempt, outcome, errorCode, errorMessage, errorDetail === null ? null : JSON.stringify(errorDetail)],
  );
}

export async function listAttempts(db: Db, id: string): Promise<SyncAttemptRow[]> {
  return (
    await db.query<SyncAttemptRow>(
      `select sync_record_id, attempt, started_at, finished_at, outcome, error_code, error_message, error_detail
         from lb_sync_attempts where sync_record_id = $1 order by attempt`,
      [id],
    )
  ).rows;
}

export async function listTransitions(db: Db, id: string): Promise<SyncTransitionRow[]> {
  return (
    await db.query<SyncTransitionRow>(
      'select from_state, to_state, code, message, at from lb_sync_transitions where sync_record_id = $1 order by id',
      [id],
    )
  ).rows;
}

export interface SyncRecordFilter {
  tenantId: string;
  states?: SyncState[];
  channelId?: string;
  topic?: string;
  createdAfter?: Date;
  /** Keyset pagination: records created before this (created_at, id) pair. */
  before?: { createdAt: Date; id: string };
  limit: number;
}

export async function listSyncRecords(db: Db, f: SyncRecordFilter): Promise<SyncRecordRow[]> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [f.tenantId];
  const add = (clause: (n: number) => string, value: unknown): void => {
    params.push(value);
    where.push(clause(params.length));
  };
  if (f.states?.length) add((n) => `state = any($${n}::text[])`, f.states);
  if (f.channelId) add((n) => `channel_id = $${n}`, f.channelId);
  if (f.topic) add((n) => `topic = $${n}`, f.topic);
  if (f.createdAfter) add((n) => `created_at > $${n}`, f.createdAfter);
  if (f.before) {
    params.push(f.before.createdAt, f.before.id);
    where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(f.limit);
  return (
    await db.query<SyncRecordRow>(
      `select ${COLUMNS} from lb_sync_records where ${where.join(' and ')} order by created_at desc, id desc limit $${params.length}`,
      params,
    )
  ).rows;
}

/**
 * Exceptions are derived, not stored: records that failed, records parked longer than `parkedAfterSeconds`, and
 * records stuck before posting (received/queued) longer than `stuckAfterSeconds`, oldest state change first.
 * One ordered arm per state, each read from the partial index of open records (migration 0010) and cut at `limit`,
 * merged: the first `limit` records of the union, as one scan over all of them would give.
 */
export async function listExceptionRecords(
  db: Db,
  tenantId: string,
  parkedAfterSeconds: number,
  stuckAfterSeconds: number,
  limit: number,
): Promise<SyncRecordRow[]> {
  const arm = (condition: string): string =>
    `(select ${COLUMNS} from lb_sync_records where tenant_id = $1 and ${condition} order by state_changed_at limit $4)`;
  return (
    await db.query<SyncRecordRow>(
      `select ${COLUMNS} from (
         ${arm("state = 'failed'")}
         union all ${arm("state = 'parked' and state_changed_at < now() - make_interval(secs => $2)")}
         union all ${arm("state = 'received' and state_changed_at < now() - make_interval(secs => $3)")}
         union all ${arm("state = 'queued' and state_changed_at < now() - make_interval(secs => $3)")}
       ) exceptions
       order by state_changed_at limit $4`,
      [tenantId, parkedAfterSeconds, stuckAfterSeconds, limit],
    )
  ).rows;
}

/** Delta rows the count summary may hold before a count folds them into one row per state. */
export const STATE_COUNT_FOLD_AFTER = 1_000;

/**
 * Counts by state (metrics and readiness), from the summary the triggers of migration 0010 keep
 * (lb_sync_state_counts: signed deltas appended by every insert, delete and state change, in the writer's
 * transaction): a few rows to read, whatever the table's size. States with no record are absent, as with a
 * `group by` over the table. When the deltas pile up past STATE_COUNT_FOLD_AFTER rows this call folds them.
 */
export async function countSyncRecordsByState(db: Db): Promise<Record<string, number>> {
  const rows = (
    await db.query<{ state: string; n: number | string; pieces: number | string }>(
      'select state, sum(n)::bigint as n, count(*)::int as pieces from lb_sync_state_counts group by state',
    )
  ).rows;
  const pieces = rows.reduce((total, r) => total + Number(r.pieces), 0);
  if (pieces > STATE_COUNT_FOLD_AFTER) await foldSyncStateCounts(db);
  return Object.fromEntries(rows.filter((r) => Number(r.n) !== 0).map((r) => [r.state, Number(r.n)]));
}

/**
 * Folds the count summary's deltas into one row per state (states whose records are all gone drop out), in one
 * statement: deltas written meanwhile by transactions not yet committed stay for the next fold, and two folds at
 * once each move only the rows they deleted, so the sums never change.
 */
export async function foldSyncStateCounts(db: Db): Promise<void> {
  await db.query(
    `with folded as (delete from lb_sync_state_counts returning state, n)
     insert into lb_sync_state_counts (state, n) select state, sum(n) from folded group by state having sum(n) <> 0`,
  );
}
