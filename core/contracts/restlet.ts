/**
 * Contracts of the bundle's RESTlet (customscript_lb_rl_api), shared by the SuiteScripts and the middleware.
 * Types only: the SuiteScripts import this file with `import type`, so nothing of it ships to NetSuite.
 *
 * One versioned API: every request is a JSON object `{ action, apiVersion? }`. A request the RESTlet handles
 * itself always answers HTTP 200: `{ ok: true, … }` or `{ ok: false, error: { code, message } }`.
 * Writes go through `batch`: each operation gets its own result, in request order.
 */
import type { OutboxEvent } from './outbox';

/** NetSuite account features the bundle depends on, by feature id (runtime.isFeatureInEffect). */
export type BundleFeature = 'SERVERSIDESCRIPTING' | 'CUSTOMRECORDS';

interface Versioned {
  /** The API version the caller speaks; when present it must equal the bundle's (RESTLET_API_VERSION). */
  apiVersion?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// health

export interface HealthRequest extends Versioned {
  action: 'health';
}

export interface HealthResponse {
  ok: boolean;
  action: 'health';
  apiVersion: number;
  bundleVersion: string;
  accountId: string;
  /** Each required feature and whether it is enabled in the account. */
  features: Record<BundleFeature, boolean>;
  /** Features that are required but off; empty when ok. */
  missingFeatures: BundleFeature[];
  /** The RESTlet deployment's (non-secret) script parameters: id → value, null when not set. */
  configuration: Record<string, string | null>;
  /** Actions this bundle answers. */
  actions: RestletAction[];
  /** Optional behaviours this bundle understands (absent on older bundles): 'lookupFirst' (WriteRetryHint). */
  capabilities?: RestletCapability[];
}

/** 'lookupFirst': WriteRetryHint. 'read': the batch's `read` operation (ReadOperation). 'billing': BillingOperation. */
export type RestletCapability = 'lookupFirst' | 'read' | 'billing';

// ---------------------------------------------------------------------------------------------------------------
// values

/** A date field value (trandate …): calendar date, no time zone. */
export interface DateValue {
  date: string; // YYYY-MM-DD
}

/**
 * A body or line field value as sent: select fields take internal ids as strings, checkboxes booleans, money a
 * decimal string ("12.30") — never a float computed by the caller — and dates a DateValue.
 */
export type FieldValue = string | number | boolean | null | string[] | DateValue;

export type FieldValues = Record<string, FieldValue>;

/** One item line, matched to a NetSuite item by SKU (the item's `itemid`). */
export interface ItemLineInput {
  sku: string;
  /** Positive quantity. */
  quantity: number;
  /** Unit price as a decimal string; NetSuite's price when absent (new lines) or the source line's (transforms). */
  rate?: string;
  /** Line amount as a decimal string; when given NetSuite keeps it instead of quantity × rate. */
  amount?: string;
  /** Other line fields (location, description, custcol_…). */
  values?: FieldValues;
}

/**
 * One line of a payment-like record's document list to apply (customer refund: `apply` lists credit memos and
 * payments, `deposit` lists customer deposits). The document by internal id and the amount to apply, a decimal
 * string. Lines not listed stay unapplied.
 */
export interface ApplyLineInput {
  sublist: 'apply' | 'deposit';
  docId: string;
  amount: string;
}

/** Which record an operation reads or targets. */
export type RecordRef =
  | { id: string }
  | { externalId: string }
  /** A configured lookup field, e.g. a body field holding the storefront's order id (custbody_…). */
  | { field: string; value: string };

// ---------------------------------------------------------------------------------------------------------------
// batch operations

interface OperationBase {
  /** The caller's id for this operation, unique within the batch; results carry it back. */
  opId: string;
}

/**
 * Creates a record with body fields and item lines, idempotently: a record of that type with that externalId
 * already there is returned instead (created: false). The bundle sets custbody_lb_origin on transactions.
 */
export interface CreateOperation extends OperationBase {
  kind: 'create';
  recordType: string;
  externalId: string;
  values?: FieldValues;
  items?: ItemLineInput[];
  /** Documents to apply (customer refund of a credit memo). */
  apply?: ApplyLineInput[];
  /** See WriteRetryHint.lookupFirst. */
  lookupFirst?: boolean;
}

/**
 * record.transform (cashsale→cashrefund, invoice→creditmemo, salesorder→cashsale …), idempotent by externalId.
 * When `items` is given the new record's item sublist becomes exactly those lines: lines of the source with a
 * listed SKU keep their NetSuite data (rate, tax) with the listed quantity (and rate/amount if given); other
 * source lines are removed; listed SKUs the source lacks are added (e.g. an adjustment item).
 */
export interface TransformOperation extends OperationBase {
  kind: 'transform';
  fromType: string;
  from: RecordRef;
  toType: string;
  externalId: string;
  values?: FieldValues;
  items?: ItemLineInput[];
  /** Documents to apply instead of NetSuite's default (e.g. a partial refund of a customer deposit). */
  apply?: ApplyLineInput[];
  /** See WriteRetryHint.lookupFirst. */
  lookupFirst?: boolean;
}

/**
 * How a create/transform checks its externalId. By default the RESTlet writes first (exactly the documented units)
 * and looks the externalId up (10 units) only when the write fails — a replay of a write that already committed
 * then pays for the failed attempt too (a cash sale with lines: 50 units instead of 10). A caller that suspects an
 * earlier attempt committed (it re-sends after a crash or an unknown outcome) sets `lookupFirst: true`: the RESTlet
 * searches by externalId first and answers the existing record (created: false) for 10 units, and otherwise
 * writes as usual (10 units more than without the hint). Either way a duplicate externalId is never written.
 * A bundle whose HealthResponse.capabilities lacks 'lookupFirst' (older bundles) refuses the property as an
 * unknown one (INVALID_OPERATION), so send it only to bundles that list it.
 */
export interface WriteRetryHint {
  lookupFirst?: boolean;
}

/** record.submitFields on body fields of an existing record (setting the same values twice is harmless). */
export interface SetFieldsOperation extends OperationBase {
  kind: 'setFields';
  recordType: string;
  target: RecordRef;
  values: FieldValues;
}

/** Finds one record by id, externalId or a lookup field, returning the requested body columns. */
export interface LookupOperation extends OperationBase {
  kind: 'lookup';
  recordType: string;
  by: RecordRef;
  columns?: string[];
}

/** Resolves SKUs (item `itemid`) to items. */
export interface ItemsBySkuOperation extends OperationBase {
  kind: 'itemsBySku';
  skus: string[];
}

/** Sublists a `read` can return. */
export type ReadableSublist = 'item';

/**
 * Loads one record by internal id (record.load: 10 units for a transaction, 5 for other standard records, 2 for a
 * custom record) and returns the requested body fields and sublists. With `sublists: ['item']` every item line
 * comes back with its item's SKU (the item's `itemid`, read by one search: 10 units more when there are lines).
 * A record that does not exist answers found: false. Bundles list 'read' in HealthResponse.capabilities; older
 * ones refuse the kind (INVALID_OPERATION).
 */
export interface ReadOperation extends OperationBase {
  kind: 'read';
  recordType: string;
  id: string;
  /** Body fields to return (value, and text for select fields). */
  fields?: string[];
  sublists?: ReadableSublist[];
}

/**
 * How a sales order was billed, in one search where the three lookups it replaces took three: its cash sale or
 * invoice (a transaction search on `createdfrom`, main lines; 10 units) and, only when it has neither, its
 * customer deposit (a second search on `salesorder`; 10 units more). More than one cash sale, invoice or deposit
 * for the order fails AMBIGUOUS_LOOKUP, as the lookups do. Bundles list 'billing' in HealthResponse.capabilities;
 * older ones refuse the kind (INVALID_OPERATION).
 */
export interface BillingOperation extends OperationBase {
  kind: 'billing';
  salesOrderId: string;
}

export type Operation = CreateOperation | TransformOperation | SetFieldsOperation | LookupOperation | ItemsBySkuOperation | ReadOperation | BillingOperation;
export type OperationKind = Operation['kind'];

export interface OperationError {
  code: RestletErrorCode;
  message: string;
  /** NetSuite's own error code when a NetSuite API call failed (RCRD_HAS_BEEN_CHANGED …). */
  netsuiteCode?: string;
  /** Whether sending the same operation again may succeed (a lock conflict) or never will (bad input). */
  retryable: boolean;
}

export interface WriteResult {
  opId: string;
  status: 'ok';
  kind: 'create' | 'transform' | 'setFields';
  recordType: string;
  id: string;
  /** create/transform: false when the externalId already existed and that record was returned. */
  created?: boolean;
}

export interface LookupResult {
  opId: string;
  status: 'ok';
  kind: 'lookup';
  recordType: string;
  found: boolean;
  id: string | null;
  /** Each requested column: its value, and its display text for select fields. */
  values: Record<string, { value: unknown; text?: string }>;
}

export interface ItemRef {
  id: string;
  /** NetSuite item record type (inventoryitem, noninventoryitem, …). */
  type: string;
}

export interface ItemsBySkuResult {
  opId: string;
  status: 'ok';
  kind: 'itemsBySku';
  items: Record<string, ItemRef>;
  missing: string[];
}

/** One item line as read: money as decimal strings exactly as NetSuite holds them, ids as strings. */
export interface ReadItemLine {
  /** 0-based line index. */
  line: number;
  itemId: string;
  /** The item's `itemid` (what this API calls a SKU); null when the item could not be read. */
  sku: string | null;
  quantity: number;
  rate: string | null;
  amount: string | null;
  /** Internal id of the line's location, null when the line has none. */
  location: string | null;
  description: string | null;
}

export interface ReadResult {
  opId: string;
  status: 'ok';
  kind: 'read';
  recordType: string;
  found: boolean;
  id: string | null;
  /** Each requested body field: its value, and its display text for select fields. */
  fields: Record<string, { value: unknown; text?: string }>;
  /** Present when requested (sublists: ['item']). */
  items?: ReadItemLine[];
}

export interface BillingResult {
  opId: string;
  status: 'ok';
  kind: 'billing';
  salesOrderId: string;
  /** The order's cash sale (it wins over an invoice, as it does in the lookups). */
  cashSale: { id: string } | null;
  /** The order's invoice and its open balance (a decimal string as NetSuite holds it). */
  invoice: { id: string; amountRemaining: string | null } | null;
  /** Read only when the order has no cash sale and no invoice: its customer deposit and the unapplied amount. */
  deposit: { id: string; unapplied: string | null } | null;
}

export interface FailedResult {
  opId: string;
  status: 'error';
  kind: OperationKind | 'unknown';
  error: OperationError;
}

/** The RESTlet stopped before this operation to stay within governance: send it again in another call. */
export interface NotAttemptedResult {
  opId: string;
  status: 'not_attempted';
  kind: OperationKind | 'unknown';
}

export type OperationResult = WriteResult | LookupResult | ItemsBySkuResult | ReadResult | BillingResult | FailedResult | NotAttemptedResult;

export interface BatchRequest extends Versioned {
  action: 'batch';
  operations: Operation[];
}

export interface BatchResponse {
  ok: true;
  action: 'batch';
  /** One per operation, in request order. */
  results: OperationResult[];
  /** True when the RESTlet stopped early (governance or time) and some results are not_attempted. */
  stoppedEarly: boolean;
  /** Units left when the RESTlet answered (of 5,000). */
  unitsRemaining: number;
}

// ---------------------------------------------------------------------------------------------------------------
// outbox

/**
 * Pending (unacknowledged) outbox events with an internal id above `after`, oldest first; acknowledged events are
 * never returned. A sweep starts at after = "0" and pages with nextCursor while `more` is true.
 *
 * The contract the middleware relies on:
 * - Restart at "0" on a schedule. NetSuite internal ids are not strictly in commit order: an event whose save
 *   committed late can carry an id below a cursor already passed, and a pull from that cursor never returns it.
 *   Events stay pending until acknowledged, so a sweep from "0" returns every one of them, late ones included.
 *   Pulling from a stored cursor between restarts is an optimisation, not a guarantee.
 * - Acknowledge (outbox.ack) every event once it is finished with, including events a flow decides to skip
 *   (an edit or delete it does not act on, a record of an order it does not know). An unacknowledged event is
 *   returned by every sweep from "0" and is never purged.
 * - Acknowledged events are deleted by the purge Map/Reduce (customscript_lb_mr_outbox_purge) once the
 *   retention has passed (custscript_lb_purge_days, default 7 days, counted from the acknowledgement date).
 *   Acknowledging an id that no longer exists answers `not_found`: harmless on a repeat.
 * - Only record types a flow consumes are recorded (today cashrefund and creditmemo; the bundle's list is
 *   RECORDED_TYPES in suitescripts/domain/outbox-event.ts); `event` is create, edit, xedit or delete.
 * - NetSuite never calls the middleware: there is no push. The middleware pulls with its own NetSuite
 *   credentials.
 */
export interface OutboxPullRequest extends Versioned {
  action: 'outbox.pull';
  after: string;
  limit?: number;
}

export interface PulledOutboxEvent extends OutboxEvent {
  /** Internal id of the outbox record: the event's id and cursor position. */
  id: string;
}

export interface OutboxPullResponse {
  ok: true;
  action: 'outbox.pull';
  events: PulledOutboxEvent[];
  /** The id of the last event returned (or `after` when none): pass it as `after` for the next page. */
  nextCursor: string;
  /** Whether more pending events follow nextCursor (at the time of this pull). */
  more: boolean;
}

export interface OutboxAckRequest extends Versioned {
  action: 'outbox.ack';
  ids: string[];
}

export interface OutboxAckResponse {
  ok: true;
  action: 'outbox.ack';
  results: Array<{ id: string; status: 'acked' | 'not_found' | 'not_attempted' }>;
}

// ---------------------------------------------------------------------------------------------------------------
// envelope

/** Error codes the RESTlet answers itself. */
export type RestletErrorCode =
  | 'INVALID_BODY'
  | 'UNKNOWN_ACTION'
  | 'UNSUPPORTED_API_VERSION'
  | 'INVALID_REQUEST'
  | 'BATCH_TOO_LARGE'
  | 'DUPLICATE_OP_ID'
  | 'INVALID_OPERATION'
  | 'UNSUPPORTED_RECORD_TYPE'
  | 'UNSUPPORTED_TRANSFORM'
  | 'RECORD_NOT_FOUND'
  | 'AMBIGUOUS_LOOKUP'
  | 'UNKNOWN_SKU'
  | 'USAGE_LIMIT'
  | 'NETSUITE_ERROR'
  | 'INTERNAL_ERROR';

/** Every error the RESTlet answers itself (it always answers HTTP 200 with this shape on a handled error). */
export interface RestletError {
  ok: false;
  error: { code: RestletErrorCode; message: string };
}

export type RestletRequest = HealthRequest | BatchRequest | OutboxPullRequest | OutboxAckRequest;
export type RestletAction = RestletRequest['action'];
export type RestletResponse = HealthResponse | BatchResponse | OutboxPullResponse | OutboxAckResponse | RestletError;

/** The response type of each action, for typed clients. */
export interface RestletResponses {
  health: HealthResponse;
  batch: BatchResponse;
  'outbox.pull': OutboxPullResponse;
  'outbox.ack': OutboxAckResponse;
}
