/**
 * Store-side use cases of sync records: accept a webhook event (event + record + job in one transaction), and the
 * partner actions (retry, cancel, un-cancel, release). Every state change goes through `transition()`.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db';
import type { JobQueue } from '../jobs/job-queue';
import { failure, ok, type Result } from '../lib/result';
import { insertWebhookEvent, findEventByPlatformId } from '../store/sql/webhook-events';
import { insertEventGroup } from '../store/sql/webhook-intake';
import { insertSyncRecord, lockSyncRecord, setSyncState, type SyncRecordRow } from '../store/sql/sync-records';
import { transition, type SyncEvent } from './sync-states';
import { SYNC_QUEUE, type SyncJobData } from './queues';

export interface AcceptedEvent {
  tenantId: string;
  channelId: string;
  platformEventId: string;
  topic: string;
  /** Idempotency key for the NetSuite write (externalId source): channel + platform event id. */
  externalKey: string;
  headers: Record<string, string>;
  body: string;
  /**
   * acceptEvents only: write the event only if its channel is still enabled and holds exactly these sealed secrets
   * (the ones its signature was verified with); else the result says `channelChanged` and nothing is written.
   */
  channelSecretsSealed?: string | null;
}

export interface AcceptResult {
  duplicate: boolean;
  eventId: string;
  syncRecordId: string | null;
  /** acceptEvents only: the channel was disabled or re-keyed since it was read; nothing was written. */
  channelChanged?: boolean;
}

/**
 * Stores the event, its sync record and the job in one transaction; returns after commit. A second delivery of the
 * same platform event finds the first (unique constraint) and creates nothing.
 */
export async function acceptEvent(db: Db, jobs: JobQueue, event: AcceptedEvent): Promise<AcceptResult> {
  const eventId = randomUUID();
  const syncRecordId = randomUUID();
  const inserted = await db.transaction(async (tx) => {
    const fresh = await insertWebhookEvent(tx, {
      id: eventId,
      tenant_id: event.tenantId,
      channel_id: event.channelId,
      platform_event_id: event.platformEventId,
      topic: event.topic,
      headers: event.headers,
      body: event.body,
    });
    if (!fresh) return false;
    await insertSyncRecord(tx, {
      id: syncRecordId,
      tenant_id: event.tenantId,
      channel_id: event.channelId,
      event_id: eventId,
      topic: event.topic,
      external_key: event.externalKey,
      state: 'received',
    });
    await enqueue(tx, jobs, syncRecordId, 'received', 'enqueue');
    return true;
  });
  if (inserted) return { duplicate: false, eventId, syncRecordId };
  const existing = await findEventByPlatformId(db, event.channelId, event.platformEventId);
  return { duplicate: true, eventId: existing?.id ?? '', syncRecordId: existing?.sync_record_id ?? null };
}

/**
 * `acceptEvent` for a group of events in one statement (one round trip, atomic): each new event with its sync
 * record (queued, its two transitions) and its job, the sync workers woken once. Results are in input order; an
 * event already stored, or a later copy of one inside this group, is a duplicate with the first copy's ids. If the
 * statement fails, nothing of the group is stored and the returned promise rejects.
 */
export async function acceptEvents(db: Db, events: readonly AcceptedEvent[]): Promise<AcceptResult[]> {
  const items = events.map((event) => ({
    eventId: randomUUID(),
    syncRecordId: randomUUID(),
    jobId: randomUUID(),
    tenantId: event.tenantId,
    channelId: event.channelId,
    platformEventId: event.platformEventId,
    topic: event.topic,
    externalKey: event.externalKey,
    headers: JSON.stringify(event.headers),
    body: event.body,
    ...(event.channelSecretsSealed !== undefined ? { checkChannel: { secretsSealed: event.channelSecretsSealed } } : {}),
  }));
  const outcomes = await insertEventGroup(db, SYNC_QUEUE, items);
  const results: AcceptResult[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.channelChanged) {
      results.push({ duplicate: false, eventId: '', syncRecordId: null, channelChanged: true });
    } else if (outcome.fresh) {
      results.push({ duplicate: false, eventId: outcome.eventId ?? '', syncRecordId: outcome.syncRecordId });
    } else if (outcome.eventId !== null) {
      results.push({ duplicate: true, eventId: outcome.eventId, syncRecordId: outcome.syncRecordId });
    } else {
      // The first copy committed by another writer after this statement's snapshot: read it now.
      const event = events[i] as AcceptedEvent;
      const existing = await findEventByPlatformId(db, event.channelId, event.platformEventId);
      results.push({ duplicate: true, eventId: existing?.id ?? '', syncRecordId: existing?.sync_record_id ?? null });
    }
  }
  return results;
}

async function enqueue(tx: Db, jobs: JobQueue, id: string, from: SyncRecordRow['state'], event: SyncEvent): Promise<Result<void>> {
  const next = transition(from, event);
  if (!next.ok) return next;
  const queuedAt = await setSyncState(tx, id, from, next.value, null, null);
  const data: SyncJobData = { syncRecordId: id, queuedAt };
  await jobs.send(SYNC_QUEUE, data, { tx });
  return ok(undefined);
}

export type SyncAction = 'retry' | 'cancel' | 'uncancel' | 'release';

const ACTION_EVENTS: Record<SyncAction, SyncEvent> = { retry: 'retry', cancel: 'cancel', uncancel: 'uncancel', release: 'release' };

/** A partner action on one record of their tenant. Moves to `queued` also send a job (same transaction). */
export async function applyAction(
  db: Db,
  jobs: JobQueue,
  tenantId: string,
  syncRecordId: string,
  action: SyncAction,
  reason?: string,
): Promise<Result<SyncRecordRow>> {
  return db.transaction(async (tx) => {
    const record = await lockSyncRecord(tx, syncRecordId);
    if (!record || record.tenant_id !== tenantId) return failure('sync_record_not_found', 'No sync record with this id.');
    const event = ACTION_EVENTS[action];
    const next = transition(record.state, event);
    if (!next.ok) return next;
    if (next.value === 'queued') {
      const queued = await enqueue(tx, jobs, record.id, record.state, event);
      if (!queued.ok) return queued;
    } else {
      await setSyncState(tx, record.id, record.state, next.value, `${action}_by_partner`, reason ?? null);
    }
    const updated = await lockSyncRecord(tx, record.id);
    return ok(updated as SyncRecordRow);
  });
}
