/**
 * The record types the RESTlet API works with: their governance category (reference 1.1), which ones it may
 * create, and the record.transform pairs NetSuite supports (reference 5.2). Pure.
 */

export type RecordCategory = 'transaction' | 'custom' | 'other';

/** Transactions (reference 5.1). */
const TRANSACTIONS = [
  'salesorder',
  'itemfulfillment',
  'invoice',
  'cashsale',
  'returnauthorization',
  'itemreceipt',
  'creditmemo',
  'cashrefund',
  'customerpayment',
  'customerrefund',
  'customerdeposit',
  'depositapplication',
  'deposit',
  'estimate',
  'transferorder',
  'inventorytransfer',
  'inventoryadjustment',
  'journalentry',
] as const;

/** Standard non-transaction records the flows read or write. */
const OTHER_RECORDS = [
  'customer',
  'location',
  'account',
  'subsidiary',
  'inventoryitem',
  'noninventoryitem',
  'serviceitem',
  'otherchargeitem',
  'discountitem',
  'kititem',
  'itemgroup',
  'paymentitem',
] as const;

/**
 * Types a plain `create` may make. Not here, because NetSuite makes them only by transform: itemfulfillment,
 * itemreceipt (from an order or RA), depositapplication (reference 5.3), and customerpayment (the Records Guide
 * says it cannot be created; the documented-safe path is the transform customer/invoice → customerpayment).
 */
const CREATABLE = [
  'salesorder',
  'invoice',
  'cashsale',
  'returnauthorization',
  'creditmemo',
  'cashrefund',
  'customerrefund',
  'customerdeposit',
  'deposit',
  'estimate',
  'inventorytransfer',
  'inventoryadjustment',
  'journalentry',
  'customer',
] as const;

/** record.transform pairs of reference 5.2 that the flows use (from → allowed targets). */
const TRANSFORMS: Record<string, readonly string[]> = {
  salesorder: ['itemfulfillment', 'invoice', 'cashsale', 'returnauthorization'],
  estimate: ['salesorder', 'invoice', 'cashsale'],
  customer: ['salesorder', 'invoice', 'cashsale', 'estimate', 'customerpayment'],
  invoice: ['customerpayment', 'creditmemo', 'returnauthorization'],
  cashsale: ['cashrefund', 'returnauthorization'],
  returnauthorization: ['itemreceipt', 'creditmemo', 'cashrefund'],
  cashrefund: ['creditmemo'],
  customerdeposit: ['customerrefund', 'depositapplication'],
  customerpayment: ['customerrefund'],
  transferorder: ['itemfulfillment', 'itemreceipt'],
};

/** The bundle's own outbox: read and acknowledged only through the outbox actions. */
export const OUTBOX_RECORD_TYPE = 'customrecord_lb_outbox';

const CUSTOM_RECORD = /^customrecord[a-z0-9_]{1,90}$/;

function includes(list: readonly string[], value: string): boolean {
  return list.indexOf(value) !== -1;
}

export function isTransaction(type: string): boolean {
  return includes(TRANSACTIONS, type);
}

export function isCustomRecord(type: string): boolean {
  return CUSTOM_RECORD.test(type);
}

/** Whether the API knows the type at all (anything else is refused with UNSUPPORTED_RECORD_TYPE). */
export function isKnownType(type: string): boolean {
  return isTransaction(type) || includes(OTHER_RECORDS, type) || isCustomRecord(type);
}

export function categoryOf(type: string): RecordCategory {
  if (isTransaction(type)) return 'transaction';
  if (isCustomRecord(type)) return 'custom';
  return 'other';
}

export function isCreatable(type: string): boolean {
  return includes(CREATABLE, type) || (isCustomRecord(type) && type !== OUTBOX_RECORD_TYPE);
}

/** Types setFields may write: everything known except items (owned by the merchant) and the outbox. */
export function isUpdatable(type: string): boolean {
  if (type === OUTBOX_RECORD_TYPE) return false;
  return isTransaction(type) || isCustomRecord(type) || type === 'customer';
}

export function canTransform(fromType: string, toType: string): boolean {
  const targets = TRANSFORMS[fromType];
  return targets !== undefined && includes(targets, toType);
}

export function transformTargets(fromType: string): readonly string[] {
  return TRANSFORMS[fromType] ?? [];
}

/** Whether the record carries custbody_lb_origin (a transaction body field, so transactions only). */
export function carriesOrigin(type: string): boolean {
  return isTransaction(type);
}
