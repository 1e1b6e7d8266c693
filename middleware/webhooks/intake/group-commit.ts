/**
 * Group commit for the intake: deliveries that are ready to be stored while a group is being written wait and go
 * together in the next one (one statement: events, sync records, jobs, one wake-up; see acceptEvents). Each
 * delivery's promise settles only after its group's statement has committed, with its own result (new or
 * duplicate); a failed group rejects every delivery in it, and none of them is stored. Batching as in batcher.ts:
 * no timer, groups form by themselves under load.
 */
import type { Db } from '../../store/db';
import { acceptEvents, type AcceptedEvent, type AcceptResult } from '../../sync/sync-service';
import { createBatcher } from './batcher';

export interface GroupCommitOptions {
  /** Most deliveries in one statement (default 200). */
  maxGroup?: number;
  /** Groups written at once (default 1 on PGlite, whose one connection runs one statement at a time; 2 on PostgreSQL). */
  maxInFlight?: number;
  /** Called with each committed group's size (metrics, tests). */
  onGroup?: (size: number) => void;
}

export interface GroupCommit {
  accept(event: AcceptedEvent): Promise<AcceptResult>;
}

export function createGroupCommit(db: Db, options: GroupCommitOptions = {}): GroupCommit {
  const batcher = createBatcher<AcceptedEvent, AcceptResult>((events) => acceptEvents(db, events), {
    maxBatch: options.maxGroup ?? 200,
    maxInFlight: options.maxInFlight ?? (db.kind === 'pglite' ? 1 : 2),
    ...(options.onGroup ? { onBatch: options.onGroup } : {}),
  });
  return { accept: (event) => batcher.add(event) };
}
