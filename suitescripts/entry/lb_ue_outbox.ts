/**
 * @NApiVersion 2.1
 * @NScriptType UserEventScript
 * @NModuleScope SameAccount
 */

import type { EntryPoints } from 'N/types';
import { toOutboxEvent } from '../domain/outbox-event';
import { executionContext } from '../gateways/account';
import { appendEvent } from '../gateways/outbox-store';
import { originOf } from '../gateways/origin';

// Records a compact outbox event when a tracked record is saved. No outbound HTTP here: the Map/Reduce
// (customscript_lb_mr_outbox_push) or the middleware's pull delivers it. Cost: 6 units per save (custom record
// create 2 + save 4); reading the context and fields (new and old record) is free. The integration's own writes
// are skipped by the rule in domain/outbox-event.ts (isIntegrationWrite).

export const afterSubmit: EntryPoints.UserEvent.afterSubmit = (context) => {
  const rec = context.type === context.UserEventType.DELETE ? context.oldRecord : context.newRecord;
  if (!rec) return;
  const event = toOutboxEvent({
    recordType: rec.type,
    recordId: String(rec.id ?? ''),
    userEventType: String(context.type),
    origin: originOf(context.newRecord ?? rec),
    // The stamp before this save: an integration write changes it, anyone else's save carries it unchanged.
    previousOrigin: context.oldRecord ? originOf(context.oldRecord) : '',
    executionContext: executionContext(),
    now: new Date(),
  });
  if (event) appendEvent(event);
};
