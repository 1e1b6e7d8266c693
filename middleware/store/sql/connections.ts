import type { Db } from '../db';

export interface ConnectionRow {
  id: string;
  tenant_id: string;
  name: string;
  account_id: string;
  auth_kind: 'tba' | 'm2m';
  credentials_sealed: string;
  status: 'pending' | 'connected' | 'failed';
  status_message: string | null;
  concurrency_limit: number;
  restlet_script_id: string;
  restlet_deploy_id: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, tenant_id, name, account_id, auth_kind, credentials_sealed, status, status_message, concurrency_limit,
  restlet_script_id, restlet_deploy_id, created_at, updated_at`;

export type NewConnection = Pick<
  ConnectionRow,
  'id' | 'tenant_id' | 'name' | 'account_id' | 'auth_kind' | 'credentials_sealed' | 'concurrency_limit' | 'restlet_script_id' | 'restlet_deploy_id'
>;

export async function insertConnection(db: Db, c: NewConnection): Promise<ConnectionRow> {
  const result = await db.query<ConnectionRow>(
    `insert into lb_netsuite_connections
       (id, tenant_id, name, account_id, auth_kind, credentials_sealed, concurrency_limit, restlet_script_id, restlet_deploy_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
    [c.id, c.tenant_id, c.name, c.account_id, c.auth_kind, c.credentials_sealed, c.concurrency_limit, c.restlet_script_id, c.restlet_deploy_id],
  );
  return result.rows[0] as ConnectionRow;
}

export async function listConnections(db: Db, tenantId: string): Promise<ConnectionRow[]> {
  return (
    await db.query<ConnectionRow>(`select ${COLUMNS} from lb_netsuite_connections where tenant_id = $1 order by created_at, id`, [tenantId])
  ).rows;
}

export async function getConnection(db: Db, tenantId: string, id: string): Promise<ConnectionRow | undefined> {
  return (
    await db.query<ConnectionRow>(`select ${COLUMNS} from lb_netsuite_connections where tenant_id = $1 and id = $2`, [tenantId, id])
  ).rows[0];
}

export type ConnectionChanges = Partial<
  Pick<ConnectionRow, 'name' | 'account_id' | 'auth_kind' | 'credentials_sealed' | 'status' | 'status_message' | 'concurrency_limit'>
>;

/** Updates the given columns only; column names come from the fixed list above, never from input. */
export async function updateConnection(
  db: Db,
  tenantId: string,
  id: string,
  changes: ConnectionChanges,
): Promise<ConnectionRow | undefined> {
  const allowed: (keyof ConnectionChanges)[] = ['name', 'account_id', 'auth_kind', 'credentials_sealed', 'status', 'status_message', 'concurrency_limit'];
  const sets: string[] = [];
  const params: unknown[] = [tenantId, id];
  for (const column of allowed) {
    if (changes[column] === undefined) continue;
    params.push(changes[column]);
    sets.push(`${column} = $${params.length}`);
  }
  sets.push('updated_at = now()');
  return (
    await db.query<ConnectionRow>(
      `update lb_netsuite_connections set ${sets.join(', ')} where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
      params,
    )
  ).rows[0];
}
