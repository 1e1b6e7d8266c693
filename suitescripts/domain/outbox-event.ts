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
  now: Date;
}

export function toOutboxEvent(facts: SavedRecordFacts): OutboxEvent | null {
  if (!TRACKED_EVENTS.includes(facts.userEventType)) return null;
  if (facts.origin === INTEGRATION_ORIGIN) return null;
  if (!facts.recordId) return null;
  return {
    recordType: facts.recordType,
    recordId: facts.recordId,
    event: facts.userEventType as OutboxEventKind,
    occurredAt: facts.now.toISOString(),
  };
}
