/**
 * The outbox actions' pure parts: paging pulled events into a response and the ack loop within governance.
 */
import type { OutboxAckResponse, OutboxPullResponse, PulledOutboxEvent } from '../../core/contracts/restlet';
import { LOAD_UNITS } from '../../core/netsuite/restlet-api/governance';
import { UNIT_RESERVE } from '../../core/netsuite/restlet-api/limits';

/**
 * Builds the pull answer from up to limit + 1 events read after the cursor (the extra one only tells whether
 * more follow).
 */
export function pullResponse(after: string, limit: number, read: readonly PulledOutboxEvent[]): OutboxPullResponse {
  const events = read.slice(0, limit);
  const last = events[events.length - 1];
  return { ok: true, action: 'outbox.pull', events, nextCursor: last ? last.id : after, more: read.length > limit };
}

export interface AckPorts {
  remainingUsage(): number;
  /** Marks one outbox record delivered; false when it does not exist. */
  markDelivered(id: string): boolean;
}

/** Acknowledges ids while the units last (submitFields on a custom record: 2 units each). */
export function ackEvents(ids: readonly string[], ports: AckPorts): OutboxAckResponse {
  const results: OutboxAckResponse['results'] = [];
  let stopped = false;
  for (const id of ids) {
    if (!stopped && ports.remainingUsage() - LOAD_UNITS.custom < UNIT_RESERVE) stopped = true;
    if (stopped) {
      results.push({ id, status: 'not_attempted' });
      continue;
    }
    results.push({ id, status: ports.markDelivered(id) ? 'acked' : 'not_found' });
  }
  return { ok: true, action: 'outbox.ack', results };
}
