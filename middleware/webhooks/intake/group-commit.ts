/**
 * Group commit for the intake: deliveries that are ready to be stored while a group is being written wait and go
 * together in the next one (one statement: events, sync records, jobs, one wake-up; see acceptEvents). Each
 * delivery's promise settles only after its group's statement has committed, with its own result (new or
 * duplicate); a failed group rejects every delivery in it, and none of them is stored.
 *
 * No timer is added under light load: a delivery arriving while nothing is being written starts a group at the
 * next turn of the event loop (so deliveries parsed in the same turn share it). Under load, groups form by
 * themselves while the previous ones are written.
 */
import type { Db } from '../../store/db';
import { acceptEvents, type AcceptedEvent, type AcceptResult } from '../../sync/sync-service';

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

interface Pending {
  event: AcceptedEvent;
  resolve: (result: AcceptResult) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit(db: Db, options: GroupCommitOptions = {}): GroupCommit {
  const maxGroup = Math.max(1, options.maxGroup ?? 200);
  const maxInFlight = Math.max(1, options.maxInFlight ?? (db.kind === 'pglite' ? 1 : 2));
  let waiting: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const group = waiting.length <= maxGroup ? waiting : waiting.slice(0, maxGroup);
      waiting = waiting.length <= maxGroup ? [] : waiting.slice(maxGroup);
      inFlight++;
      void write(group).finally(() => {
        inFlight--;
        schedule();
      });
    }
  }

  async function write(group: Pending[]): Promise<void> {
    try {
      const results = await acceptEvents(
        db,
        group.map((p) => p.event),
      );
      options.onGroup?.(group.length);
      for (const [i, p] of group.entries()) p.resolve(results[i] as AcceptResult);
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  }

  return {
    accept(event) {
      return new Promise<AcceptResult>((resolve, reject) => {
        waiting.push({ event, resolve, reject });
        schedule();
      });
    },
  };
}
