/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

import type { EntryPoints } from 'N/types';
import type { Operation, OperationResult, RestletResponse } from '../../core/contracts/restlet';
import { validateRequest, type ValidatedRequest } from '../../core/netsuite/restlet-api/validate';
import { runBatch } from '../domain/batch';
import { buildHealth } from '../domain/health';
import { ackEvents, pullResponse } from '../domain/outbox-api';
import { accountId, isFeatureOn, remainingUsage, scriptParameter } from '../gateways/account';
import * as log from '../gateways/log';
import { markDeliveredIfExists, readPendingAfter } from '../gateways/outbox-store';
import { billingOf, createRecord, itemsBySku, lookupRecord, readRecord, setFields, transformRecord } from '../gateways/records';

// Ledgerbridge RESTlet API (contracts: core/contracts/restlet.ts). Handled errors answer HTTP 200 with
// { ok: false, error: { code, message } }; batch operations fail one by one inside an ok answer.

function execute(op: Operation): OperationResult {
  switch (op.kind) {
    case 'create':
      return createRecord(op);
    case 'transform':
      return transformRecord(op);
    case 'setFields':
      return setFields(op);
    case 'lookup':
      return lookupRecord(op);
    case 'itemsBySku':
      return itemsBySku(op.opId, op.skus);
    case 'read':
      return readRecord(op);
    case 'billing':
      return billingOf(op);
  }
}

function handle(request: ValidatedRequest, startedAt: number): RestletResponse {
  switch (request.action) {
    case 'health':
      return buildHealth(accountId(), isFeatureOn, scriptParameter);
    case 'batch':
      return runBatch(request, { remainingUsage, elapsedMs: () => Date.now() - startedAt, execute });
    case 'outbox.pull': {
      const limit = request.limit as number;
      return pullResponse(request.after, limit, readPendingAfter(request.after, limit + 1));
    }
    case 'outbox.ack':
      return ackEvents(request.ids, { remainingUsage, markDelivered: markDeliveredIfExists });
  }
}

function answer(body: unknown): string {
  const startedAt = Date.now();
  const validated = validateRequest(body);
  if (!validated.ok) return JSON.stringify({ ok: false, error: validated.error });
  try {
    return JSON.stringify(handle(validated.value, startedAt));
  } catch (e) {
    log.error('ledgerbridge api: unhandled error', e);
    const message = e instanceof Error ? e.message : String(e);
    return JSON.stringify({ ok: false, error: { code: 'INTERNAL_ERROR', message } });
  }
}

export const get: EntryPoints.RESTlet.get = (params) => {
  const action = (params as { action?: unknown } | undefined)?.action ?? 'health';
  // GET carries no body: only actions without arguments.
  if (action !== 'health') {
    return JSON.stringify({ ok: false, error: { code: 'UNKNOWN_ACTION', message: 'GET answers only action=health; POST the other actions.' } });
  }
  return answer({ action });
};

export const post: EntryPoints.RESTlet.post = (body) => answer(body);
