import type { Db } from '../db';

export interface NewWebhookEvent {
  id: string;
  tenant_id: string;
  channel_id: string;
  platform_event_id: string;
  topic: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Inserts the event unless the channel already has one with this platform event id (the unique constraint
 * lb_webhook_events_dedupe decides, so concurrent deliveries of one event cannot both win). Returns whether this
 * call inserted it.
 */
export async function insertWebhookEvent(db: Db, e: NewWebhookEvent): Promise<boolean> {
  const result = await db.query<{ id: string }>(
    `insert into lb_webhook_events (id, tenant_id, channel_id, platform_event_id, topic, headers, body)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7)
     on conflict on constraint lb_webhook_events_dedupe do nothing
     returning id`,
    [e.id, e.tenant_id, e.channel_id, e.platform_event_id, e.topic, JSON.stringify(e.headers), e.body],
  );
  return result.rows.length === 1;
}

export async function findEventByPlatformId(
  db: Db,
  channelId: string,
  platformEventId: string,
): Promise<{ id: string; sync_record_id: string | null } | undefined> {
  return (
    await db.query<{ id: string; sync_record_id: string | null }>(
      `select e.id, s.id as sync_record_id
         from lb_webhook_events e left join lb_sync_records s on s.event_id = e.id
        where e.channel_id = $1 and e.platform_event_id = $2`,
      [channelId, platformEventId],
    )
  ).rows[0];
}

export async function getWebhookEvent(
  db: Db,
  id: string,
): Promise<{ id: string; channel_id: string; platform_event_id: string; topic: string; body: string } | undefined> {
  return (
    await db.query<{ id: string; channel_id: string; platform_event_id: string; topic: string; body: string }>(
      'select id, channel_id, platform_event_id, topic, body from lb_webhook_events where id = $1',
      [id],
    )
  ).rows[0];
}
