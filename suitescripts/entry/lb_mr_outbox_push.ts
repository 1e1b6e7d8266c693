/**
 * @NApiVersion 2.1
 * @NScriptType MapReduceScript
 * @NModuleScope SameAccount
 */

import type { EntryPoints } from 'N/types';
import * as log from '../gateways/log';
import type { OutboxEvent, OutboxEventKind } from '../../core/contracts/outbox';
import { scriptParameter } from '../gateways/account';
import { OUTBOX_FIELDS, markDelivered, pendingEventsSearch } from '../gateways/outbox-store';
import { pushEvent } from '../gateways/middleware-push';

// Pushes pending outbox events to the middleware and marks each delivered only after a 2xx.
// An event that fails stays pending: the next run, or the middleware's pull, picks it up.

interface SearchResultJson {
  id: string;
  values: Record<string, string | { value: string; text: string }>;
}

function text(values: SearchResultJson['values'], field: string): string {
  const v = values[field];
  return typeof v === 'object' && v !== null ? v.value : String(v ?? '');
}

export const getInputData: EntryPoints.MapReduce.getInputData = () => pendingEventsSearch();

export const map: EntryPoints.MapReduce.map = (context) => {
  const url = scriptParameter('custscript_lb_push_url');
  if (!url) {
    log.audit('outbox push skipped', 'custscript_lb_push_url is empty; events stay pending.');
    return;
  }
  const result = JSON.parse(context.value) as SearchResultJson;
  const event: OutboxEvent = {
    recordType: text(result.values, OUTBOX_FIELDS.recordType),
    recordId: text(result.values, OUTBOX_FIELDS.recordId),
    event: text(result.values, OUTBOX_FIELDS.event) as OutboxEventKind,
    occurredAt: text(result.values, OUTBOX_FIELDS.occurredAt),
  };
  const pushed = pushEvent(url, scriptParameter('custscript_lb_push_token'), result.id, event);
  if (!pushed.delivered) throw new Error(`middleware answered HTTP ${pushed.status} for outbox event ${result.id}`);
  markDelivered(result.id);
  context.write({ key: 'delivered', value: result.id });
};

export const summarize: EntryPoints.MapReduce.summarize = (summary) => {
  let delivered = 0;
  summary.output.iterator().each(() => {
    delivered += 1;
    return true;
  });
  let failed = 0;
  summary.mapSummary.errors.iterator().each((key, error) => {
    failed += 1;
    log.error(`outbox event ${key} not delivered`, error);
    return true;
  });
  log.audit('outbox push finished', `delivered ${delivered}, failed ${failed}`);
};
