import type { Operation, OperationResult } from '../../../core/contracts/restlet';
import { floorUnits, worstCaseUnits } from '../../../core/netsuite/restlet-api/governance';
import { RESTLET_UNIT_LIMIT, UNIT_RESERVE } from '../../../core/netsuite/restlet-api/limits';
import type { ValidatedBatch } from '../../../core/netsuite/restlet-api/validate';
import { OperationFailure, failureResult, runBatch } from '../../../suitescripts/domain/batch';

function createOp(i: number): Operation {
  return { opId: `op${i}`, kind: 'create', recordType: 'cashrefund', externalId: `e${i}`, items: [{ sku: 'A', quantity: 1 }] };
}

/** A meter that charges each executed operation a fixed number of units, like NetSuite would. */
function meter(unitsPerOp: number, start = RESTLET_UNIT_LIMIT) {
  let remaining = start;
  const executed: string[] = [];
  return {
    executed,
    ports: {
      remainingUsage: () => remaining,
      elapsedMs: () => 0,
      execute(op: Operation): OperationResult {
        remaining -= unitsPerOp;
        if (remaining < 0) throw Object.assign(new Error('Script Execution Usage Limit Exceeded'), { name: 'SSS_USAGE_LIMIT_EXCEEDED' });
        executed.push(op.opId);
        return { opId: op.opId, status: 'ok', kind: 'create', recordType: 'cashrefund', id: String(executed.length), created: true };
      },
    },
  };
}

const batch = (ops: Operation[]): ValidatedBatch => ({ action: 'batch', entries: ops.map((op) => ({ op })) });

describe('governance estimates', () => {
  it('prices a transaction create with lines at SKU search + create + save (+ the lookup a failed save runs)', () => {
    expect(floorUnits(createOp(1))).toBe(10 + 10 + 20);
    expect(worstCaseUnits(createOp(1))).toBe(50);
  });

  it('prices custom records and references by their own costs', () => {
    expect(worstCaseUnits({ opId: 'a', kind: 'setFields', recordType: 'customrecord_x', target: { id: '1' }, values: { name: 'n' } })).toBe(2);
    expect(worstCaseUnits({ opId: 'a', kind: 'setFields', recordType: 'cashrefund', target: { externalId: 'x' }, values: { memo: 'n' } })).toBe(20);
    expect(worstCaseUnits({ opId: 'a', kind: 'transform', fromType: 'cashsale', from: { id: '1' }, toType: 'cashrefund', externalId: 'x' })).toBe(40);
    expect(worstCaseUnits({ opId: 'a', kind: 'lookup', recordType: 'salesorder', by: { externalId: 'x' } })).toBe(10);
  });
});

describe('runBatch', () => {
  it('runs every operation when the units suffice, each with its own result', () => {
    const m = meter(40);
    const response = runBatch(batch([createOp(1), createOp(2)]), m.ports);
    expect(response.stoppedEarly).toBe(false);
    expect(response.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(response.unitsRemaining).toBe(RESTLET_UNIT_LIMIT - 80);
  });

  it('stops before governance runs out and answers the rest not_attempted', () => {
    const m = meter(50);
    const ops = Array.from({ length: 150 }, (_, i) => createOp(i));
    const response = runBatch(batch(ops), m.ports);
    const attempted = response.results.filter((r) => r.status === 'ok').length;
    // 5,000 units, worst case 50 per op, 20 held back: 99 fit, the 100th would cross the reserve.
    expect(attempted).toBe(Math.floor((RESTLET_UNIT_LIMIT - UNIT_RESERVE) / 50));
    expect(response.stoppedEarly).toBe(true);
    expect(response.results.slice(attempted).every((r) => r.status === 'not_attempted')).toBe(true);
    expect(response.results.map((r) => r.opId)).toEqual(ops.map((o) => o.opId));
    expect(response.unitsRemaining).toBeGreaterThanOrEqual(UNIT_RESERVE);
  });

  it('stops when the time budget is spent', () => {
    const m = meter(1);
    let elapsed = 0;
    const response = runBatch(batch([createOp(1), createOp(2)]), {
      ...m.ports,
      elapsedMs: () => elapsed,
      execute: (op) => {
        elapsed = 250_000;
        return m.ports.execute(op);
      },
    });
    expect(response.results.map((r) => r.status)).toEqual(['ok', 'not_attempted']);
  });

  it('reports failures per operation and keeps going', () => {
    const m = meter(10);
    const response = runBatch(batch([createOp(1), createOp(2), createOp(3)]), {
      ...m.ports,
      execute: (op) => {
        if (op.opId === 'op2') throw Object.assign(new Error('Record has been changed'), { name: 'RCRD_HAS_BEEN_CHANGED' });
        if (op.opId === 'op3') {
          throw new OperationFailure({ opId: op.opId, status: 'error', kind: 'create', error: { code: 'UNKNOWN_SKU', message: 'No item with SKU "A".', retryable: false } });
        }
        return m.ports.execute(op);
      },
    });
    expect(response.results[1]).toEqual({
      opId: 'op2',
      status: 'error',
      kind: 'create',
      error: { code: 'NETSUITE_ERROR', message: 'Record has been changed', netsuiteCode: 'RCRD_HAS_BEEN_CHANGED', retryable: true },
    });
    expect(response.results[2]).toMatchObject({ status: 'error', error: { code: 'UNKNOWN_SKU', retryable: false } });
    expect(response.stoppedEarly).toBe(false);
  });

  it('after an unexpected usage-limit error, stops instead of failing every later operation', () => {
    const m = meter(3000);
    const response = runBatch(batch([createOp(1), createOp(2), createOp(3)]), m.ports);
    expect(response.results.map((r) => r.status)).toEqual(['ok', 'error', 'not_attempted']);
    expect(response.results[1]).toMatchObject({ error: { code: 'USAGE_LIMIT', retryable: true } });
  });

  it('passes validation failures through in place', () => {
    const failed = failureResult(createOp(9), new Error('boom'));
    const response = runBatch({ action: 'batch', entries: [{ failed }, { op: createOp(1) }] }, meter(40).ports);
    expect(response.results.map((r) => r.opId)).toEqual(['op9', 'op1']);
    expect(response.results[0]).toMatchObject({ status: 'error', error: { code: 'NETSUITE_ERROR', netsuiteCode: 'UNEXPECTED_ERROR' } });
  });
});
