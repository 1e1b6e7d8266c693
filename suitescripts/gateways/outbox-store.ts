/**
 * Gateway to the outbox custom record (customrecord_lb_outbox).
 * Writing one event costs 6 units: record.create (2) + save (4) for a custom record; acknowledging one 2
 * (submitFields); deleting one 4 (record.delete).
 */
import * as format from 'N/format';
import * as record from 'N/record';
import * as search from 'N/search';
import type { OutboxEvent, OutboxEventKind } from '../../core/contracts/outbox';
import type { PulledOutboxEvent } from '../../core/contracts/restlet';

export const OUTBOX_RECORD = 'customrecord_lb_outbox';
export const OUTBOX_FIELDS = {
  recordType: 'custrecord_lb_ob_rectype',
  recordId: 'custrecord_lb_ob_recid',
  event: 'custrecord_lb_ob_event',
  occurredAt: 'custrecord_lb_ob_time',
  status: 'custrecord_lb_ob_status',
  /** The date the event was acknowledged (delivered); the purge's retention counts from it. */
  ackedOn: 'custrecord_lb_ob_acked',
} as const;

export const OUTBOX_STATUS = { pending: 'pending', delivered: 'delivered' } as const;

export function appendEvent(event: OutboxEvent): string {
  const rec = record.create({ type: OUTBOX_RECORD });
  rec.setValue({ fieldId: 'name', value: `${event.recordType}:${event.recordId}:${event.event}` });
  rec.setValue({ fieldId: OUTBOX_FIELDS.recordType, value: event.recordType });
  rec.setValue({ fieldId: OUTBOX_FIELDS.recordId, value: event.recordId });
  rec.setValue({ fieldId: OUTBOX_FIELDS.event, value: event.event });
  rec.setValue({ fieldId: OUTBOX_FIELDS.occurredAt, value: event.occurredAt });
  rec.setValue({ fieldId: OUTBOX_FIELDS.status, value: OUTBOX_STATUS.pending });
  return String(rec.save());
}

/**
 * A search over delivered events acknowledged on or before `cutoff` (a date), oldest first: the purge's input.
 * Delivered events without an acknowledgement date (marked by a bundle version before the date existed) match
 * too. Pending events never match.
 */
export function deliveredOnOrBeforeSearch(cutoff: Date): search.Search {
  return search.create({
    type: OUTBOX_RECORD,
    filters: [
      [OUTBOX_FIELDS.status, search.Operator.IS, OUTBOX_STATUS.delivered],
      'AND',
      [
        [OUTBOX_FIELDS.ackedOn, search.Operator.ONORBEFORE, format.format({ value: cutoff, type: format.Type.DATE })],
        'OR',
        [OUTBOX_FIELDS.ackedOn, search.Operator.ISEMPTY, ''],
      ],
    ],
    columns: [search.createColumn({ name: 'internalid', sort: search.Sort.ASC })],
  });
}

/** Deletes one outbox entry (4 units); false when it is already gone (a rerun, or another purge got there). */
export function deleteEventIfExists(outboxId: string): boolean {
  try {
    record.delete({ type: OUTBOX_RECORD, id: outboxId });
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

function isMissing(e: unknown): boolean {
  const name = (e as { name?: unknown }).name;
  return name === 'RCRD_DSNT_EXIST' || name === 'SSS_INVALID_RECORD_ID' || name === 'INVALID_KEY_OR_REF';
}

/** Marks an event delivered and dates the acknowledgement (submitFields on a custom record: 2 units). */
export function markDelivered(outboxId: string, now: Date = new Date()): void {
  record.submitFields({
    type: OUTBOX_RECORD,
    id: outboxId,
    values: {
      [OUTBOX_FIELDS.status]: OUTBOX_STATUS.delivered,
      [OUTBOX_FIELDS.ackedOn]: format.format({ value: now, type: format.Type.DATE }),
    },
  });
}

/** markDelivered that answers false for an id that is not an outbox record (RCRD_DSNT_EXIST). */
export function markDeliveredIfExists(outboxId: string): boolean {
  try {
    markDelivered(outboxId);
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/** Up to `count` pending events with an internal id above `after`, oldest first (one search page: 10 units). */
export function readPendingAfter(after: string, count: number): PulledOutboxEvent[] {
  const rows = search
    .create({
      type: OUTBOX_RECORD,
      filters: [
        [OUTBOX_FIELDS.status, search.Operator.IS, OUTBOX_STATUS.pending],
        'AND',
        ['internalidnumber', search.Operator.GREATERTHAN, Number(after)],
      ],
      columns: [
        search.createColumn({ name: 'internalid', sort: search.Sort.ASC }),
        OUTBOX_FIELDS.recordType,
        OUTBOX_FIELDS.recordId,
        OUTBOX_FIELDS.event,
        OUTBOX_FIELDS.occurredAt,
      ],
    })
    .run()
    .getRange({ start: 0, end: count });
  return rows.map((row) => ({
    id: String(row.id),
    recordType: String(row.getValue({ name: OUTBOX_FIELDS.recordType })),
    recordId: String(row.getValue({ name: OUTBOX_FIELDS.recordId })),
    event: String(row.getValue({ name: OUTBOX_FIELDS.event })) as OutboxEventKind,
    occurredAt: String(row.getValue({ name: OUTBOX_FIELDS.occurredAt })),
  }));
}
