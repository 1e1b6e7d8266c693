/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

import type { EntryPoints } from 'N/types';
import type { RestletResponse } from '../../core/contracts/restlet';
import { buildHealth } from '../domain/health';
import { accountId, isFeatureOn } from '../gateways/account';

// Ledgerbridge RESTlet API. Handled errors answer HTTP 200 with { ok: false, error: { code, message } }.

function dispatch(action: unknown): RestletResponse {
  if (action === 'health') return buildHealth(accountId(), isFeatureOn);
  return {
    ok: false,
    error: { code: 'UNKNOWN_ACTION', message: `Unknown action ${JSON.stringify(action)}; supported: health.` },
  };
}

export const get: EntryPoints.RESTlet.get = (params) => {
  const action = (params as { action?: unknown } | undefined)?.action ?? 'health';
  return JSON.stringify(dispatch(action));
};

export const post: EntryPoints.RESTlet.post = (body) => {
  if (typeof body !== 'object' || body === null) {
    return JSON.stringify({
      ok: false,
      error: { code: 'INVALID_BODY', message: 'Send a JSON object with an "action" (Content-Type: application/json).' },
    });
  }
  return JSON.stringify(dispatch((body as { action?: unknown }).action));
};
