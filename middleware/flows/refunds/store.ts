/** SQL of the refund flow's tables (migrations 0004_refunds, 0005_refund_connection_cursors, 0007_outbox_restart), in named functions. */
import type { Db } from '../../store/db';

export interface RefundOrderRow {
  channel_id: string;
  order_id: string;
  tenant_id: string;
  order_number: string | null;
  currency: string | null;
  total_minor: string | number | null;
  netsuite_salesorder_id: string | null;
  netsuite_billing_type: string | null;
  netsuite_billing_id: string | null;
  sync_record_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface NetSuiteRecordRef {
  kind: string;
  id: string;
  externalId: string | null;
  /** Minor units. */
  amount: number;
  created: boolean;
}

export interface RefundRow {
  id: string;
  tenant_id: string;
  channel_id: string;
  direction: 'inbound' | 'outbound';
  source_key: string;
  sync_record_id: string | null;
  order_id: string | null;
  platform_refund_id: string | null;
  currency: string | null;
  total_minor: string | number | null;
  netsuite_record_type: string | null;
  netsuite_record_id: string | null;
  netsuite_records: NetSuiteRecordRef[];
  detail: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

const ORDER_COLUMNS = `channel_id, order_id, tenant_id, order_number, currency, total_minor, netsuite_salesorder_id,
  netsuite_billing_type, netsuite_billing_id, sync_record_id, created_at, updated_at`;
const REFUND_COLUMNS = `id, tenant_id, channel_id, direction, source_key, sync_record_id, order_id, platform_refund_id, currency,
  total_minor, netsuite_record_type, netsuite_record_id, netsuite_records, detail, created_at, updated_at`;

export async function getOrder(db: Db, channelId: string, orderId: string): Promise<RefundOrderRow | undefined> {
  return (await db.query<RefundOrderRow>(`select ${ORDER_COLUMNS} from lb_refund_orders where channel_id = $1 and order_id = $2`, [channelId, orderId])).rows[0];
}

export async function findOrderByBilling(db: Db, billingId: string): Promise<RefundOrderRow[]> {
  return (await db.query<RefundOrderRow>(`select ${ORDER_COLUMNS} from lb_refund_orders where netsuite_billing_id = $1`, [billingId])).rows;
}

/** Records (or refreshes) what is known about a storefront order and its NetSuite sales order. */
export async function upsertOrder(
  db: Db,
  o: Pick<RefundOrderRow, 'channel_id' | 'order_id' | 'tenant_id'> & Partial<Omit<RefundOrderRow, 'channel_id' | 'order_id' | 'tenant_id' | 'created_at' | 'updated_at'>>,
): Promise<RefundOrderRow> {
  const fields = ['order_number', 'currency', 'total_minor', 'netsuite_salesorder_id', 'netsuite_billing_type', 'netsuite_billing_id', 'sync_record_id'] as const;
  const present = fields.filter((f) => o[f] !== undefined);
  const columns = ['channel_id', 'order_id', 'tenant_id', ...present];
  const values = [o.channel_id, o.order_id, o.tenant_id, ...present.map((f) => o[f])];
  const updates = present.map((f) => `${f} = excluded.${f}`);
  updates.push('updated_at = now()');
  return (
    await db.query<RefundOrderRow>(
      `insert into lb_refund_orders (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})
       on conflict (channel_id, order_id) do update set ${updates.join(', ')} returning ${ORDER_COLUMNS}`,
      values,
    )
  ).rows[0] as RefundOrderRow;
}

export async function getRefund(db: Db, channelId: string, direction: RefundRow['direction'], sourceKey: string): Promise<RefundRow | undefined> {
  return (
    await db.query<RefundRow>(`select ${REFUND_COLUMNS} from lb_refunds where channel_id = $1 and direction = $2 and source_key = $3`, [channelId, direction, sourceKey])
  ).rows[0];
}

export async function getRefundBySyncRecord(db: Db, syncRecordId: string): Promise<RefundRow | undefined> {
  return (await db.query<RefundRow>(`select ${REFUND_COLUMNS} from lb_refunds where sync_record_id = $1`, [syncRecordId])).rows[0];
}

/**
 * Creates the refund's row, or returns the existing one for the same source (a redelivered webhook, a second
 * poll): the first sync record that claimed the refund stays its owner.
 */
export async function claimRefund(
  db: Db,
  r: Pick<RefundRow, 'id' | 'tenant_id' | 'channel_id' | 'direction' | 'source_key' | 'sync_record_id' | 'order_id' | 'platform_refund_id' | 'currency'> & { total_minor: number | null },
): Promise<RefundRow> {
  await db.query(
    `insert into lb_refunds (id, tenant_id, channel_id, direction, source_key, sync_record_id, order_id, platform_refund_id, currency, total_minor)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (channel_id, direction, source_key) do nothing`,
    [r.id, r.tenant_id, r.channel_id, r.direction, r.source_key, r.sync_record_id, r.order_id, r.platform_refund_id, r.currency, r.total_minor],
  );
  return (await getRefund(db, r.channel_id, r.direction, r.source_key)) as RefundRow;
}

export async function updateRefund(
  db: Db,
  id: string,
  changes: Partial<Pick<RefundRow, 'order_id' | 'platform_refund_id' | 'currency' | 'netsuite_record_type' | 'netsuite_record_id' | 'netsuite_records' | 'detail'>> & { total_minor?: number | null },
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    params.push(key === 'netsuite_records' || key === 'detail' ? JSON.stringify(value) : value);
    sets.push(`${key} = $${params.length}${key === 'netsuite_records' || key === 'detail' ? '::jsonb' : ''}`);
  }
  sets.push('updated_at = now()');
  await db.query(`update lb_refunds set ${sets.join(', ')} where id = $1`, params);
}

export async function listRefundsByOrder(db: Db, channelId: string, orderId: string): Promise<RefundRow[]> {
  return (await db.query<RefundRow>(`select ${REFUND_COLUMNS} from lb_refunds where channel_id = $1 and order_id = $2 order by created_at`, [channelId, orderId])).rows;
}

export async function findRefundsByPlatformId(db: Db, tenantId: string, platformRefundId: string, channelId?: string): Promise<RefundRow[]> {
  return (
    await db.query<RefundRow>(
      `select ${REFUND_COLUMNS} from lb_refunds where tenant_id = $1 and platform_refund_id = $2 and ($3::text is null or channel_id = $3) order by created_at`,
      [tenantId, platformRefundId, channelId ?? null],
    )
  ).rows;
}

/** Parked refund sync records of a channel waiting for an order (to release when it lands, or expire). */
export async function parkedRefundRecords(db: Db, channelId: string, orderId?: string): Promise<Array<{ sync_record_id: string; order_id: string | null; state_changed_at: Date; created_at: Date }>> {
  return (
    await db.query<{ sync_record_id: string; order_id: string | null; state_changed_at: Date; created_at: Date }>(
      `select r.sync_record_id, r.order_id, s.state_changed_at, s.created_at from lb_refunds r join lb_sync_records s on s.id = r.sync_record_id
        where r.channel_id = $1 and s.state = 'parked' and s.state_code = 'order_not_synced' and ($2::text is null or r.order_id = $2)
        order by s.created_at`,
      [channelId, orderId ?? null],
    )
  ).rows;
}

export async function getCursor(db: Db, channelId: string, stream: string): Promise<string | undefined> {
  return (await db.query<{ cursor: string }>('select cursor from lb_refund_cursors where channel_id = $1 and stream = $2', [channelId, stream])).rows[0]?.cursor;
}

export async function setCursor(db: Db, channelId: string, stream: string, cursor: string): Promise<void> {
  await db.query(
    `insert into lb_refund_cursors (channel_id, stream, cursor) values ($1, $2, $3)
     on conflict (channel_id, stream) do update set cursor = excluded.cursor, updated_at = now()`,
    [channelId, stream, cursor],
  );
}

/** A cursor of a NetSuite connection (its outbox), shared by every channel on the connection. */
export async function getConnectionCursor(db: Db, connectionId: string, stream: string): Promise<string | undefined> {
  return (await db.query<{ cursor: string }>('select cursor from lb_refund_connection_cursors where connection_id = $1 and stream = $2', [connectionId, stream])).rows[0]
    ?.cursor;
}

export async function setConnectionCursor(db: Db, connectionId: string, stream: string, cursor: string): Promise<void> {
  await db.query(
    `insert into lb_refund_connection_cursors (connection_id, stream, cursor) values ($1, $2, $3)
     on conflict (connection_id, stream) do update set cursor = excluded.cursor, updated_at = now()`,
    [connectionId, stream, cursor],
  );
}

/** A connection's outbox cursor with its restart bookkeeping (the cursor restarts at "0" on a schedule). */
export interface ConnectionCursorState {
  cursor: string;
  sweepsSinceRestart: number;
  restartedAt: Date | null;
}

export async function getConnectionCursorState(db: Db, connectionId: string, stream: string): Promise<ConnectionCursorState | undefined> {
  const row = (
    await db.query<{ cursor: string; sweeps_since_restart: number; restarted_at: Date | string | null }>(
      'select cursor, sweeps_since_restart, restarted_at from lb_refund_connection_cursors where connection_id = $1 and stream = $2',
      [connectionId, stream],
    )
  ).rows[0];
  if (!row) return undefined;
  return { cursor: row.cursor, sweepsSinceRestart: Number(row.sweeps_since_restart), restartedAt: row.restarted_at === null ? null : new Date(row.restarted_at) };
}

/**
 * Stores the cursor a sweep reached. `restartedAt` set: this sweep started at "0" (the count of sweeps since the
 * restart goes back to zero); absent: a sweep from the stored cursor (the count goes up by one).
 */
export async function recordOutboxSweep(db: Db, connectionId: string, stream: string, cursor: string, restartedAt: Date | null): Promise<void> {
  await db.query(
    `insert into lb_refund_connection_cursors (connection_id, stream, cursor, sweeps_since_restart, restarted_at) values ($1, $2, $3, 0, $4)
     on conflict (connection_id, stream) do update set cursor = excluded.cursor, updated_at = now(),
       sweeps_since_restart = case when $4::timestamptz is null then lb_refund_connection_cursors.sweeps_since_restart + 1 else 0 end,
       restarted_at = coalesce($4::timestamptz, lb_refund_connection_cursors.restarted_at)`,
    [connectionId, stream, cursor, restartedAt ? restartedAt.toISOString() : null],
  );
}

/** The channel (among `channelIds`) whose sync record took a NetSuite refund from the outbox (its platform event id). */
export async function channelOfOutboundRecord(db: Db, platformEventId: string, channelIds: string[]): Promise<string | undefined> {
  if (channelIds.length === 0) return undefined;
  return (
    await db.query<{ channel_id: string }>('select channel_id from lb_webhook_events where platform_event_id = $1 and channel_id = any($2::text[]) order by received_at limit 1', [
      platformEventId,
      channelIds,
    ])
  ).rows[0]?.channel_id;
}
