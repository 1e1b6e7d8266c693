/**
 * Runs a validated batch within the RESTlet's governance: before each operation it checks that the operation's
 * worst case still fits in the remaining units and time; the first one that does not, and every one after it, is
 * answered `not_attempted` so the caller sends them again in another call. Pure: the I/O comes in as ports.
 */
import type { BatchResponse, FailedResult, Operation, OperationResult } from '../../core/contracts/restlet';
import type { ValidatedBatch } from '../../core/netsuite/restlet-api/validate';
import { worstCaseUnits } from '../../core/netsuite/restlet-api/governance';
import { RESTLET_TIME_BUDGET_MS, SAFE_RESPONSE_BYTES, UNIT_RESERVE } from '../../core/netsuite/restlet-api/limits';

export interface BatchPorts {
  /** runtime.getCurrentScript().getRemainingUsage() */
  remainingUsage(): number;
  /** Milliseconds since the RESTlet started. */
  elapsedMs(): number;
  /** Performs one operation; throws OperationFailure (or anything else) when it fails. */
  execute(op: Operation): OperationResult;
}

/** A failure an operation reports with a code of the API. */
export class OperationFailure extends Error {
  readonly result: FailedResult;
  constructor(result: FailedResult) {
    super(result.error.message);
    this.result = result;
  }
}

/** NetSuite error codes that may succeed when the same operation is sent again. */
const RETRYABLE_NETSUITE_CODES = ['RCRD_HAS_BEEN_CHANGED', 'RCRD_LOCKED_BY_WF', 'SSS_REQUEST_LIMIT_EXCEEDED', 'UNEXPECTED_ERROR'];

export function errorCodeOf(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const o = e as { name?: unknown; code?: unknown };
    if (typeof o.name === 'string' && /^[A-Z][A-Z0-9_]+$/.test(o.name)) return o.name;
    if (typeof o.code === 'string') return o.code;
  }
  return 'UNEXPECTED_ERROR';
}

function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
}

/** Maps anything an operation threw to its result. */
export function failureResult(op: Operation, e: unknown): FailedResult {
  if (e instanceof OperationFailure) return e.result;
  const netsuiteCode = errorCodeOf(e);
  if (netsuiteCode === 'SSS_USAGE_LIMIT_EXCEEDED') {
    return {
      opId: op.opId,
      status: 'error',
      kind: op.kind,
      error: { code: 'USAGE_LIMIT', message: 'The RESTlet ran out of governance units; send this operation again.', netsuiteCode, retryable: true },
    };
  }
  return {
    opId: op.opId,
    status: 'error',
    kind: op.kind,
    error: {
      code: 'NETSUITE_ERROR',
      message: messageOf(e),
      netsuiteCode,
      retryable: RETRYABLE_NETSUITE_CODES.indexOf(netsuiteCode) !== -1,
    },
  };
}

export function runBatch(batch: ValidatedBatch, ports: BatchPorts): BatchResponse {
  const results: OperationResult[] = [];
  let stopped = false;
  let responseBytes = 0;
  for (const entry of batch.entries) {
    if ('failed' in entry) {
      results.push(entry.failed);
      continue;
    }
    const op = entry.op;
    if (!stopped) {
      const fits =
        ports.remainingUsage() - worstCaseUnits(op) >= UNIT_RESERVE &&
        ports.elapsedMs() < RESTLET_TIME_BUDGET_MS &&
        responseBytes < SAFE_RESPONSE_BYTES;
      if (!fits) stopped = true;
    }
    if (stopped) {
      results.push({ opId: op.opId, status: 'not_attempted', kind: op.kind });
      continue;
    }
    let result: OperationResult;
    try {
      result = ports.execute(op);
    } catch (e) {
      result = failureResult(op, e);
      // Past the unit limit NetSuite refuses every further call: stop here.
      if (result.status === 'error' && result.error.code === 'USAGE_LIMIT') stopped = true;
    }
    responseBytes += JSON.stringify(result).length;
    results.push(result);
  }
  return {
    ok: true,
    action: 'batch',
    results,
    stoppedEarly: results.some((r) => r.status === 'not_attempted'),
    unitsRemaining: ports.remainingUsage(),
  };
}
