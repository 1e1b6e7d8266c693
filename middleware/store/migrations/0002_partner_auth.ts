import type { Migration } from './types';

/**
 * Partner API auth: OAuth 2.0 client-credentials clients (secrets only as scrypt hashes) and the asymmetric keys that
 * sign access tokens (private keys sealed by the secret box; public JWKs published at /.well-known/jwks.json).
 * tenant_id is text without a foreign key so this migration does not depend on the tenants table's migration.
 */
export const migration: Migration = {
  id: '0002_partner_auth',
  sql: `
create table lb_partner_clients (
  client_id text primary key,
  tenant_id text not null,
  secret_hash text not null,
  scopes text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index lb_partner_clients_tenant_idx on lb_partner_clients (tenant_id);

create table lb_signing_keys (
  kid text primary key,
  alg text not null,
  private_key_sealed text not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  -- set when retired: the last moment a token it signed can still be valid; null while current
  expires_at timestamptz,
  check ((retired_at is null) = (expires_at is null))
);
-- At most one current key, even when two processes create or rotate keys at the same moment.
create unique index lb_signing_keys_one_current on lb_signing_keys ((true)) where retired_at is null;
`,
};
