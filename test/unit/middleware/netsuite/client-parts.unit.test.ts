import type { Operation, OperationResult } from '../../../../core/contracts/restlet';
import { classifyResponse, fullJitterDelay, retryAfterMs } from '../../../../middleware/netsuite/backoff';
import { OperationQueue } from '../../../../middleware/netsuite/batcher';
import { createLocalBudget } from '../../../../middleware/netsuite/budget';
import { netsuiteErrorOf } from '../../../../middleware/netsuite/errors';

describe('full-jitter backoff', () => {
  const policy = { baseMs: 100, capMs: 1000 };
  it('draws uniformly below the capped exponential step', () => {
    expect(fullJitterDelay(1, policy, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, policy, () => 0.5)).toBe(200);
    expect(fullJitterDelay(10, policy, () => 0.999)).toBe(999);
    expect(fullJitterDelay(4, policy, () => 0)).toBe(0);
  });
});

describe('retry classification', () => {
  it.each([
    [400, '{"error":{"code":"SSS_REQUEST_LIMIT_EXCEEDED","message":"x"}}', { retry: true, reason: 'concurrency_limit' }],
    [429, '', { retry: true, reason: 'throttled' }],
    [503, '', { retry: true, reason: 'server_error' }],
    [400, '{"error":{"code":"SSS_USAGE_LIMIT_EXCEEDED","message":"x"}}', { retry: false }],
    [401, '', { retry: false }],
    [404, '', { retry: false }],
  ])('%s %s', (status, body, decision) => {
    expect(classifyResponse(status, body)).toEqual(decision);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(retryAfterMs(undefined)).toBeNull();
  });

  it('parses NetSuite error bodies in JSON and text forms', () => {
    expect(netsuiteErrorOf('{"error":{"code":"INVALID_LOGIN_ATTEMPT","message":"Invalid login attempt."}}')).toEqual({ code: 'INVALID_LOGIN_ATTEMPT', message: 'Invalid login attempt.' });
    expect(netsuiteErrorOf('error code: SSS_REQUEST_LIMIT_EXCEEDED\nerror message: too many')).toEqual({ code: 'SSS_REQUEST_LIMIT_EXCEEDED', message: 'too many' });
  });
});

describe('local budget', () => {
  it('lets at most `limit` holders in at once and hands slots on in order', async () => {
    const budget = createLocalBudget(2);
    const a = await budget.acquire();
    await budget.acquire();
    let third = false;
    const pending = budget.acquire().then((l) => {
      third = true;
      return l;
    });
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    await a.release();
    await pending;
    expect(third).toBe(true);
  });
});

describe('OperationQueue', () => {
  function recorder(delayMs = 0) {
    const batches: Operation[][] = [];
    return {
      batches,
      async runBatch(ops: Operation[]): Promise<OperationResult[]> {
        batches.push(ops);
        await new Promise((r) => setTimeout(r, delayMs));
        return ops.map((op) => ({ opId: op.opId, status: 'ok', kind: 'lookup', recordType: 'salesorder', found: false, id: null, values: {} }));
      },
    };
  }
  const lookup = (i: number) => ({ kind: 'lookup' as const, recordType: 'salesorder', by: { externalId: `o${i}` } });

  it('collects operations for maxWaitMs into one batch and answers each caller', async () => {
    const client = recorder();
    const queue = new OperationQueue({ client, maxOps: 50, maxWaitMs: 5 });
    const results = await Promise.all([queue.submit(lookup(1)), queue.submit(lookup(2)), queue.submit(lookup(3))]);
    expect(client.batches).toHaveLength(1);
    expect(client.batches[0]?.map((o) => (o as { by: { externalId: string } }).by.externalId)).toEqual(['o1', 'o2', 'o3']);
    expect(results.map((r) => r.opId)).toEqual(client.batches[0]?.map((o) => o.opId));
  });

  it('sends a full batch at once and grows batches while every slot is busy', async () => {
    const client = recorder(20);
    const queue = new OperationQueue({ client, maxOps: 3, maxWaitMs: 1000, maxInFlight: 1 });
    const all = Array.from({ length: 7 }, (_, i) => queue.submit(lookup(i)));
    await Promise.all(all);
    expect(client.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    await queue.drained();
  });

  it('keeps each batch under maxBytes', async () => {
    const client = recorder();
    const queue = new OperationQueue({ client, maxOps: 100, maxWaitMs: 1, maxBytes: 300 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => queue.submit(lookup(i))));
    for (const b of client.batches) expect(JSON.stringify(b).length).toBeLessThanOrEqual(300 + b.length);
    expect(client.batches.length).toBeGreaterThan(1);
  });

  it('rejects every caller of a batch whose call failed', async () => {
    const queue = new OperationQueue({ client: { runBatch: () => Promise.reject(new Error('down')) }, maxWaitMs: 1 });
    await expect(queue.submit(lookup(1))).rejects.toThrow('down');
  });
});

describe('OperationQueue groups (one sync record step each)', () => {
  function recorder(delayMs = 0) {
    const batches: Operation[][] = [];
    return {
      batches,
      async runBatch(ops: Operation[]): Promise<OperationResult[]> {
        batches.push(ops);
        await new Promise((r) => setTimeout(r, delayMs));
        return ops.map((op) => ({ opId: op.opId, status: 'ok', kind: 'lookup', recordType: 'salesorder', found: true, id: (op as { by: { externalId: string } }).by.externalId, values: {} }));
      },
    };
  }
  const group = (record: string, n: number): Operation[] =>
    Array.from({ length: n }, (_, i) => ({ opId: `step${i}`, kind: 'lookup' as const, recordType: 'salesorder', by: { externalId: `${record}:${i}` } }));

  it('several records share one call; each gets its own results, in its order, under its own opIds', async () => {
    const client = recorder();
    const queue = new OperationQueue({ client, maxOps: 50, maxWaitMs: 5 });
    const [a, b, c] = await Promise.all([queue.submitGroup(group('a', 3)), queue.submitGroup(group('b', 2)), queue.submitGroup(group('c', 1))]);
    expect(client.batches).toHaveLength(1);
    expect(client.batches[0]?.map((o) => (o as { by: { externalId: string } }).by.externalId)).toEqual(['a:0', 'a:1', 'a:2', 'b:0', 'b:1', 'c:0']);
    // Inside the call the opIds are unique; each caller gets its own back.
    expect(new Set(client.batches[0]?.map((o) => o.opId)).size).toBe(6);
    expect(a?.map((r) => [r.opId, r.status === 'ok' && r.kind === 'lookup' ? r.id : null])).toEqual([['step0', 'a:0'], ['step1', 'a:1'], ['step2', 'a:2']]);
    expect(b?.map((r) => r.opId)).toEqual(['step0', 'step1']);
    expect(c?.map((r) => r.status === 'ok' && r.kind === 'lookup' ? r.id : null)).toEqual(['c:0']);
    expect(queue.stats).toEqual({ calls: 1, operations: 6, groups: 3 });
  });

  it('never splits a group across calls: a group that does not fit waits for the next call; one larger than maxOps goes alone', async () => {
    const client = recorder(10);
    const queue = new OperationQueue({ client, maxOps: 4, maxWaitMs: 1000, maxInFlight: 1 });
    await Promise.all([queue.submitGroup(group('a', 3)), queue.submitGroup(group('b', 3)), queue.submitGroup(group('c', 6)), queue.submitGroup(group('d', 1))]);
    const records = client.batches.map((ops) => [...new Set(ops.map((o) => (o as { by: { externalId: string } }).by.externalId.split(':')[0]))]);
    expect(records).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(client.batches.map((ops) => ops.length)).toEqual([3, 3, 6, 1]);
  });

  it('answers each caller under its own opIds whatever the status of its results', async () => {
    const sent: Operation[][] = [];
    const direct = { runBatch: (ops: Operation[]) => { sent.push(ops); return Promise.resolve(ops.map((op) => ({ opId: op.opId, status: 'not_attempted' as const, kind: op.kind }))); } };
    const queue = new OperationQueue({ client: direct, maxOps: 10, maxWaitMs: 2 });
    const results = await Promise.all([queue.submitGroup(group('x', 2)), queue.submitGroup(group('y', 2))]);
    expect(sent).toHaveLength(1);
    expect(results.flat().map((r) => r.opId)).toEqual(['step0', 'step1', 'step0', 'step1']);
  });
});
