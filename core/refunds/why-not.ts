/**
 * "Why didn't this sync?": given what is known about an order or refund, runs every prerequisite in the order a
 * refund meets them and says, for each one that fails, what to fix. Facts that were not supplied are reported as
 * 'unknown' rather than guessed.
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
}

export type CheckId =
  | 'direction'
  | 'refund_readable'
  | 'refund_settled'
  | 'not_cancelled'
  | 'order_synced'
  | 'netsuite_order_exists'
  | 'billing'
  | 'skus_known';

export interface PrerequisiteCheck {
  id: CheckId;
  title: string;
  status: 'pass' | 'fail' | 'unknown' | 'not_applicable';
  detail: string;
  /** What to do about it; null when the check passed. */
  fix: string | null;
}

export interface WhyNotAnswer {
  /** True when every check passed (nothing known stops the sync). */
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
  return failCheck(
    'direction',
    title,
    `The refund was made ${where}, but account '${f.account}' is set to '${f.direction}'.`,
    f.platform === 'amazon' && wanted === 'netsuite_to_platform'
      ? 'Amazon has no seller refund API: make the refund in Seller Central; it then syncs to NetSuite.'
      : `Set the account's refund direction to '${wanted}' (only one direction per account), or make refunds ` +
          `${f.origin === 'storefront' ? 'in NetSuite' : `on ${f.platform}`} instead.`,
  );
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

/** Runs every prerequisite in order. */
export function explainWhyNotSynced(facts: WhyNotFacts): WhyNotAnswer {
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
    ready: checks.every((c) => c.status === 'pass' || c.status === 'not_applicable'),
    firstFailure: firstFailing?.id ?? null,
    checks,
  };
}
