/**
 * Map/Reduce jobs (reference 1.2 and 3.4): getInputData -> map -> shuffle -> reduce -> summarize, each
 * invocation its own execution with its own unit limit (10,000 / 1,000 / 5,000 / 10,000).
 *
 * - Soft limit: after each map or reduce invocation the job checks the units used and the time spent since it last
 *   yielded; past 10,000 units or past the deployment's "Yield After Minutes" (default 60, clamped to 3..60) it
 *   yields (ends gracefully and is resumed). The local account resumes at once and counts the yield
 *   (summary.yields and the stage's yields). Time is the account's clock, so tests can move it.
 * - Hard limits per invocation (1.2): units 10,000 / 1,000 / 5,000 / 10,000 and seconds 3,600 / 300 / 900 / 3,600
 *   for getInputData / map / reduce / summarize (SSS_USAGE_LIMIT_EXCEEDED, SSS_TIME_LIMIT_EXCEEDED).
 * - A failing map/reduce invocation (including SSS_USAGE_LIMIT_EXCEEDED) is retried per the script's exported
 *   `config.retryCount` (0..3, default 0); writes of a failed attempt are discarded; with `config.exitOnError`
 *   the stage ends at the first key that still fails and the job goes to summarize. Every failed attempt is
 *   listed in the stage's errors iterator as (key, serialized error, executionNo).
 * - Keys over 3,000 characters -> KEY_LENGTH_IS_OVER_3000_BYTES; values over 10 MB ->
 *   VALUE_LENGTH_IS_OVER_10_MB (the reference notes conflicting 4,000-byte / 1 MB statements; these are the
 *   governance page's numbers). Persisted data (input pairs and written pairs) over 200 MB ->
 *   PERSISTED_DATA_LIMIT_FOR_MAPREDUCE_SCRIPT_EXCEEDED: the stage ends and the job goes to summarize.
 * - An error in getInputData lands in inputSummary.error and the job goes to summarize.
 */
import { isScriptSearch } from '../modules/search';
import type { DeploymentDef, ScriptDef } from './discovery';
import { SuiteScriptError, isSuiteScriptError, serializeError } from './errors';
import type { Execution } from './execution';
import type { UsageReport } from './governance';
import { loadScript, type LoadedScript, type RunSpec, type ScriptHost } from './runner';

export const SOFT_YIELD_UNITS = 10000;
export const MAX_KEY_CHARS = 3000;
export const MAX_VALUE_BYTES = 10 * 1024 * 1024;
export const MAX_PERSISTED_BYTES = 200 * 1024 * 1024;

export interface KeyOutcome {
  key: string;
  executionCount: number;
  completionState: 'COMPLETE' | 'FAILED' | 'PENDING';
}

export interface KeyError {
  key: string;
  error: string;
  executionNo: number;
}

export interface StageSummary {
  usage: number;
  yields: number;
  keys: KeyOutcome[];
  errors: KeyError[];
}

export interface MapReduceResult {
  scriptId: string;
  deploymentId: string;
  yields: number;
  inputError: string | null;
  inputUsage: number;
  map: StageSummary;
  reduce: StageSummary;
  summarizeError: string | null;
  output: { key: string; value: string }[];
  /** Usage reports of this job's invocations (getInputData, each map/reduce attempt, summarize). */
  reports: UsageReport[];
  unitsUsed: number;
}

export interface MapReduceRunOptions {
  parameters?: Record<string, string>;
  onStage?: (stage: 'GET_INPUT' | 'MAP' | 'SHUFFLE' | 'REDUCE' | 'SUMMARIZE') => void;
}

type Pair = [string, string];

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function stringify(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
}

function iterator<T extends unknown[]>(items: T[]) {
  return {
    iterator: () => ({
      each(cb: (...args: T) => unknown) {
        for (const item of items) if (cb(...item) !== true) break;
      },
    }),
  };
}

export function runMapReduceJob(host: ScriptHost, script: ScriptDef, deployment: DeploymentDef, options: MapReduceRunOptions = {}): MapReduceResult {
  const reports: UsageReport[] = [];
  const spec = (entryPoint: string, key?: string): RunSpec => {
    const s: RunSpec = { script, deployment, entryPoint, executionContext: 'MAPREDUCE' };
    if (options.parameters) s.parameters = options.parameters;
    if (key !== undefined) s.key = key;
    return s;
  };
  const collect = (exec: Execution) => reports.push(exec.report());
  const loaded: LoadedScript = loadScript(host, spec('getInputData'));
  const config = (loaded.entry['config'] ?? {}) as { retryCount?: unknown; exitOnError?: unknown };
  const retryCount = Math.max(0, Math.min(3, Number(config.retryCount ?? 0) || 0));
  const exitOnError = config.exitOnError === true;
  const hasMap = typeof loaded.entry['map'] === 'function';
  const hasReduce = typeof loaded.entry['reduce'] === 'function';
  const startedAt = host.now();

  let persisted = 0;
  let sinceYield = 0;
  let yieldStartedAt = startedAt;
  const yieldAfterMs = Math.max(3, Math.min(60, deployment.yieldAfterMins || 60)) * 60_000;
  let yields = 0;
  const result: MapReduceResult = {
    scriptId: script.scriptId,
    deploymentId: deployment.deployId,
    yields: 0,
    inputError: null,
    inputUsage: 0,
    map: { usage: 0, yields: 0, keys: [], errors: [] },
    reduce: { usage: 0, yields: 0, keys: [], errors: [] },
    summarizeError: null,
    output: [],
    reports,
    unitsUsed: 0,
  };

  const persist = (pairs: Pair[]) => {
    for (const [k, v] of pairs) persisted += bytes(k) + bytes(v);
  };
  const overLimit = (extra: number) => persisted + extra > MAX_PERSISTED_BYTES;
  const persistedError = () =>
    new SuiteScriptError(
      'PERSISTED_DATA_LIMIT_FOR_MAPREDUCE_SCRIPT_EXCEEDED',
      `The Map/Reduce job's persisted data would exceed ${MAX_PERSISTED_BYTES} bytes (200 MB).`,
    );

  // ---- getInputData ---------------------------------------------------------------------------------------
  options.onStage?.('GET_INPUT');
  let input: Pair[] = [];
  try {
    const { value, exec } = loaded.run(spec('getInputData'), (fn) => fn({ isRestarted: false, ObjectRef: { id: null, type: null } }));
    result.inputUsage = exec.meter.used;
    collect(exec);
    input = inputPairs(value);
    const size = input.reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);
    if (overLimit(size)) throw persistedError();
    persist(input);
  } catch (e) {
    if (reports.length === 0) reports.push(lastReport(host, script));
    result.inputError = serializeError(e);
    input = [];
  }

  // ---- map and reduce -------------------------------------------------------------------------------------
  const stage = (entryPoint: 'map' | 'reduce', work: [string, unknown][], summary: StageSummary): Pair[] | null => {
    const out: Pair[] = [];
    let ended = false;
    for (const [key, payload] of work) {
      if (ended) {
        summary.keys.push({ key, executionCount: 0, completionState: 'PENDING' });
        continue;
      }
      const errors: KeyError[] = [];
      let done = false;
      let attempts = 0;
      let limitHit = false;
      while (!done && !limitHit && attempts <= retryCount) {
        attempts += 1;
        const writes: Pair[] = [];
        let pending = 0;
        const write = (a: unknown, b?: unknown) => {
          const pair = typeof a === 'object' && a !== null && b === undefined ? (a as { key?: unknown; value?: unknown }) : { key: a, value: b };
          const k = stringify(pair.key ?? '');
          const v = stringify(pair.value ?? '');
          if (k.length > MAX_KEY_CHARS) throw new SuiteScriptError('KEY_LENGTH_IS_OVER_3000_BYTES', `Key length ${k.length} is over 3000.`);
          if (bytes(v) > MAX_VALUE_BYTES) throw new SuiteScriptError('VALUE_LENGTH_IS_OVER_10_MB', 'Value length is over 10 MB.');
          const size = bytes(k) + bytes(v);
          if (overLimit(pending + size)) throw persistedError();
          pending += size;
          writes.push([k, v]);
        };
        const context = {
          key,
          isRestarted: false,
          executionNo: attempts,
          errors: iterator(errors.map((e) => [e.key, e.error, e.executionNo] as [string, string, number])),
          write,
          ...(entryPoint === 'map' ? { value: payload as string } : { values: payload as string[] }),
        };
        let used = 0;
        try {
          const { exec } = loaded.run(spec(entryPoint, key), (fn) => fn(context));
          used = exec.meter.used;
          collect(exec);
          persist(writes);
          out.push(...writes);
          done = true;
        } catch (e) {
          const report = lastReport(host, script);
          used = report.unitsUsed;
          reports.push(report);
          errors.push({ key, error: serializeError(e), executionNo: attempts });
          if (isSuiteScriptError(e) && e.name === 'PERSISTED_DATA_LIMIT_FOR_MAPREDUCE_SCRIPT_EXCEEDED') limitHit = true;
        } finally {
          summary.usage += used;
          sinceYield += used;
          if (sinceYield > SOFT_YIELD_UNITS || host.now() - yieldStartedAt > yieldAfterMs) {
            yields += 1;
            summary.yields += 1;
            sinceYield = 0;
            yieldStartedAt = host.now();
          }
        }
      }
      summary.errors.push(...errors);
      summary.keys.push({ key, executionCount: attempts, completionState: done ? 'COMPLETE' : 'FAILED' });
      // Past the persisted-data limit the stage ends whatever the config says (1.2).
      if (!done && (exitOnError || limitHit)) ended = true;
    }
    return ended ? null : out;
  };

  let mapped: Pair[] = input;
  let proceed = result.inputError === null;
  if (proceed && hasMap) {
    options.onStage?.('MAP');
    const out = stage('map', input, result.map);
    if (out === null) proceed = false;
    else mapped = out;
  }
  let output: Pair[] = mapped;
  if (proceed && hasReduce) {
    options.onStage?.('SHUFFLE');
    const groups = new Map<string, string[]>();
    for (const [k, v] of mapped) {
      const list = groups.get(k) ?? [];
      list.push(v);
      groups.set(k, list);
    }
    const work = [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, vs]) => [k, vs.sort()] as [string, unknown]);
    options.onStage?.('REDUCE');
    const out = stage('reduce', work, result.reduce);
    output = out ?? [];
  } else if (!proceed) {
    output = [];
  }
  if (hasMap || hasReduce) result.output = output.map(([key, value]) => ({ key, value }));

  // ---- summarize ------------------------------------------------------------------------------------------
  result.yields = yields;
  if (typeof loaded.entry['summarize'] === 'function') {
    options.onStage?.('SUMMARIZE');
    const summaryFor = (s: StageSummary) => ({
      dateCreated: new Date(startedAt),
      seconds: 0,
      usage: s.usage,
      concurrency: 1,
      yields: s.yields,
      keys: iterator(s.keys.map((k) => [k.key, k.executionCount, k.completionState] as [string, number, string])),
      errors: iterator(s.errors.map((e) => [e.key, e.error, e.executionNo] as [string, string, number])),
    });
    const summary = {
      isRestarted: false,
      dateCreated: new Date(startedAt),
      seconds: (host.now() - startedAt) / 1000,
      usage: result.inputUsage + result.map.usage + result.reduce.usage,
      concurrency: 1,
      yields,
      inputSummary: { dateCreated: new Date(startedAt), error: result.inputError, seconds: 0, usage: result.inputUsage },
      mapSummary: summaryFor(result.map),
      reduceSummary: summaryFor(result.reduce),
      output: iterator(result.output.map((p) => [p.key, p.value] as [string, string])),
    };
    try {
      const { exec } = loaded.run(spec('summarize'), (fn) => fn(summary));
      collect(exec);
    } catch (e) {
      reports.push(lastReport(host, script));
      result.summarizeError = serializeError(e);
    }
  }
  result.unitsUsed = reports.reduce((n, r) => n + r.unitsUsed, 0);
  return result;
}

/** The report the runner recorded for the execution that just threw. */
function lastReport(host: ScriptHost & { lastUsage?: () => UsageReport | undefined }, script: ScriptDef): UsageReport {
  const r = host.lastUsage?.();
  if (r && r.scriptId === script.scriptId) return r;
  throw new Error('internal: no usage report for the failed Map/Reduce invocation');
}

/** getInputData's return value as key/value pairs (reference 3.4). */
function inputPairs(value: unknown): Pair[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map((v, i) => [String(i), stringify(v)]);
  if (isScriptSearch(value)) return value.__rows().map((r) => [String(r.id), JSON.stringify(r)]);
  if (typeof value === 'object') {
    const ref = value as { type?: unknown; id?: unknown };
    if (typeof ref.type === 'string' && ['search', 'query', 'suiteql', 'file'].includes(ref.type)) {
      throw new SuiteScriptError(
        'SSS_INVALID_INPUT_DATA',
        `getInputData returned a ${ref.type} reference; the local account runs search.Search objects, arrays and plain objects (saved searches, queries and files are not emulated).`,
      );
    }
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, stringify(v)]);
  }
  throw new SuiteScriptError('SSS_INVALID_INPUT_DATA', `getInputData returned a ${typeof value}; return an array, object or search.`);
}
