/**
 * "Why didn't this sync?". When the refund has sync records (every record of that order or refund on the channel),
 * the answer is theirs: one check per record, saying what it did (failed with its code and message, parked with its
 * reason and age, cancelled, skipped, posted with the NetSuite record) and what to do about it. Only without a record
 * does it reason from settings and order facts: every prerequisite in the order a refund meets them, and for each
 * one that fails, what to fix. Facts that were not supplied are reported as 'unknown' rather than guessed.
 * A fix may carry `actions`: partner API calls (sync-record retry / cancel / un-cancel, a channel settings patch)
 * that are valid for the record's state and the channel's settings schema.
 */
import type { Platform } from '../orders/types';
import { type RefundDirection, shouldSync } from './direction';
import type { BillingFacts } from './record-plan';

export interface WhyNotFacts {
  platform: Platform;
  account: string;
  /** The account's effective refund direction. */
  direction?: RefundDirection;
  /** Where the refund was made. */
  origin?: 'storefront' | 'netsuite';
  /** The refund's state on the platform. 'unreadable': the platform does not expose it (some eBay refunds). */
  refundState?: 'settled' | 'pending' | 'failed' | 'unreadable';
  /** Extra words from the platform about an unreadable refund. */
  unreadableReason?: string;
  /** A user cancelled this refund's sync. */
  cancelled?: boolean;
  /** We have the storefront order and its link to a NetSuite sales order. */
  orderSynced?: boolean;
  /** The linked NetSuite sales order as NetSuite sees it now. */
  netsuiteOrder?: 'exists' | 'deleted' | 'not_found';
  billing?: BillingFacts | null;
  /** SKUs of the refund that match no NetSuite item. */
  unknownSkus?: readonly string[];
  /** The channel asked about (fixes then carry partner API actions). */
  channelId?: string;
  /** The refund's own sync records on the channel, oldest first. With any, the answer is theirs. */
  records?: readonly RefundSyncRecordFact[];
}

/** The states a sync record can be in (middleware/sync/sync-states.ts). */
export type SyncRecordState = 'received' | 'queued' | 'posting' | 'posted' | 'skipped' | 'parked' | 'failed' | 'cancelled';

export interface RefundSyncRecordFact {
  id: string;
  topic: string;
  state: SyncRecordState;
  code: string | null;
  message: string | null;
  /** Hours the record has been in its state. */
  ageHours: number;
  /** The refund it carries, when its payload says (null: unreadable payload). */
  refundId: string | null;
  /** Posted: the NetSuite records holding the refund, and their total. */
  netsuite?: { records: ReadonlyArray<{ kind: string; id: string }>; total: string | null; currency: string | null } | null;
}

/** A partner API call that carries out (part of) a fix. */
export interface FixAction {
  method: 'POST' | 'PATCH';
  path: string;
  body?: Record<string, unknown>;
  /** What the call does, in a few words. */
  label: string;
}

export type CheckId =
  | 'direction'
  | 'refund_readable'
  | 'refund_settled'
  | 'not_cancelled'
  | 'order_synced'
  | 'netsuite_order_exists'
  | 'billing'
  | 'skus_known'
  | 'sync_record';

export interface PrerequisiteCheck {
  id: CheckId;
  title: string;
  /** 'in_progress': a sync record on its way (received, queued, posting). */
  status: 'pass' | 'fail' | 'unknown' | 'not_applicable' | 'in_progress';
  detail: string;
  /** What to do about it; null when the check passed. */
  fix: string | null;
  /** Partner API calls that carry out the fix, in order (none when the fix is outside Ledgerbridge). */
  actions?: FixAction[];
  /** The sync record this check is about. */
  syncRecordId?: string;
}

export interface WhyNotAnswer {
  /** 'sync_records': the answer is the refund's own sync records; 'prerequisites': there were none. */
  basis: 'sync_records' | 'prerequisites';
  /** True when every check passed (nothing known stops the sync; with records: the refund is posted). */
  ready: boolean;
  /** The first failing check: the thing to fix first. */
  firstFailure: CheckId | null;
  checks: PrerequisiteCheck[];
}

const pass = (id: CheckId, title: string, detail: string): PrerequisiteCheck => ({ id, title, status: 'pass', detail, fix: null });
const failCheck = (id: CheckId, title: string, detail: string, fix: string): PrerequisiteCheck => ({ id, title, status: 'fail', detail, fix });
const unknown = (id: CheckId, title: string, what: string): PrerequisiteCheck => ({
  id,
  title,
  status: 'unknown',
  detail: `Not checked: ${what} is not known.`,
  fix: `Look up ${what} and ask again.`,
});

function checkDirection(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'Refund direction allows this refund';
  if (f.direction === undefined || f.origin === undefined) return unknown('direction', title, "the account's refund direction or where the refund was made");
  if (shouldSync(f.direction, f.origin)) return pass('direction', title, `Account '${f.account}' syncs ${f.direction.replace(/_/g, ' ')}.`);
  const where = f.origin === 'storefront' ? `on ${f.platform}` : 'in NetSuite';
  const wanted = f.origin === 'storefront' ? 'platform_to_netsuite' : 'netsuite_to_platform';
  const check = failCheck(
    'direction',
    title,
    `The refund was made ${where}, but account '${f.account}' is set to '${f.direction}'.`,
    f.platform === 'amazon' && wanted === 'netsuite_to_platform'
      ? 'Amazon has no seller refund API: make the refund in Seller Central; it then syncs to NetSuite.'
      : `Set the account's refund direction to '${wanted}' (only one direction per account), or make refunds ` +
          `${f.origin === 'storefront' ? 'in NetSuite' : `on ${f.platform}`} instead.`,
  );
  if (f.platform === 'amazon' && wanted === 'netsuite_to_platform') return check;
  const actions = directionActions(f, wanted);
  return actions.length > 0 ? { ...check, actions } : check;
}

function directionActions(f: WhyNotFacts, wanted: RefundDirection): FixAction[] {
  return f.channelId === undefined
    ? []
    : [{ method: 'PATCH', path: `/v1/channels/${f.channelId}`, body: { settings: { refundDirection: wanted } }, label: `set the refund direction to '${wanted}'` }];
}

function checkReadable(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'Refund can be read from the platform';
  if (f.origin === 'netsuite') return { id: 'refund_readable', title, status: 'not_applicable', detail: 'The refund was made in NetSuite.', fix: null };
  if (f.refundState === undefined) return unknown('refund_readable', title, "the refund's state on the platform");
  if (f.refundState !== 'unreadable') return pass('refund_readable', title, 'The platform returns the refund.');
  return failCheck(
    'refund_readable',
    title,
    f.unreadableReason ??
      `${f.platform} reports money refunded on the order but its API does not return the refund itself.`,
    f.platform === 'ebay'
      ? 'eBay refunds issued without a buyer request (return or cancellation) may not be readable through the API: ' +
          'record this refund in NetSuite by hand, or issue refunds through a return request.'
      : 'Record this refund in NetSuite by hand.',
  );
}

function checkSettled(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'Refund money has settled';
  if (f.origin === 'netsuite') return { id: 'refund_settled', title, status: 'not_applicable', detail: 'The refund was made in NetSuite.', fix: null };
  if (f.refundState === undefined || f.refundState === 'unreadable') return unknown('refund_settled', title, 'the refund transactions');
  if (f.refundState === 'settled') return pass('refund_settled', title, 'The refund transactions succeeded.');
  if (f.refundState === 'pending') {
    return failCheck('refund_settled', title, 'A refund transaction is still pending.', 'Nothing to do: the refund is posted once the payment gateway confirms it.');
  }
  return failCheck('refund_settled', title, 'Every refund transaction failed: no money was returned.', `Retry the refund on ${f.platform}; a failed refund is not posted to NetSuite.`);
}

function checkCancelled(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'Sync not cancelled';
  if (f.cancelled === undefined) return unknown('not_cancelled', title, 'whether the sync was cancelled');
  return f.cancelled
    ? failCheck('not_cancelled', title, 'A user cancelled this refund\'s sync.', 'Un-cancel it if it should sync.')
    : pass('not_cancelled', title, 'Not cancelled.');
}

function checkOrderSynced(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'Order is synced to NetSuite';
  if (f.orderSynced === undefined) return unknown('order_synced', title, 'whether the order was synced');
  return f.orderSynced
    ? pass('order_synced', title, 'The order is linked to a NetSuite sales order.')
    : failCheck(
        'order_synced',
        title,
        'The order is not linked to any NetSuite sales order yet; the refund is parked until it is.',
        'Import the order (retrieve it by order id), or if another connector syncs orders, check that the ' +
          'configured NetSuite field holds the storefront order id.',
      );
}

function checkNetSuiteOrder(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'NetSuite sales order exists';
  if (f.netsuiteOrder === undefined) return unknown('netsuite_order_exists', title, 'the NetSuite sales order');
  if (f.netsuiteOrder === 'exists') return pass('netsuite_order_exists', title, 'The sales order exists in NetSuite.');
  return failCheck(
    'netsuite_order_exists',
    title,
    f.netsuiteOrder === 'deleted' ? 'The linked NetSuite sales order was deleted.' : 'No NetSuite sales order matches the order.',
    f.netsuiteOrder === 'deleted'
      ? 'Re-import the order, then retry the refund; or cancel the refund sync if the order was deleted on purpose.'
      : 'Import the order into NetSuite, then retry.',
  );
}

function checkBilling(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'Order is billed or has a customer deposit';
  if (f.origin === 'netsuite') return { id: 'billing', title, status: 'not_applicable', detail: 'The refund record already exists in NetSuite.', fix: null };
  if (f.billing === undefined) return unknown('billing', title, 'how the order was billed');
  if (f.billing === null || (f.billing.kind === 'unbilled' && f.billing.customerDeposit === null)) {
    return failCheck(
      'billing',
      title,
      'The sales order has no cash sale, no invoice and no customer deposit: there is nothing to refund against.',
      'Bill the order in NetSuite (cash sale or invoice) or record the customer deposit, then retry.',
    );
  }
  const how = f.billing.kind === 'cash_sale' ? 'a cash sale (-> cash refund)' : f.billing.kind === 'invoice' ? 'an invoice (-> credit memo)' : 'a customer deposit (-> customer refund)';
  return pass('billing', title, `Billed by ${how}.`);
}

function checkSkus(f: WhyNotFacts): PrerequisiteCheck {
  const title = 'Every SKU matches a NetSuite item';
  if (f.unknownSkus === undefined) return unknown('skus_known', title, "the refund's SKUs");
  if (f.unknownSkus.length === 0) return pass('skus_known', title, 'All SKUs match NetSuite items.');
  return failCheck(
    'skus_known',
    title,
    `No NetSuite item has the SKU${f.unknownSkus.length > 1 ? 's' : ''} ${f.unknownSkus.join(', ')}.`,
    'Create the item in NetSuite with that SKU as its Item Name/Number, or correct the SKU on the platform.',
  );
}

/** Runs every prerequisite in order; with sync records, explains them instead. */
export function explainWhyNotSynced(facts: WhyNotFacts): WhyNotAnswer {
  if (facts.records && facts.records.length > 0) return explainRecords(facts, facts.records);
  const checks = [
    checkDirection(facts),
    checkReadable(facts),
    checkSettled(facts),
    checkCancelled(facts),
    checkOrderSynced(facts),
    checkNetSuiteOrder(facts),
    checkBilling(facts),
    checkSkus(facts),
  ];
  const firstFailing = checks.find((c) => c.status === 'fail');
  return {
    basis: 'prerequisites',
    ready: checks.every((c) => c.status === 'pass' || c.status === 'not_applicable'),
    firstFailure: firstFailing?.id ?? null,
    checks,
  };
}

const recordAction = (record: RefundSyncRecordFact, action: 'retry' | 'cancel' | 'uncancel', label: string): FixAction => ({
  method: 'POST',
  path: `/v1/sync-records/${record.id}/${action}`,
  label,
});

function age(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `${Math.round(hours)} hours`;
  return `${Math.round(hours / 24)} days`;
}

function said(record: RefundSyncRecordFact): string {
  return `${record.code ?? 'no code'}${record.message ? `: ${record.message}` : ''}`;
}

/** What to do about a failed record, by its code; actions only where the API takes them from 'failed'. */
function failedFix(f: WhyNotFacts, r: RefundSyncRecordFact): { fix: string; actions: FixAction[] } {
  const retry = recordAction(r, 'retry', 'retry this sync record');
  const cancel = recordAction(r, 'cancel', 'cancel this sync record');
  switch (r.code) {
    case 'invalid_payload':
    case 'invalid_refund':
    case 'event_missing':
      return {
        fix:
          `The stored ${f.platform} payload cannot be read as a refund, and a retry reads the same payload again. ` +
          `Correct the refund on ${f.platform} (a new delivery or a retrieve by order id makes a new sync record), ` +
          'record it in NetSuite by hand, or cancel this record once it is dealt with.',
        actions: [cancel],
      };
    case 'direction_not_inbound':
      return {
        fix: "Set the channel's refund direction to 'platform_to_netsuite' and retry this record, or make the refund in NetSuite instead.",
        actions: [...directionActions(f, 'platform_to_netsuite'), retry],
      };
    case 'order_never_synced':
      return {
        fix: `Import the ${f.platform} order into NetSuite (or check the order link setting), then retry this record.`,
        actions: [retry],
      };
    case 'netsuite_order_deleted':
      return {
        fix: 'Re-import the order, then retry this record; or cancel it if the sales order was deleted on purpose.',
        actions: [retry],
      };
    case 'nothing_to_refund_against':
      return { fix: 'Bill the order in NetSuite (cash sale or invoice) or record the customer deposit, then retry this record.', actions: [retry] };
    case 'deposit_insufficient':
      return { fix: "The order's customer deposit does not cover the refund: bill the order or adjust the deposit in NetSuite, then retry this record.", actions: [retry] };
    case 'currency_mismatch':
      return { fix: "The refund's currency is not the NetSuite order's: correct the order or the refund, then retry this record.", actions: [retry] };
    case 'unknown_sku':
      return { fix: 'Create the NetSuite item with that SKU as its Item Name/Number (or correct the SKU on the platform), then retry this record.', actions: [retry] };
    case 'missing_adjustment_item':
      return { fix: "Set the channel's refunds.adjustmentItem to the internal id of a NetSuite item for refund differences, then retry this record.", actions: [retry] };
    case 'ebay_refund_unreadable':
      return {
        fix: 'eBay does not return this refund through its API: record it in NetSuite by hand, then cancel this record.',
        actions: [cancel],
      };
    case 'ebay_reauthorization_required':
      return { fix: "Re-authorise the channel (new eBay refresh token in its secrets), then retry this record.", actions: [retry] };
    default:
      return { fix: 'Correct what the message says, then retry this record.', actions: [retry] };
  }
}

function parkedFix(f: WhyNotFacts, r: RefundSyncRecordFact): { fix: string; actions: FixAction[] } {
  if (r.code === 'order_not_synced') {
    return {
      fix:
        `Nothing is wrong with the refund: it is posted when the ${f.platform} order reaches NetSuite. Import the order ` +
        '(retrieve it by order id), or if another connector syncs orders, check that the configured NetSuite field ' +
        'holds the storefront order id. After the channel\'s parked age limit it becomes an exception.',
      actions: [],
    };
  }
  return { fix: 'The record waits for what its message names; cancel it if it should not sync.', actions: [recordAction(r, 'cancel', 'cancel this sync record')] };
}

function recordCheck(f: WhyNotFacts, r: RefundSyncRecordFact, postedBy: RefundSyncRecordFact | undefined): PrerequisiteCheck {
  const title = `Sync record ${r.id} (${r.topic})`;
  const base = { id: 'sync_record' as const, title, syncRecordId: r.id };
  if (r.state === 'posted') {
    const where = r.netsuite && r.netsuite.records.length > 0
      ? `in NetSuite as ${r.netsuite.records.map((n) => `${n.kind} ${n.id}`).join(', ')}${r.netsuite.total ? ` (total ${r.netsuite.total}${r.netsuite.currency ? ` ${r.netsuite.currency}` : ''})` : ''}`
      : 'in NetSuite (it was already there: nothing more was written)';
    return { ...base, status: 'pass', detail: `Posted: the refund is ${where}.`, fix: null };
  }
  if (postedBy && (r.state === 'failed' || r.state === 'parked' || r.state === 'cancelled' || r.state === 'skipped')) {
    return { ...base, status: 'not_applicable', detail: `${r.state} (${said(r)}); the refund was posted by sync record ${postedBy.id}.`, fix: null };
  }
  switch (r.state) {
    case 'failed': {
      const { fix, actions } = failedFix(f, r);
      return { ...base, status: 'fail', detail: `Failed ${age(r.ageHours)} ago with ${said(r)}`, fix, actions };
    }
    case 'parked': {
      const { fix, actions } = parkedFix(f, r);
      return { ...base, status: 'fail', detail: `Parked for ${age(r.ageHours)}: ${said(r)}`, fix, ...(actions.length > 0 ? { actions } : {}) };
    }
    case 'cancelled':
      return {
        ...base,
        status: 'fail',
        detail: `Cancelled by a user ${age(r.ageHours)} ago${r.message ? `: ${r.message}` : ''}.`,
        fix: 'Un-cancel it if it should sync.',
        actions: [recordAction(r, 'uncancel', 'un-cancel this sync record')],
      };
    case 'skipped':
      return {
        ...base,
        status: 'not_applicable',
        detail: `Skipped on purpose (${said(r)}): nothing was written to NetSuite.`,
        fix: 'Nothing to do, unless it should have been posted: then retry it.',
        actions: [recordAction(r, 'retry', 'retry this sync record')],
      };
    default:
      return { ...base, status: 'in_progress', detail: `${r.state[0]?.toUpperCase()}${r.state.slice(1)} ${age(r.ageHours)} ago: the refund is on its way.`, fix: null };
  }
}

function explainRecords(facts: WhyNotFacts, records: readonly RefundSyncRecordFact[]): WhyNotAnswer {
  const postedBy = records.find((r) => r.state === 'posted');
  const checks = records.map((r) => recordCheck(facts, r, postedBy));
  const firstFailing = checks.find((c) => c.status === 'fail');
  return {
    basis: 'sync_records',
    ready: postedBy !== undefined || checks.every((c) => c.status === 'pass' || c.status === 'not_applicable'),
    firstFailure: firstFailing?.id ?? null,
    checks,
  };
}
