/**
 * Decides whether a saved record becomes an outbox event, and builds it. Pure.
 */
import type { OutboxEvent, OutboxEventKind } from '../../core/contracts/outbox';

/**
 * Prefix of custbody_lb_origin on records the integration itself writes (so their saves are not echoed back).
 * Each write stamps a fresh value, `ledgerbridge:<time>:<random>` (integrationOriginStamp); older bundles wrote
 * the bare prefix.
 */
export const INTEGRATION_ORIGIN = 'ledgerbridge';

const TRACKED_EVENTS: readonly string[] = ['create', 'edit', 'xedit', 'delete'];

/**
 * The record types the outbox records: only those a middleware flow consumes. A new flow that reads another
 * record type adds it here AND adds a deployment of customscript_lb_ue_outbox for it (src/Objects; a unit test
 * checks the two agree). Saves of any other type record nothing, even where a deployment exists.
 */
export const RECORDED_TYPES: readonly { recordType: string; consumer: string }[] = [
  { recordType: 'cashrefund', consumer: 'refunds, NetSuite -> storefront (a cash refund becomes the cart refund)' },
  { recordType: 'creditmemo', consumer: 'refunds, NetSuite -> storefront (a credit memo becomes the cart refund)' },
];

export function isRecordedType(recordType: string): boolean {
  const t = recordType.toLowerCase();
  return RECORDED_TYPES.some((r) => r.recordType === t);
}

export interface SavedRecordFacts {
  recordType: string;
  recordId: string;
  userEventType: string;
  /** custbody_lb_origin of the saved record ('' when absent; for xedit only when this save set it). */
  origin: string;
  /**
   * custbody_lb_origin before this save: the old record's value, '' on create. When omitted the marker alone
   * (with the execution context) decides, as before per-write stamps existed.
   */
  previousOrigin?: string;
  /** runtime.executionContext of the save ('RESTLET', 'USERINTERFACE' …). */
  executionContext: string;
  now: Date;
}

/** Execution contexts in which the integration writes records (through the bundle's RESTlet). */
const INTEGRATION_CONTEXTS: readonly string[] = ['RESTLET'];

/** A fresh origin stamp for one write by the RESTlet: never equal to the stamp of an earlier write. */
export function integrationOriginStamp(now: Date, random: () => number = Math.random): string {
  return `${INTEGRATION_ORIGIN}:${now.getTime().toString(36)}:${Math.floor(random() * 2 ** 32).toString(36)}`;
}

export function isIntegrationOrigin(origin: string): boolean {
  return origin === INTEGRATION_ORIGIN || origin.indexOf(`${INTEGRATION_ORIGIN}:`) === 0;
}

/**
 * A save is the integration's own when all three hold:
 * - it carries the integration's origin stamp,
 * - THIS save set that stamp (it differs from the value before the save: the RESTlet stamps every create,
 *   transform and setFields afresh), and
 * - it runs where the integration writes (a RESTlet context).
 * So a person later editing an integration-written record in the UI (context USERINTERFACE), a CSV import or a
 * workflow is heard; and so is ANOTHER integration's RESTlet loading and saving that record, because the stored
 * stamp it carries along is unchanged — the marker alone, or marker + RESTLET context, would silence that edit.
 * Inline edits (xedit) carry only the fields they set, so anyone else's has no stamp at all.
 * Known blind spot (documented, accepted): another script that copies an integration-written record inside a
 * RESTlet carries the stamp into a new record and is taken for the integration's own write.
 */
export function isIntegrationWrite(origin: string, executionContext: string, previousOrigin?: string): boolean {
  if (!isIntegrationOrigin(origin)) return false;
  if (INTEGRATION_CONTEXTS.indexOf(executionContext) === -1) return false;
  return previousOrigin === undefined || origin !== previousOrigin;
}

export function toOutboxEvent(facts: SavedRecordFacts): OutboxEvent | null {
  if (!TRACKED_EVENTS.includes(facts.userEventType)) return null;
  if (!isRecordedType(facts.recordType)) return null;
  if (isIntegrationWrite(facts.origin, facts.executionContext, facts.previousOrigin)) return null;
  if (!facts.recordId) return null;
  return {
    recordType: facts.recordType,
    recordId: facts.recordId,
    event: facts.userEventType as OutboxEventKind,
    occurredAt: facts.now.toISOString(),
  };
}
