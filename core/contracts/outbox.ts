/** Outbox events that the bundle's User Event records and the middleware pulls or receives. */

export type OutboxEventKind = 'create' | 'edit' | 'xedit' | 'delete';

export interface OutboxEvent {
  /** NetSuite record type, e.g. 'cashrefund'. */
  recordType: string;
  /** NetSuite internal id as a string. */
  recordId: string;
  event: OutboxEventKind;
  /** ISO-8601 time the change was saved. */
  occurredAt: string;
}
