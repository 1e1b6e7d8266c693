import type { Migration } from './types';

/** What a processor adds to a failed attempt beside its code and message (e.g. the import step that failed). */
export const migration: Migration = {
  id: '0008_sync_attempt_detail',
  sql: `
alter table lb_sync_attempts add column error_detail jsonb;
`,
};
