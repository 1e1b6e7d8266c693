/**
 * Limits of the bundle's RESTlet API, shared by the RESTlet (which enforces them) and the middleware (which keeps
 * its batches inside them). NetSuite's own limits are in reference/netsuite-platform.md 1.2 and 1.4.
 */

/** Governance units of one RESTlet execution (reference 1.2). */
export const RESTLET_UNIT_LIMIT = 5000;

/** Wall-clock limit of one RESTlet execution is 300 s (reference 1.2); the batch stops well before it. */
export const RESTLET_TIME_BUDGET_MS = 240_000;

/** Units kept back for answering (search for the reply, logging) when deciding whether another operation fits. */
export const UNIT_RESERVE = 20;

/** RESTlet input and output are guaranteed up to 10 MB per string (reference 1.4). */
export const RESTLET_PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** The middleware keeps each request body under this, leaving room for the (smaller) response. */
export const SAFE_REQUEST_BYTES = 4 * 1024 * 1024;

/** The RESTlet stops adding lookup values to its answer past this many bytes (the op fails, nothing is cut). */
export const SAFE_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Operations in one batch call. Governance usually stops a batch of writes long before this. */
export const MAX_OPERATIONS_PER_BATCH = 500;

/** Item lines in one create or transform. */
export const MAX_ITEM_LINES = 500;

/** SKUs in one itemsBySku lookup (one search page). */
export const MAX_SKUS_PER_LOOKUP = 1000;

/** Columns in one lookup. */
export const MAX_LOOKUP_COLUMNS = 50;

/** Outbox events per pull, and the default. */
export const MAX_OUTBOX_PULL = 1000;
export const DEFAULT_OUTBOX_PULL = 100;

/** Outbox ids per ack (2 units each: 2,000 units at most). */
export const MAX_OUTBOX_ACK = 1000;

/** Longest string field value accepted (NetSuite's long text fields hold up to 1,000,000 characters). */
export const MAX_STRING_VALUE = 1_000_000;

/** NetSuite externalId length the bundle accepts. */
export const MAX_EXTERNAL_ID = 255;
