/**
 * The seam between the record engine (emulator/records) and the script runtime (emulator/runtime).
 *
 * The record engine is the local account's database: plain record data, NetSuite's record rules (transforms,
 * totals, statuses, apply sublists, inventory, externalId uniqueness, dependent-record delete blocking, optimistic
 * locking) and searches. It knows nothing of scripts, governance or user events: the runtime's N/record and
 * N/search modules wrap it, charge units and fire user events around save/delete/submitFields.
 */

/** A field value as SuiteScript sees it. Select fields hold internal ids as strings; checkboxes booleans. */
export type FieldValue = string | number | boolean | Date | null | string[];

export type LineData = Record<string, FieldValue>;

export interface RecordData {
  /** record.Type string ('salesorder', 'customer') or a custom record's scriptid ('customrecord_lb_outbox'). */
  type: string;
  /** Internal id as a string; null until first saved. */
  id: string | null;
  /** Body fields, including 'externalid', 'entity', 'status', 'total', 'createdfrom' … */
  fields: Record<string, FieldValue>;
  /** Sublists by id ('item', 'apply', 'deposit', 'payment', 'inventory' …), each an array of lines. */
  sublists: Record<string, LineData[]>;
  /** Optimistic-lock version: 0 for a new record, incremented by every save. */
  version: number;
}

/** Governance category of a record type (reference/netsuite-platform.md 1.1). */
export type RecordCategory = 'transaction' | 'custom' | 'other';

/** An error NetSuite reports with a code (RCRD_DSNT_EXIST, DUP_RCRD …). The runtime turns it into SuiteScriptError. */
export class NsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
    this.code = code;
  }
}

/** A search filter in NetSuite's own shapes: an expression array or Filter-like objects. */
export type FilterExpression = unknown[];

export interface SearchColumnSpec {
  name: string;
  join?: string;
  summary?: 'GROUP' | 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';
  sort?: 'ASC' | 'DESC' | 'NONE';
  label?: string;
  formula?: string;
}

export interface SearchQuery {
  type: string;
  /** Either an expression (`[['status','anyof','A'],'AND',[…]]`) or a list of {name, join?, operator, values}. */
  filters: FilterExpression;
  columns: SearchColumnSpec[];
}

/** One result row: values keyed by column name (or `join.name`); select columns carry text too. */
export interface SearchRow {
  id: string;
  recordType: string;
  values: Record<string, { value: FieldValue; text?: string }>;
}

export interface CustomFieldDefinition {
  id: string;
  /** SDF fieldtype: TEXT, INTEGER, CURRENCY, CHECKBOX, SELECT, DATE … */
  fieldType: string;
  mandatory?: boolean;
  defaultValue?: string;
}

export interface CustomRecordTypeDefinition {
  scriptid: string;
  fields: CustomFieldDefinition[];
}

export interface SaveOptions {
  ignoreMandatoryFields?: boolean;
  enableSourcing?: boolean;
}

export interface RecordEngine {
  readonly accountId: string;
  isKnownType(type: string): boolean;
  /** Throws NsError('SSS_INVALID_RECORD_TYPE') for an unknown type. */
  category(type: string): RecordCategory;
  /** A new, unsaved record with the type's defaults (and any defaultValues NetSuite allows). */
  newRecord(type: string, defaultValues?: Record<string, FieldValue>): RecordData;
  /** A deep copy of the stored record; NsError('RCRD_DSNT_EXIST') when absent. */
  load(type: string, id: string): RecordData;
  copy(type: string, id: string): RecordData;
  /** Only the transform pairs of reference 5.2; others throw. The result is unsaved, with createdfrom set. */
  transform(fromType: string, fromId: string, toType: string, defaultValues?: Record<string, FieldValue>): RecordData;
  /** Validates, computes totals/statuses/balances/inventory, stores; returns the id. */
  save(record: RecordData, options?: SaveOptions): string;
  delete(type: string, id: string): void;
  /** Sets body fields on a stored record without loading sublists; returns the id. */
  submitFields(type: string, id: string, values: Record<string, FieldValue>, options?: SaveOptions): string;
  findByExternalId(type: string, externalId: string): string | null;
  search(query: SearchQuery): SearchRow[];
  lookupFields(type: string, id: string, columns: string[]): Record<string, unknown>;
  /** The display text of a select field's value (entity name, item name, status text …). */
  textOf(type: string, fieldId: string, value: FieldValue): string;
  registerCustomRecordType(def: CustomRecordTypeDefinition): void;
  registerCustomField(def: CustomFieldDefinition & { appliesTo: 'transactionbody' | 'transactioncolumn' | 'entity' | 'item' }): void;
  /**
   * NetSuite's sourcing after a body field change (returns a new record): setting `entity`/`customer` sources the
   * customer's currency and, on customerrefund/customerpayment/creditmemo, lists the open documents in `apply`
   * (and `deposit`) with apply = false, as the UI and dynamic mode do.
   */
  sourceField?(record: RecordData, fieldId: string): RecordData;
  /**
   * The value Record.setText stores for a display text: for a select field the internal id of the record with that
   * name (customer, item/SKU, location, account, currency, transaction 'Sales Order #12'); NsError
   * INVALID_FLD_VALUE when no record has that name. Other fields keep the text.
   */
  valueOfText?(type: string, fieldId: string, text: string | string[], sublistId?: string): FieldValue;
  /** The kind of a field ('checkbox', 'currency', 'date', 'select', 'float' …) for value conversions; see quirks.ts. */
  fieldKind?(type: string, fieldId: string, sublistId?: string): string | undefined;
  /** Stock of an inventory item at a location: on hand, and available (0 at a non-nettable location). */
  inventoryLevel?(itemId: string, locationId: string): { onHand: number; available: number };
  /** Internal id of the base currency (USD) and of a currency by ISO code. */
  baseCurrencyId?(): string;
  currencyId?(symbol: string): string | null;
}
