/**
 * Every migration, in order. Add a migration as its own file (NNNN_name.ts exporting `migration`) and one line here.
 * Applied by the store's migration runner (`ledgerbridge migrate`, and at start-up).
 */
import type { Migration } from './types';
import { migration as spine } from './0001_spine';
import { migration as partnerAuth } from './0002_partner_auth';
import { migration as netsuite } from './0003_netsuite';
import { migration as refunds } from './0004_refunds';
import { migration as refundConnectionCursors } from './0005_refund_connection_cursors';
import { migration as syncSkipped } from './0006_sync_skipped';
import { migration as outboxRestart } from './0007_outbox_restart';
import { migration as syncAttemptDetail } from './0008_sync_attempt_detail';
import { migration as tokenAttempts } from './0009_token_attempts';
import { migration as hotQueryIndexes } from './0010_hot_query_indexes';
import { migration as consoleTables } from './0011_console';
import { migration as exceptions } from './0012_exceptions';
import { migration as notifications } from './0013_notifications';
import { migration as netsuiteSamples } from './0014_netsuite_samples';

export const migrations: Migration[] = [spine, partnerAuth, netsuite, refunds, refundConnectionCursors, syncSkipped, outboxRestart, syncAttemptDetail, tokenAttempts, hotQueryIndexes, consoleTables, exceptions, notifications, netsuiteSamples];
