import type { Db } from '../db';

export interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
}

export async function insertTenant(db: Db, tenant: { id: string; name: string }): Promise<void> {
  await db.query('insert into lb_tenants (id, name) values ($1, $2)', [tenant.id, tenant.name]);
}

/** Inserts the tenant unless it exists (sandbox seeding is re-run on every start). */
export async function ensureTenant(db: Db, tenant: { id: string; name: string }): Promise<void> {
  await db.query('insert into lb_tenants (id, name) values ($1, $2) on conflict (id) do nothing', [tenant.id, tenant.name]);
}

export async function getTenant(db: Db, id: string): Promise<TenantRow | undefined> {
  return (await db.query<TenantRow>('select id, name, created_at from lb_tenants where id = $1', [id])).rows[0];
}
