/**
 * Decides whether a saved record becomes an outbox event, and builds it. Pure.
 */
import type { OutboxEvent, OutboxEventKind } from '../../core/contracts/outbox';

/** Value of custbody_lb_origin on records the integration itself writes (so their saves are not echoed back). */
export const INTEGRATION_ORIGIN = 'ledgerbridge';

const TRACKED_EVENTS: readonly string[] = ['create', 'edit', 'xedit', 'delete'];

export interface SavedRecordFacts {
  recordType: string;
  recordId: string;
  userEventType: string;
  /** custbody_lb_origin of the saved record ('' when absent). */
  origin: string;
  /** runtime.executionContext of the save ('RESTLET', 'USERINTERFACE' …). */
  executionContext: string;
  now: Date;
}

/** Execution contexts in which the integration writes records (through the bundle's RESTlet). */
const INTEGRATION_CONTEXTS: readonly string[] = ['RESTLET'];

/**
 * A save is the integration's own when the record carries the origin marker AND it happens where the integration
 * writes (its RESTlet). A person later editing that record in the UI (or a CSV import, a workflow) is a real
 * change the middleware must hear about, so the marker alone does not silence it. Inline edits (xedit) by
 * anyone else carry only the fields they change, so the marker is absent from them.
 */
export function isIntegrationWrite(origin: string, executionContext: string): boolean {
  return origin === INTEGRATION_ORIGIN && INTEGRATION_CONTEXTS.indexOf(executionContext) !== -1;
}

export function toOutboxEvent(facts: SavedRecordFacts): OutboxEvent | null {
  if (!TRACKED_EVENTS.includes(facts.userEventType)) return null;
  if (isIntegrationWrite(facts.origin, facts.executionContext)) return null;
  if (!facts.recordId) return null;
  return {
    recordType: facts.recordType,
    recordId: facts.recordId,
    event: facts.userEventType as OutboxEventKind,
    occurredAt: facts.now.toISOString(),
  };
}
