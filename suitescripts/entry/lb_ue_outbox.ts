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

// Records a compact outbox event when a record of a type a middleware flow consumes is saved (the list:
// RECORDED_TYPES in domain/outbox-event.ts; deployments in Objects/customscript_lb_ue_outbox.xml). No outbound
// HTTP here: the middleware pulls the outbox through the RESTlet. Cost: 6 units per recorded save (custom record
// create 2 + save 4), 0 for a save that records nothing; reading the context and fields (new and old record) is
// free. The integration's own writes are skipped by the rule in domain/outbox-event.ts (isIntegrationWrite).

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
