// Reference 1.2 (Map/Reduce governance: per-stage limits, soft yield after 10,000 units, retries per
// config.retryCount, exitOnError, key/value size errors, the 200 MB persisted-data rule) and 3.4 (stages,
// contexts, summary iterators).
import type { LocalAccount } from '../../../../emulator';
import { fixtureAccount, plainRecords } from './fixture';

let account: LocalAccount;
beforeEach(() => {
  account = fixtureAccount();
});
afterEach(async () => {
  await account.close();
});

function run(input: unknown[]) {
  account.setParameters('customdeploy_fx_mr', { custscript_fx_mr_input: JSON.stringify(input) });
  return account.runMapReduce('customscript_fx_mr', 'customdeploy_fx_mr');
}

function summaryLog(): Record<string, unknown> {
  const entry = account.logs().find((l) => l.title === 'summary');
  return JSON.parse(entry?.details ?? 'null') as Record<string, unknown>;
}

describe('stages (3.4)', () => {
  it('3.4: array input keys are indexes; reduce gets keys grouped with values in lexicographic order', () => {
    const result = run([{ op: 'write', key: 'b' }, { op: 'write', key: 'a' }, { op: 'write', key: 'b' }]);
    expect(result.output).toEqual([
      { key: 'a', value: '{"from":"1"}' },
      { key: 'b', value: '{"from":"0"}|{"from":"2"}' },
    ]);
    expect(result.reports.map((r) => [r.entryPoint, r.unitLimit, r.key ?? null])).toEqual([
      ['getInputData', 10000, null],
      ['map', 1000, '0'],
      ['map', 1000, '1'],
      ['map', 1000, '2'],
      ['reduce', 5000, 'a'],
      ['reduce', 5000, 'b'],
      ['summarize', 10000, null],
    ]);
    expect(summaryLog()).toMatchObject({ outputs: 2, errors: [], yields: 0 });
  });

  it('3.4: an error in getInputData lands in inputSummary.error and the job goes to summarize', () => {
    account.setParameters('customdeploy_fx_mr', { custscript_fx_mr_input: JSON.stringify('throw') });
    const result = account.runMapReduce('customscript_fx_mr');
    expect(JSON.parse(result.inputError ?? '{}')).toMatchObject({ type: 'error.SuiteScriptError', message: 'input failed' });
    expect(result.reports.map((r) => r.entryPoint)).toEqual(['getInputData', 'summarize']);
    expect(summaryLog().inputError).toBe(result.inputError);
  });
});

describe('retries and errors (1.2)', () => {
  it('1.2: a failing map is retried per config.retryCount (2); writes of failed attempts are discarded', () => {
    const result = run([{ op: 'flaky', succeedOn: 3 }]);
    expect(result.map.keys).toEqual([{ key: '0', executionCount: 3, completionState: 'COMPLETE' }]);
    expect(result.map.errors.map((e) => e.executionNo)).toEqual([1, 2]);
    expect(result.output.map((o) => o.key)).toEqual(['flaky', 'flaky-attempt-3']);
  });

  it('1.2: a key that still fails after 1 + retryCount attempts is FAILED, each attempt in the errors iterator', () => {
    const result = run([{ op: 'flaky' }, { op: 'write', key: 'fine' }]);
    expect(result.map.keys).toEqual([
      { key: '0', executionCount: 3, completionState: 'FAILED' },
      { key: '1', executionCount: 1, completionState: 'COMPLETE' },
    ]);
    expect(summaryLog().errors).toEqual([
      { key: '0', name: 'Error', executionNo: 1 },
      { key: '0', name: 'Error', executionNo: 2 },
      { key: '0', name: 'Error', executionNo: 3 },
    ]);
  });

  it('1.2: a map invocation past 1,000 units ends with SSS_USAGE_LIMIT_EXCEEDED (and is retried)', () => {
    const [id] = plainRecords(account, 1);
    const result = run([{ op: 'burn', n: 501, id }]);
    expect(result.map.errors.map((e) => JSON.parse(e.error).name)).toEqual(Array(3).fill('SSS_USAGE_LIMIT_EXCEEDED'));
    expect(result.reports.filter((r) => r.entryPoint === 'map').map((r) => r.unitsUsed)).toEqual([1000, 1000, 1000]);
  });

  it('1.2: exitOnError ends the stage at the first failing key and goes to summarize', () => {
    const result = account.runMapReduce('customscript_fx_mr_exit');
    expect(result.map.keys).toEqual([
      { key: '0', executionCount: 1, completionState: 'COMPLETE' },
      { key: '1', executionCount: 1, completionState: 'FAILED' },
      { key: '2', executionCount: 0, completionState: 'PENDING' },
    ]);
    expect(result.output).toEqual([]);
  });

  it('1.2: keys over 3,000 characters are KEY_LENGTH_IS_OVER_3000_BYTES; 3,000 is fine', () => {
    const result = run([{ op: 'bigkey', n: 3000 }, { op: 'bigkey', n: 3001 }]);
    expect(result.map.keys.map((k) => k.completionState)).toEqual(['COMPLETE', 'FAILED']);
    expect(JSON.parse(result.map.errors[0]?.error ?? '{}').name).toBe('KEY_LENGTH_IS_OVER_3000_BYTES');
  });

  it('1.2: values over 10 MB are VALUE_LENGTH_IS_OVER_10_MB', () => {
    const result = run([{ op: 'bigvalue', n: 10 * 1024 * 1024 + 1 }]);
    expect(JSON.parse(result.map.errors[0]?.error ?? '{}').name).toBe('VALUE_LENGTH_IS_OVER_10_MB');
  });

  it('1.2: persisted data over 200 MB is PERSISTED_DATA_LIMIT_FOR_MAPREDUCE_SCRIPT_EXCEEDED; the stage ends, summarize runs', () => {
    const tenMb = 10 * 1024 * 1024;
    const result = run([{ op: 'persist', n: tenMb, times: 21 }, { op: 'write', key: 'after' }]);
    expect(result.map.keys).toEqual([
      { key: '0', executionCount: 1, completionState: 'FAILED' },
      { key: '1', executionCount: 0, completionState: 'PENDING' },
    ]);
    expect(JSON.parse(result.map.errors[0]?.error ?? '{}').name).toBe('PERSISTED_DATA_LIMIT_FOR_MAPREDUCE_SCRIPT_EXCEEDED');
    expect(result.reports.at(-1)?.entryPoint).toBe('summarize');
  });

  it('1.2: 20 MB of persisted data is fine', () => {
    const result = run([{ op: 'persist', n: 10 * 1024 * 1024, times: 2 }]);
    expect(result.map.keys[0]?.completionState).toBe('COMPLETE');
  });
});

describe('soft yield (1.2)', () => {
  it('1.2: the job yields once cumulative map usage passes 10,000 units, and is resumed', () => {
    const [id] = plainRecords(account, 1);
    const heavy = (n: number) => Array.from({ length: n }, () => ({ op: 'burn', n: 450, id })); // 900 units each
    const eleven = run(heavy(11));
    expect(eleven.yields).toBe(0);
    expect(eleven.map.usage).toBe(9900);
    account.clearLogs();
    const twelve = run(heavy(12));
    expect(twelve.yields).toBe(1);
    expect(twelve.map.yields).toBe(1);
    expect(twelve.map.keys.every((k) => k.completionState === 'COMPLETE')).toBe(true);
    expect(summaryLog()).toMatchObject({ yields: 1, mapYields: 1 });
  });
});
