// A batch call whose answer never arrives after SOME of its writes committed: the script died mid-batch (400
// unhandled error, 500), or the client gave up waiting while the script was still running and then committed the
// rest. The client must look every create/transform up by externalId before sending anything again, send only
// those NetSuite does not have, and end with exactly one NetSuite record per operation.
// The faults are injected behind the local account's real HTTP host (TBA, concurrency limit) by wrapping its
// RESTlet runner: the wrapped runner really runs the bundle's compiled RESTlet on part of the batch.
import { randomUUID } from 'node:crypto';
import type { CreateOperation, Operation, OperationResult } from '../../../core/contracts/restlet';
import { createNetSuiteHost, generateSandboxCredentials, hostCredentialsFor, type RunningNetSuiteHost } from '../../../emulator/http';
import type { RestletInvocation, RestletOutcome, RestletRunner } from '../../../emulator/http/restlet-runner';
import { createNetSuiteConnection, type NetSuiteConnectionSettings } from '../../../middleware/netsuite/connection';
import { seededAccount, type Seeded } from '../bundle/local-account';

const ACCOUNT = '7654322';
const creds = generateSandboxCredentials();
let s: Seeded;
let running: RunningNetSuiteHost;

type Fault =
  /** Run the first `committed` operations, then die with this status and NetSuite error code. */
  | { kind: 'dies'; committed: number; status: 400 | 500; code: string }
  /** Run the first `committed` operations, stall past the client's timeout, run the rest, then answer (too late). */
  | { kind: 'stalls'; committed: number; stallMs: number };

/** Faults for the next batch calls that carry writes, in order. */
const plan: Fault[] = [];
const seen = { writeBatches: 0, faulted: 0 };

function wrap(inner: RestletRunner): RestletRunner {
  return {
    resolve: (script, deploy) => inner.resolve(script, deploy),
    async invoke(invocation: RestletInvocation): Promise<RestletOutcome> {
      const body = JSON.parse(invocation.body || '{}') as { action?: string; operations?: Operation[] };
      const writes = body.action === 'batch' && (body.operations ?? []).some((op) => op.kind === 'create' || op.kind === 'transform');
      if (!writes) return inner.invoke(invocation);
      seen.writeBatches += 1;
      const fault = plan.shift();
      if (!fault) return inner.invoke(invocation);
      seen.faulted += 1;
      const ops = body.operations as Operation[];
      const part = (from: number, to?: number) => inner.invoke({ ...invocation, body: JSON.stringify({ ...body, operations: ops.slice(from, to) }) });
      await part(0, fault.committed);
      if (fault.kind === 'dies') {
        return {
          status: fault.status,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: fault.code, message: 'Script execution stopped mid-batch.' } }),
          unitsUsed: 0,
        };
      }
      await new Promise((r) => setTimeout(r, fault.stallMs));
      if (fault.committed < ops.length) await part(fault.committed);
      return inner.invoke(invocation); // the full answer, long after the client stopped waiting
    },
  };
}

beforeAll(async () => {
  s = seededAccount({ accountId: ACCOUNT });
  const host = createNetSuiteHost({ accountId: ACCOUNT, runner: wrap(s.account.restlets), records: s.account.engine, credentials: hostCredentialsFor(creds), concurrencyLimit: 5 });
  running = await host.listen();
}, 30_000);
afterAll(async () => {
  await running?.close();
  await s?.account.close();
});
beforeEach(() => {
  plan.length = 0;
  seen.writeBatches = 0;
  seen.faulted = 0;
});

function settings(timeoutMs: number): NetSuiteConnectionSettings {
  return {
    accountId: ACCOUNT,
    credentials: { kind: 'tba', tba: creds.tba },
    restletBaseUrl: running.url,
    concurrencyLimit: 5,
    timeoutMs,
    backoff: { baseMs: 5, capMs: 20, maxAttempts: 6 },
  };
}

function sale(prefix: string, i: number): CreateOperation {
  return { opId: `op${i}`, kind: 'create', recordType: 'cashsale', externalId: `${prefix}:${i}`, values: { entity: s.customerId }, items: [{ sku: 'SKU-A', quantity: 1, rate: '3.00' }] };
}

function count(externalId: string): number {
  return s.account.engine.search({ type: 'cashsale', filters: [['externalid', 'anyof', externalId], 'AND', ['mainline', 'is', 'T']], columns: [{ name: 'internalid' }] }).length;
}

function expectExactlyOnce(prefix: string, n: number, results: OperationResult[]): void {
  expect(results.map((r) => r.status)).toEqual(Array(n).fill('ok'));
  for (let i = 0; i < n; i++) expect(count(`${prefix}:${i}`)).toBe(1);
  // Each answer names the one record NetSuite has for its externalId.
  const ids = results.map((r) => (r as { id: string }).id);
  expect(new Set(ids).size).toBe(n);
}

describe('a batch answer lost after some writes committed', () => {
  it.each([
    ['400 unhandled script error (time limit)', 400 as const, 'SSS_TIME_LIMIT_EXCEEDED'],
    ['500 unexpected error', 500 as const, 'UNEXPECTED_ERROR'],
  ])('script dies after 2 of 5 writes (%s): lookup, then only the 3 missing are sent again', async (_name, status, code) => {
    const prefix = `dies-${randomUUID()}`;
    plan.push({ kind: 'dies', committed: 2, status, code });
    const { client } = createNetSuiteConnection(settings(10_000));
    const ops = Array.from({ length: 5 }, (_, i) => sale(prefix, i));
    const results = await client.runBatch(ops);
    expectExactlyOnce(prefix, 5, results);
    expect(results.map((r) => (r as { created?: boolean }).created)).toEqual([false, false, true, true, true]);
    expect(client.stats).toMatchObject({ unknownOutcomes: 1, recoveredByLookup: 2 });
    // The faulted call and one re-send of the 3 missing writes; the lookup is a read-only batch.
    expect(seen).toEqual({ writeBatches: 2, faulted: 1 });
  }, 20_000);

  it('client times out while the script is still running and later commits the rest: still one record each', async () => {
    const prefix = `stall-${randomUUID()}`;
    plan.push({ kind: 'stalls', committed: 2, stallMs: 700 });
    const { client } = createNetSuiteConnection(settings(300));
    const ops = Array.from({ length: 5 }, (_, i) => sale(prefix, i));
    const results = await client.runBatch(ops);
    // Whichever attempt saved an externalId second failed on NetSuite's uniqueness and answered the first's record.
    await new Promise((r) => setTimeout(r, 900)); // let the stalled call finish its writes
    expectExactlyOnce(prefix, 5, results);
    expect(client.stats.unknownOutcomes).toBeGreaterThanOrEqual(1);
    expect(client.stats.recoveredByLookup).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 5; i++) expect(count(`${prefix}:${i}`)).toBe(1);
  }, 20_000);

  it('through the queue: a lost answer fails no caller and writes nothing twice', async () => {
    const prefix = `queue-${randomUUID()}`;
    plan.push({ kind: 'dies', committed: 3, status: 400, code: 'SSS_TIME_LIMIT_EXCEEDED' });
    const { queue } = createNetSuiteConnection({ ...settings(10_000), batch: { maxOps: 6, maxWaitMs: 5 } });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => queue.submit((({ opId: _opId, ...rest }) => rest)(sale(prefix, i)))));
    expectExactlyOnce(prefix, 6, results);
    expect(seen.faulted).toBe(1);
  }, 20_000);
});
