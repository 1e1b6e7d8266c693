/**
 * The sync-record lifecycle, stored as data. Every state change goes through `transition()`, which refuses moves
 * not in the table; the store writes only what it returns.
 *
 *   received → queued → posting → posted | skipped | parked | failed | queued (retryable error, pg-boss retries)
 *   queued | posting → failed (dead letter: the job gave up without a settled attempt)
 *   parked → queued (released: e.g. its order landed)      failed | skipped → queued (retry)
 *   cancelled → queued (un-cancel)                          received | queued | parked | failed → cancelled
 *
 * `posted` means NetSuite has the record, written by this sync record or proven present. `skipped` means the sync
 * record changed nothing in NetSuite on purpose (orders on this channel come from another connector, a cancelled
 * order, everything already in NetSuite); its code and message say why. A person can retry a skipped record.
 * A record being posted cannot be cancelled: the NetSuite write is in flight and its outcome decides the state.
 */
import { failure, ok, type Result } from '../lib/result';

export const SYNC_STATES = ['received', 'queued', 'posting', 'posted', 'skipped', 'parked', 'failed', 'cancelled'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/** What caused a move; named so history reads plainly ("retry by partner", "un-cancel"). */
export type SyncEvent =
  | 'enqueue'
  | 'start'
  | 'succeed'
  | 'skip'
  | 'park'
  | 'fail'
  | 'requeue'
  | 'release'
  | 'retry'
  | 'cancel'
  | 'uncancel';

export const SYNC_TRANSITIONS: ReadonlyArray<{ from: SyncState; event: SyncEvent; to: SyncState }> = Object.freeze([
  { from: 'received', event: 'enqueue', to: 'queued' },
  { from: 'queued', event: 'start', to: 'posting' },
  { from: 'posting', event: 'succeed', to: 'posted' },
  { from: 'posting', event: 'skip', to: 'skipped' },
  { from: 'posting', event: 'park', to: 'parked' },
  { from: 'posting', event: 'fail', to: 'failed' },
  // The job gave up before its claim ran (dead letter): the record must not wait in the queue forever.
  { from: 'queued', event: 'fail', to: 'failed' },
  { from: 'posting', event: 'requeue', to: 'queued' },
  { from: 'parked', event: 'release', to: 'queued' },
  { from: 'failed', event: 'retry', to: 'queued' },
  { from: 'skipped', event: 'retry', to: 'queued' },
  { from: 'cancelled', event: 'uncancel', to: 'queued' },
  { from: 'received', event: 'cancel', to: 'cancelled' },
  { from: 'queued', event: 'cancel', to: 'cancelled' },
  { from: 'parked', event: 'cancel', to: 'cancelled' },
  { from: 'failed', event: 'cancel', to: 'cancelled' },
]);

/** Final states: nothing happens to the record unless a person acts (retry, un-cancel). */
export const SETTLED_STATES: readonly SyncState[] = ['posted', 'skipped', 'failed', 'cancelled', 'parked'];

/** States a person can send back to the queue, and the action that does it (store queries use this list). */
export const REQUEUEABLE_STATES: readonly SyncState[] = [...new Set(SYNC_TRANSITIONS.filter((t) => t.to === 'queued' && t.from !== 'received' && t.from !== 'posting').map((t) => t.from))];

export function isSyncState(value: string): value is SyncState {
  return (SYNC_STATES as readonly string[]).includes(value);
}

export function transition(from: SyncState, event: SyncEvent): Result<SyncState> {
  const found = SYNC_TRANSITIONS.find((t) => t.from === from && t.event === event);
  if (found) return ok(found.to);
  if (event === 'cancel' && from === 'posting') {
    return failure('sync_record_in_flight', 'The record is being posted to NetSuite now; cancel it once it settles.');
  }
  return failure('illegal_transition', `A sync record in state "${from}" cannot ${event}.`);
}
