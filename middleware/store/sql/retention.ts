/**
 * Retention queries: what the prune job (middleware/retention) deletes, one bounded batch per call. Only sync
 * records in a final state (posted, skipped, cancelled) whose last state change is older than the cutoff go, with
 * their transitions and attempts; a flow's own rows that name such a record (lb_refunds, lb_refund_orders) keep
 * their facts and lose only the link. A pruned record's webhook event goes too once it is past the redelivery
 * window; inside it the event is kept as a compact dedupe row (channel, platform event id, topic, time: headers
 * and body emptied), deleted by a later run.
 */
import type { Db } from '../db';

export const FINAL_STATES = ['posted', 'skipped', 'cancelled'] as const;

export interface PruneBatch {
  syncRecords: number;
  transitions: number;
  attempts: number;
  events: number;
  eventsCompacted: number;
}

/**
 * Prunes up to `limit` final sync records last changed before `cutoff`, in one transaction. Rows another
 * transaction holds are skipped (another process's prune, a retry moving the record) and left for a later run.
 */
export async function pruneFinalRecordsBatch(db: Db, args: { cutoff: Date; redeliveryCutoff: Date; limit: number }): Promise<PruneBatch> {
  return db.transaction(async (tx) => {
    const picked = await tx.query<{ id: string; event_id: string | null }>(
      `select id, event_id from lb_sync_records
        where state = any($1::text[]) and state_changed_at < $2::timestamptz
        order by state_changed_at limit $3 for update skip locked`,
      [FINAL_STATES, args.cutoff.toISOString(), args.limit],
    );
    const ids = picked.rows.map((r) => r.id);
    if (ids.length === 0) return { syncRecords: 0, transitions: 0, attempts: 0, events: 0, eventsCompacted: 0 };
    const transitions = await tx.query('delete from lb_sync_transitions where sync_record_id = any($1::text[])', [ids]);
    const attempts = await tx.query('delete from lb_sync_attempts where sync_record_id = any($1::text[])', [ids]);
    await tx.query('update lb_refunds set sync_record_id = null where sync_record_id = any($1::text[])', [ids]);
    await tx.query('update lb_refund_orders set sync_record_id = null where sync_record_id = any($1::text[])', [ids]);
    const records = await tx.query('delete from lb_sync_records where id = any($1::text[])', [ids]);
    const eventIds = picked.rows.map((r) => r.event_id).filter((id): id is string => id !== null);
    const events = await tx.query('delete from lb_webhook_events where id = any($1::text[]) and received_at < $2::timestamptz', [eventIds, args.redeliveryCutoff.toISOString()]);
    const compacted = await tx.query(
      `update lb_webhook_events set headers = '{}'::jsonb, body = '' where id = any($1::text[]) and received_at >= $2::timestamptz`,
      [eventIds, args.redeliveryCutoff.toISOString()],
    );
    return { syncRecords: records.rowCount, transitions: transitions.rowCount, attempts: attempts.rowCount, events: events.rowCount, eventsCompacted: compacted.rowCount };
  });
}

/**
 * Deletes up to `limit` compact dedupe rows (events emptied by an earlier prune, no sync record) received before
 * `redeliveryCutoff`: the platform no longer redelivers them.
 */
export async function deleteExpiredDedupeRows(db: Db, args: { redeliveryCutoff: Date; limit: number }): Promise<number> {
  const result = await db.query(
    `delete from lb_webhook_events where id in (
       select e.id from lb_webhook_events e
        where e.body = '' and e.headers = '{}'::jsonb and e.received_at < $1::timestamptz
          and not exists (select 1 from lb_sync_records s where s.event_id = e.id)
        order by e.received_at limit $2)`,
    [args.redeliveryCutoff.toISOString(), args.limit],
  );
  return result.rowCount;
}
