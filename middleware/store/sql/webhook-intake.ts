/**
 * The intake's group write: a group of webhook events, with a sync record (queued) and its sync job for each new
 * one, in ONE statement (data-modifying CTEs; one round trip, atomic on its own). Deduplication is the unique
 * constraint lb_webhook_events_dedupe (`on conflict do nothing`): an event already stored, or a second copy of an
 * event inside the same group, creates nothing and is answered with the first copy's ids.
 */
import type { Db } from '../db';
import type { StoreHandle } from '../open-db';
import { insertJobsSql, JOB_WAKE_CHANNEL, wakeOnceSql } from '../../jobs/job-sql';
import type { ChannelRow } from './channels';

export interface GroupEvent {
  eventId: string;
  syncRecordId: string;
  jobId: string;
  tenantId: string;
  channelId: string;
  platformEventId: string;
  topic: string;
  externalKey: string;
  /** Stored headers as JSON text. */
  headers: string;
  body: string;
  /**
   * When set, the event is written only if its channel is still enabled and still holds exactly these sealed
   * secrets (the ones its signature was verified with); otherwise the outcome says `channelChanged`.
   */
  checkChannel?: { secretsSealed: string | null };
}

export interface GroupOutcome {
  /** True when this item's event was inserted by this statement. */
  fresh: boolean;
  /** The stored event's id (this item's, or the first copy's); null when the first copy is not visible yet. */
  eventId: string | null;
  syncRecordId: string | null;
  /** The channel was disabled or re-keyed since the caller read it: nothing was written for this item. */
  channelChanged: boolean;
}

/**
 * On PostgreSQL a named statement (pg prepares it once per pooled connection and then only binds and executes
 * it); elsewhere (PGlite, or inside a transaction's Db) the plain parameterised query.
 */
async function queryNamed<T>(db: Db, name: string, text: string, params: unknown[]): Promise<T[]> {
  const handle = db as Partial<StoreHandle>;
  if (handle.kind === 'postgres' && handle.pool) return (await handle.pool.query({ name, text, values: params })).rows as T[];
  return (await db.query<T>(text, params)).rows;
}

// The statement text is the same for every group size (arrays as parameters), so each connection parses one text.
const GROUP_INSERT = `
with input as (
  select * from unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $13::bool[], $14::text[])
    with ordinality as t(event_id, sync_id, job_id, tenant_id, channel_id, platform_event_id, topic, external_key, headers, body, checked, sealed, ord)
),
valid as (
  select i.* from input i
   where not i.checked
      or exists (select 1 from lb_channels c where c.id = i.channel_id and c.enabled and c.secrets_sealed is not distinct from i.sealed)
),
ev as (
  insert into lb_webhook_events (id, tenant_id, channel_id, platform_event_id, topic, headers, body)
  select event_id, tenant_id, channel_id, platform_event_id, topic, headers::jsonb, body from valid order by ord
  on conflict on constraint lb_webhook_events_dedupe do nothing
  returning id, channel_id, platform_event_id
),
fresh as (
  select i.* from input i join ev on ev.id = i.event_id
),
sr as (
  insert into lb_sync_records (id, tenant_id, channel_id, event_id, topic, external_key, state)
  select sync_id, tenant_id, channel_id, event_id, topic, external_key, 'queued' from fresh order by ord
  returning id, event_id
),
tr as (
  insert into lb_sync_transitions (sync_record_id, from_state, to_state)
  select sync_id, from_state, to_state
    from (select f.sync_id, f.ord, s.step, s.from_state, s.to_state
            from fresh f cross join (values (1, null::text, 'received'::text), (2, 'received', 'queued')) as s(step, from_state, to_state)
           order by f.ord, s.step) steps
  returning 1
),
jb as (
  ${insertJobsSql({ from: 'fresh', id: 'job_id', data: `jsonb_build_object('syncRecordId', s.sync_id, 'queuedAt', now()::text)`, queue: '$11' })}
)
select i.ord::int as ord,
       (v.ord is null) as channel_changed,
       (w.id = i.event_id) as fresh,
       coalesce(w.id, e.id) as event_id,
       coalesce(ws.id, es.id) as sync_record_id,
       ${wakeOnceSql('jb', '$12', '$11')} as woke
  from input i
  left join valid v on v.ord = i.ord
  left join ev w on w.channel_id = i.channel_id and w.platform_event_id = i.platform_event_id
  left join sr ws on ws.event_id = w.id
  left join lb_webhook_events e on w.id is null and e.channel_id = i.channel_id and e.platform_event_id = i.platform_event_id
  left join lb_sync_records es on es.event_id = e.id
 order by i.ord`;

/**
 * Writes the group (see the module comment) and returns one outcome per item, in order. The job of each new
 * record goes to `queue`, and that queue's workers are woken once (NOTIFY, delivered on commit).
 */
export async function insertEventGroup(db: Db, queue: string, items: readonly GroupEvent[]): Promise<GroupOutcome[]> {
  const col = <K extends keyof GroupEvent>(key: K): GroupEvent[K][] => items.map((item) => item[key]);
  const rows = await queryNamed<{ ord: number; channel_changed: boolean; fresh: boolean | null; event_id: string | null; sync_record_id: string | null }>(db, 'lb_intake_group', GROUP_INSERT, [
    col('eventId'),
    col('syncRecordId'),
    col('jobId'),
    col('tenantId'),
    col('channelId'),
    col('platformEventId'),
    col('topic'),
    col('externalKey'),
    col('headers'),
    col('body'),
    queue,
    JOB_WAKE_CHANNEL,
    items.map((item) => item.checkChannel !== undefined),
    items.map((item) => item.checkChannel?.secretsSealed ?? null),
  ]);
  const out: GroupOutcome[] = items.map(() => ({ fresh: false, eventId: null, syncRecordId: null, channelChanged: false }));
  for (const row of rows) {
    if (row.channel_changed) out[Number(row.ord) - 1] = { fresh: false, eventId: null, syncRecordId: null, channelChanged: true };
    else out[Number(row.ord) - 1] = { fresh: row.fresh === true, eventId: row.event_id, syncRecordId: row.sync_record_id, channelChanged: false };
  }
  return out;
}

/** The channels with these ids (the intake's batched lookup; ids not found are absent). */
export async function findChannelsByIds(db: Db, ids: readonly string[]): Promise<ChannelRow[]> {
  return queryNamed<ChannelRow>(
    db,
    'lb_intake_channels',
    'select id, tenant_id, connection_id, kind, role, name, settings, secrets_sealed, enabled, created_at, updated_at from lb_channels where id = any($1::text[])',
    [[...ids]],
  );
}
