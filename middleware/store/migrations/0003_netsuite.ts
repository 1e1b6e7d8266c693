import type { Migration } from './types';

/**
 * The account-wide NetSuite concurrency budget: one row per slot of an account (its limit, from configuration),
 * held by one in-flight request of any middleware process until released or until its lease expires (a process
 * that died mid-call frees its slot after the lease time). NetSuite's limit is per account and shared by every
 * integration (reference netsuite-platform.md 1.4), so the budget key is the account, not the connection.
 */
export const migration: Migration = {
  id: '0003_netsuite',
  sql: `
create table lb_netsuite_slots (
  account_key text not null,
  slot integer not null check (slot >= 0),
  holder text,
  expires_at timestamptz,
  primary key (account_key, slot)
);
`,
};
