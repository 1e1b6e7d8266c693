/**
 * Definitions of the standard record types the local account knows (reference/netsuite-platform.md 5.1, 5.3, 5.4):
 * governance category, field kinds (for value normalisation, select text and search), mandatory fields,
 * create/copy restrictions and the sublist that gives a transaction its search line rows.
 */
import type { RecordCategory } from './types';

/** How a field's value is stored and compared. See quirks.ts for the NetSuite conventions behind each kind. */
export type FieldKind =
  | 'text' | 'integer' | 'float' | 'currency' | 'checkbox' | 'date' | 'select' | 'multiselect' | 'status';

export type Family = 'entity' | 'item' | 'list' | 'transaction' | 'custom';

export interface RecordTypeDef {
  type: string;
  family: Family;
  category: RecordCategory;
  /** UI name, used in select text ('Sales Order #12'). */
  label: string;
  /** Transaction type code used by search `type` filters and status codes ('SalesOrd' -> 'SalesOrd:B'). */
  code?: string;
  body: Record<string, FieldKind>;
  sublists: Record<string, Record<string, FieldKind>>;
  /** Mandatory body fields with the label NetSuite names in "Please enter value(s) for: …". */
  mandatory: Record<string, string>;
  /** record.create allowed (5.3: itemfulfillment only by transform …). */
  creatable: boolean;
  copyable: boolean;
  /** A saved record needs at least one line in one of these sublists (VALID_LINE_ITEM_REQD). */
  requiresLines?: string[];
  /** The sublist whose lines become search line rows (mainline F). */
  lineSublist?: string;
}

const ITEM_LINE: Record<string, FieldKind> = {
  line: 'integer', item: 'select', itemtype: 'text', description: 'text', quantity: 'float', rate: 'currency',
  amount: 'currency', location: 'select', taxcode: 'select', orderline: 'integer', isclosed: 'checkbox',
  itemreceive: 'checkbox', quantityfulfilled: 'float', quantitybilled: 'float', quantityreceived: 'float',
  quantityrefunded: 'float', quantityremaining: 'float',
};
const APPLY_LINE: Record<string, FieldKind> = {
  line: 'integer', doc: 'select', apply: 'checkbox', amount: 'currency', due: 'currency', total: 'currency',
  refnum: 'text', type: 'text', applydate: 'date',
};
const DEPOSIT_PAYMENT_LINE: Record<string, FieldKind> = {
  id: 'select', deposit: 'checkbox', paymentamount: 'currency', type: 'text', docnumber: 'text', entity: 'select',
};
const ACCOUNT_LINE: Record<string, FieldKind> = { account: 'select', amount: 'currency', memo: 'text', entity: 'select' };
const INVENTORY_LINE: Record<string, FieldKind> = {
  line: 'integer', item: 'select', location: 'select', adjustqtyby: 'float', description: 'text',
};

const TRAN_BODY: Record<string, FieldKind> = {
  tranid: 'text', trandate: 'date', externalid: 'text', memo: 'text', status: 'status', statusRef: 'text',
  currency: 'select', exchangerate: 'float', total: 'currency', subtotal: 'currency', createdfrom: 'select',
  location: 'select', subsidiary: 'select', department: 'select', class: 'select', otherrefnum: 'text',
  createddate: 'date', lastmodifieddate: 'date', account: 'select', entity: 'select',
};
const SALES_BODY: Record<string, FieldKind> = {
  ...TRAN_BODY, orderstatus: 'text', shippingcost: 'currency', taxtotal: 'currency', discounttotal: 'currency',
  amountremaining: 'currency', amountpaid: 'currency', applied: 'currency', unapplied: 'currency',
  duedate: 'date', undepfunds: 'text', shipstatus: 'text', email: 'text',
};
const PAYMENT_BODY: Record<string, FieldKind> = {
  ...TRAN_BODY, customer: 'select', payment: 'currency', undepfunds: 'text', aracct: 'select',
  applied: 'currency', unapplied: 'currency', salesorder: 'select', deposit: 'select', paymentmethod: 'select',
};

const ENTITY_COMMON: Record<string, FieldKind> = {
  externalid: 'text', isinactive: 'checkbox', createddate: 'date', lastmodifieddate: 'date',
};

function transaction(
  type: string, label: string, code: string, body: Record<string, FieldKind>,
  sublists: Record<string, Record<string, FieldKind>>, extra: Partial<RecordTypeDef> = {},
): RecordTypeDef {
  return {
    type, family: 'transaction', category: 'transaction', label, code, body, sublists, mandatory: {},
    creatable: true, copyable: true, ...extra,
  };
}

function item(type: string, label: string): RecordTypeDef {
  return {
    type, family: 'item', category: 'other', label,
    body: {
      ...ENTITY_COMMON, itemid: 'text', displayname: 'text', salesdescription: 'text', price: 'currency',
      rate: 'currency', upccode: 'text', quantityonhand: 'float', quantityavailable: 'float', currency: 'select',
      isfulfillable: 'checkbox',
    },
    sublists: { locations: { location: 'select', quantityonhand: 'float', quantityavailable: 'float' } },
    mandatory: { itemid: 'Item Name/Number' }, creatable: true, copyable: true,
  };
}

const SALES_ITEM_TYPES = ['salesorder', 'invoice', 'cashsale', 'returnauthorization', 'creditmemo', 'cashrefund'];

const DEFS: RecordTypeDef[] = [
  {
    type: 'customer', family: 'entity', category: 'other', label: 'Customer',
    body: {
      ...ENTITY_COMMON, entityid: 'text', companyname: 'text', firstname: 'text', lastname: 'text',
      isperson: 'checkbox', email: 'text', phone: 'text', currency: 'select', subsidiary: 'select',
      balance: 'currency',
    },
    sublists: {}, mandatory: {}, creatable: true, copyable: true,
  },
  item('inventoryitem', 'Inventory Item'),
  item('noninventoryitem', 'Non-inventory Item'),
  item('otherchargeitem', 'Other Charge Item'),
  item('discountitem', 'Discount Item'),
  item('serviceitem', 'Service Item'),
  {
    type: 'location', family: 'list', category: 'other', label: 'Location',
    body: { ...ENTITY_COMMON, name: 'text', makeinventoryavailable: 'checkbox', subsidiary: 'select' },
    sublists: {}, mandatory: { name: 'Name' }, creatable: true, copyable: true,
  },
  {
    type: 'account', family: 'list', category: 'other', label: 'Account',
    body: {
      ...ENTITY_COMMON, acctname: 'text', acctnumber: 'text', accttype: 'text', currency: 'select',
      isundepfunds: 'checkbox',
    },
    sublists: {}, mandatory: { acctname: 'Name', accttype: 'Type' }, creatable: true, copyable: true,
  },
  {
    type: 'currency', family: 'list', category: 'other', label: 'Currency',
    body: {
      ...ENTITY_COMMON, name: 'text', symbol: 'text', currencyprecision: 'integer', isbasecurrency: 'checkbox',
      exchangerate: 'float',
    },
    sublists: {}, mandatory: { name: 'Name', symbol: 'ISO Code' }, creatable: true, copyable: false,
  },
  transaction('salesorder', 'Sales Order', 'SalesOrd', SALES_BODY, { item: ITEM_LINE }),
  // 5.3: item fulfillments exist only by transform (NSH/section_N3195884).
  transaction('itemfulfillment', 'Item Fulfillment', 'ItemShip', SALES_BODY, { item: ITEM_LINE },
    { creatable: false, copyable: false }),
  transaction('invoice', 'Invoice', 'CustInvc', SALES_BODY, { item: ITEM_LINE }),
  transaction('cashsale', 'Cash Sale', 'CashSale', SALES_BODY, { item: ITEM_LINE }),
  transaction('returnauthorization', 'Return Authorization', 'RtnAuth', SALES_BODY, { item: ITEM_LINE }),
  // Item receipts come from a return authorization (or purchase/transfer order) by transform.
  transaction('itemreceipt', 'Item Receipt', 'ItemRcpt', SALES_BODY, { item: ITEM_LINE },
    { creatable: false, copyable: false }),
  transaction('creditmemo', 'Credit Memo', 'CustCred', SALES_BODY, { item: ITEM_LINE, apply: APPLY_LINE }),
  transaction('cashrefund', 'Cash Refund', 'CashRfnd', SALES_BODY, { item: ITEM_LINE }),
  transaction('customerdeposit', 'Customer Deposit', 'CustDep', PAYMENT_BODY, {}),
  // 5.3: "cannot be created or copied" (Records Guide) yet transformable; plain create UNCONFIRMED -> refused
  // here (the documented-safe side: a script that works in the emulator then also works in NetSuite).
  transaction('customerpayment', 'Payment', 'CustPymt', PAYMENT_BODY, { apply: APPLY_LINE },
    { creatable: false, copyable: false }),
  transaction('customerrefund', 'Customer Refund', 'CustRfnd', PAYMENT_BODY,
    { apply: APPLY_LINE, deposit: APPLY_LINE }),
  transaction('depositapplication', 'Deposit Application', 'DepAppl', PAYMENT_BODY, { apply: APPLY_LINE },
    { creatable: false, copyable: false }),
  // 5.3: deposit creatable, not copyable; needs a line in payment, other or cashback.
  transaction('deposit', 'Deposit', 'Deposit', TRAN_BODY,
    { payment: DEPOSIT_PAYMENT_LINE, other: ACCOUNT_LINE, cashback: ACCOUNT_LINE },
    { copyable: false, requiresLines: ['payment', 'other', 'cashback'] }),
  transaction('inventorytransfer', 'Inventory Transfer', 'InvTrnfr', { ...TRAN_BODY, transferlocation: 'select' },
    { inventory: INVENTORY_LINE }, { requiresLines: ['inventory'] }),
  transaction('inventoryadjustment', 'Inventory Adjustment', 'InvAdjst', { ...TRAN_BODY, adjlocation: 'select' },
    { inventory: INVENTORY_LINE }, { requiresLines: ['inventory'] }),
];

for (const def of DEFS) {
  if (def.family !== 'transaction') continue;
  if (SALES_ITEM_TYPES.includes(def.type)) {
    def.mandatory = { entity: 'Customer' };
    def.requiresLines = ['item'];
  }
  if (['customerdeposit', 'customerpayment', 'customerrefund', 'depositapplication'].includes(def.type)) {
    def.mandatory = { customer: 'Customer' };
  }
  if (def.type === 'customerdeposit') def.mandatory.payment = 'Payment Amount';
  if (def.type === 'itemfulfillment' || def.type === 'itemreceipt') {
    def.mandatory = { createdfrom: 'Created From' };
    def.requiresLines = ['item'];
  }
  if (def.type === 'deposit') def.mandatory = { account: 'Account' };
  if (def.type === 'inventoryadjustment') def.mandatory = { account: 'Adjustment Account' };
  if (def.type === 'inventorytransfer') def.mandatory = { location: 'From Location', transferlocation: 'To Location' };
  def.lineSublist = Object.keys(def.sublists)[0];
}

export const STANDARD_TYPES: ReadonlyMap<string, RecordTypeDef> = new Map(DEFS.map((d) => [d.type, d]));

export const ITEM_TYPES = ['inventoryitem', 'noninventoryitem', 'otherchargeitem', 'discountitem', 'serviceitem'];

/** Item types whose lines are fulfilled and received (others are billed only). */
export const FULFILLABLE_ITEM_TYPES = ['inventoryitem', 'noninventoryitem'];

/** Search types that span several record types. */
export const SEARCH_FAMILIES: Readonly<Record<string, Family>> = { transaction: 'transaction', item: 'item' };

/** Custom field prefixes and the families they apply to (SDF: custbody_, custcol_, custentity_, custitem_). */
export const CUSTOM_FIELD_PREFIX: Readonly<Record<string, 'transactionbody' | 'transactioncolumn' | 'entity' | 'item'>> = {
  custbody: 'transactionbody', custcol: 'transactioncolumn', custentity: 'entity', custitem: 'item',
};

/** SDF custom field type -> field kind. */
export function kindOfSdfType(fieldType: string): FieldKind {
  switch (fieldType.toUpperCase()) {
    case 'CHECKBOX': return 'checkbox';
    case 'CURRENCY': return 'currency';
    case 'DATE': case 'DATETIME': case 'DATETIMETZ': return 'date';
    case 'INTEGER': return 'integer';
    case 'FLOAT': case 'PERCENT': return 'float';
    case 'SELECT': return 'select';
    case 'MULTISELECT': return 'multiselect';
    default: return 'text';
  }
}
