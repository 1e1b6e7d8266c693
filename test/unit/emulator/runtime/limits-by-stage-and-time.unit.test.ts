// Reference 1.2 (per-script-type limits: units AND wall-clock seconds; Map/Reduce limits per stage; the soft
// "Yield After Minutes" rule) and 1.3 (SSS_USAGE_LIMIT_EXCEEDED, SSS_TIME_LIMIT_EXCEEDED), measured by running
// the fixture scripts, not by reading a table.
import type { LocalAccount } from '../../../../emulator';
import { timeLimitSeconds } from '../../../../emulator/runtime/governance';
import { fixtureAccount, plainRecords, post } from './fixture';

/** The account's clock: frozen until a test sets `step`, then every read moves it `step` ms forward. */
function steppingClock() {
  let t = Date.UTC(2026, 0, 5, 9, 0, 0);
  const clock = { step: 0, now: () => (t += clock.step) };
  return clock;
}

let account: LocalAccount;
let clock: ReturnType<typeof steppingClock>;
let id: string;
beforeEach(() => {
  clock = steppingClock();
  account = fixtureAccount({ now: clock.now });
  [id] = plainRecords(account, 1) as [string];
});
afterEach(async () => {
  await account.close();
});

const errorName = (serialized: string | null | undefined) => (JSON.parse(serialized ?? '{}') as { name?: string }).name;

function runMr(input: unknown) {
  account.setParameters('customdeploy_fx_mr', { custscript_fx_mr_input: JSON.stringify(input) });
  return account.runMapReduce('customscript_fx_mr', 'customdeploy_fx_mr');
}

describe('Map/Reduce unit limits per stage (1.2)', () => {
  it('1.2: getInputData may use up to 10,000 units; past that SSS_USAGE_LIMIT_EXCEEDED lands in inputSummary.error', () => {
    const ok = runMr({ burn: 4999, id }); // 9,998 units: far over the map (1,000) and reduce (5,000) limits
    expect(ok.inputError).toBeNull();
    expect(ok.inputUsage).toBe(9998);
    expect(ok.output).toEqual([{ key: 'after-input-burn', value: '{"from":"0"}' }]);

    const over = runMr({ burn: 5001, id });
    expect(errorName(over.inputError)).toBe('SSS_USAGE_LIMIT_EXCEEDED');
    expect(over.reports[0]).toMatchObject({ entryPoint: 'getInputData', unitLimit: 10000, unitsUsed: 10000 });
    expect(over.reports.map((r) => r.entryPoint)).toEqual(['getInputData', 'summarize']);
  });

  it('1.2: one reduce() call may use up to 5,000 units (a map() call only 1,000); past it the key fails', () => {
    const ok = runMr([{ op: 'reduceBurn', id, n: 2400 }]); // 4,800 units in one reduce call
    expect(ok.reduce.keys).toEqual([{ key: `burn:${id}:2400`, executionCount: 1, completionState: 'COMPLETE' }]);
    expect(ok.reports.find((r) => r.entryPoint === 'reduce')).toMatchObject({ unitLimit: 5000, unitsUsed: 4800 });

    const over = runMr([{ op: 'reduceBurn', id, n: 2501 }]);
    expect(over.reduce.keys[0]?.completionState).toBe('FAILED');
    expect(over.reduce.errors.map((e) => errorName(e.error))).toEqual(Array(3).fill('SSS_USAGE_LIMIT_EXCEEDED')); // retryCount 2
    expect(over.reports.filter((r) => r.entryPoint === 'reduce').map((r) => r.unitsUsed)).toEqual([5000, 5000, 5000]);
  });
});

describe('time limits (1.2, 1.3 SSS_TIME_LIMIT_EXCEEDED)', () => {
  it('1.2: seconds per execution: User Event, RESTlet, Suitelet 300; Scheduled 3,600; Map/Reduce 3,600/300/900/3,600', () => {
    expect(timeLimitSeconds('UserEventScript', 'beforeSubmit')).toBe(300);
    expect(timeLimitSeconds('Restlet', 'post')).toBe(300);
    expect(timeLimitSeconds('Suitelet', 'onRequest')).toBe(300);
    expect(timeLimitSeconds('ScheduledScript', 'execute')).toBe(3600);
    expect(timeLimitSeconds('MapReduceScript', 'getInputData')).toBe(3600);
    expect(timeLimitSeconds('MapReduceScript', 'map')).toBe(300);
    expect(timeLimitSeconds('MapReduceScript', 'reduce')).toBe(900);
    expect(timeLimitSeconds('MapReduceScript', 'summarize')).toBe(3600);
  });

  it('1.2/1.3: a RESTlet still running after 300 s ends with SSS_TIME_LIMIT_EXCEEDED (HTTP 400) long before its units run out', () => {
    clock.step = 1000; // every metered call reads the clock once: one second per record.load
    const { status, raw, units } = post(account, { action: 'burn', id });
    expect(status).toBe(400);
    expect(JSON.parse(raw).error.code).toBe('SSS_TIME_LIMIT_EXCEEDED');
    // Loads 1..300 ran within 300 s; the 301st call found 301 s elapsed and was refused.
    expect(units).toBe(600);
    expect(account.usage().at(-1)?.error).toMatch(/^SSS_TIME_LIMIT_EXCEEDED/);
  });

  it('1.2: the same RESTlet with a still clock runs until its 5,000 units are spent (the time rule is what stopped it)', () => {
    const { raw, units } = post(account, { action: 'burn', id });
    expect(JSON.parse(raw).error.code).toBe('SSS_USAGE_LIMIT_EXCEEDED');
    expect(units).toBe(5000);
  });

  it('1.2: a map() call is stopped after 300 s, while one reduce() call may run 400 s (its limit is 900 s)', () => {
    clock.step = 1000;
    const result = runMr([{ op: 'burn', id, n: 400 }, { op: 'reduceBurn', id, n: 400 }]);
    expect(result.map.errors.map((e) => errorName(e.error))).toEqual(Array(3).fill('SSS_TIME_LIMIT_EXCEEDED'));
    expect(result.map.keys.map((k) => k.completionState)).toEqual(['FAILED', 'COMPLETE']);
    expect(result.reduce.keys).toEqual([{ key: `burn:${id}:400`, executionCount: 1, completionState: 'COMPLETE' }]);
  });

  it('1.2: the job yields once the time since it last yielded passes "Yield After Minutes" (default 60), not only past 10,000 units', () => {
    clock.step = 1000;
    const heavy = Array.from({ length: 40 }, () => ({ op: 'burn', id, n: 100 })); // ~100 s and 200 units per map call
    const result = runMr(heavy);
    expect(result.map.usage).toBe(8000); // under the 10,000-unit soft limit
    expect(result.yields).toBe(1);
    expect(result.map.yields).toBe(1);
    expect(result.map.keys.every((k) => k.completionState === 'COMPLETE')).toBe(true);
  });
});
