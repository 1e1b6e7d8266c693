import type { Db } from '../db';

export interface ChannelRow {
  id: string;
  tenant_id: string;
  connection_id: string | null;
  kind: string;
  role: string;
  name: string;
  settings: Record<string, unknown>;
  secrets_sealed: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, tenant_id, connection_id, kind, role, name, settings, secrets_sealed, enabled, created_at, updated_at';

export type NewChannel = Pick<ChannelRow, 'id' | 'tenant_id' | 'connection_id' | 'kind' | 'role' | 'name' | 'settings' | 'secrets_sealed'>;

export async function insertChannel(db: Db, c: NewChannel): Promise<ChannelRow> {
  return (
    await db.query<ChannelRow>(
      `insert into lb_channels (id, tenant_id, connection_id, kind, role, name, settings, secrets_sealed)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) returning ${COLUMNS}`,
      [c.id, c.tenant_id, c.connection_id, c.kind, c.role, c.name, JSON.stringify(c.settings), c.secrets_sealed],
    )
  ).rows[0] as ChannelRow;
}

export async function listChannels(db: Db, tenantId: string): Promise<ChannelRow[]> {
  return (await db.query<ChannelRow>(`select ${COLUMNS} from lb_channels where tenant_id = $1 order by created_at, id`, [tenantId])).rows;
}

export async function getChannel(db: Db, tenantId: string, id: string): Promise<ChannelRow | undefined> {
  return (await db.query<ChannelRow>(`select ${COLUMNS} from lb_channels where tenant_id = $1 and id = $2`, [tenantId, id])).rows[0];
}

/** For webhook intake, where the channel id in the URL is all we know. */
export async function findChannelById(db: Db, id: string): Promise<ChannelRow | undefined> {
  return (await db.query<ChannelRow>(`select ${COLUMNS} from lb_channels where id = $1`, [id])).rows[0];
}

export type ChannelChanges = Partial<Pick<ChannelRow, 'name' | 'role' | 'settings' | 'secrets_sealed' | 'enabled' | 'connection_id'>>;

export async function updateChannel(db: Db, tenantId: string, id: string, changes: ChannelChanges): Promise<ChannelRow | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [tenantId, id];
  const add = (column: string, value: unknown, cast = ''): void => {
    params.push(value);
    sets.push(`${column} = $${params.length}${cast}`);
  };
  if (changes.name !== undefined) add('name', changes.name);
  if (changes.role !== undefined) add('role', changes.role);
  if (changes.settings !== undefined) add('settings', JSON.stringify(changes.settings), '::jsonb');
  if (changes.secrets_sealed !== undefined) add('secrets_sealed', changes.secrets_sealed);
  if (changes.enabled !== undefined) add('enabled', changes.enabled);
  if (changes.connection_id !== undefined) add('connection_id', changes.connection_id);
  sets.push('updated_at = now()');
  return (
    await db.query<ChannelRow>(`update lb_channels set ${sets.join(', ')} where tenant_id = $1 and id = $2 returning ${COLUMNS}`, params)
  ).rows[0];
}
