/**
 * Governance: unit costs of API calls (reference/netsuite-platform.md 1.1), per-script-type limits of units and
 * wall-clock time (1.2), and the meter that charges one execution and produces its usage report.
 */
import * as path from 'node:path';
import type { RecordCategory } from '../records/types';
import { SuiteScriptError } from './errors';

/** Units of an N/record call by record category (1.1). */
export const RECORD_COSTS: Record<'load' | 'save' | 'attach', Record<RecordCategory, number>> = {
  // record.load / create / copy / transform / submitFields
  load: { transaction: 10, custom: 2, other: 5 },
  // Record.save / record.delete
  save: { transaction: 20, custom: 4, other: 10 },
  // record.attach / record.detach
  attach: { transaction: 10, custom: 10, other: 10 },
};

/** Units of other API calls (1.1). */
export const API_COSTS = {
  'search.each': 10,
  'search.getRange': 10,
  'search.runPaged': 5,
  'search.fetch': 5,
  'search.lookupFields': 1,
  'search.load': 5,
  https: 10,
  'task.submit': 20,
  'cache.get': 1,
  'cache.getWithLoader': 2,
  'cache.put': 1,
  'cache.remove': 1,
} as const;

/**
 * Every API name the meter charges (the `api` of a CallRecord). Meter.charge refuses any other name, so this is
 * the complete list of metered calls: record.* by record category (RECORD_COSTS), the rest at API_COSTS.
 * 'search.fetch' is PagedData.fetch, Page.next and Page.prev; 'https.<method>' is https.get/post/put/delete and
 * https.request with that method.
 */
export const CHARGED_APIS: ReadonlySet<string> = new Set([
  'record.create', 'record.load', 'record.copy', 'record.transform', 'record.submitFields', 'record.save', 'record.delete',
  'search.each', 'search.getRange', 'search.runPaged', 'search.fetch', 'search.lookupFields', 'search.load',
  'https.get', 'https.post', 'https.put', 'https.delete', 'https.head',
  'task.submit',
  'cache.get', 'cache.put', 'cache.remove',
]);

/** Unit limit of one execution by script type and entry point (1.2). */
export function unitLimit(scriptType: string, entryPoint: string): number {
  switch (scriptType) {
    case 'Restlet':
      return 5000;
    case 'ScheduledScript':
    case 'BundleInstallationScript':
      return 10000;
    case 'MapReduceScript':
      if (entryPoint === 'map') return 1000;
      if (entryPoint === 'reduce') return 5000;
      return 10000; // getInputData, summarize
    default:
      // UserEventScript, Suitelet, ClientScript, MassUpdateScript, Portlet, WorkflowActionScript, …
      return 1000;
  }
}

/**
 * Wall-clock limit of one execution in seconds, by script type and entry point (1.2). Past it the execution ends
 * with SSS_TIME_LIMIT_EXCEEDED (1.3).
 */
export function timeLimitSeconds(scriptType: string, entryPoint: string): number {
  switch (scriptType) {
    case 'ScheduledScript':
    case 'BundleInstallationScript':
      return 3600;
    case 'MapReduceScript':
      if (entryPoint === 'map') return 300;
      if (entryPoint === 'reduce') return 900;
      return 3600; // getInputData, summarize
    default:
      // UserEventScript, Restlet, Suitelet, ClientScript, MassUpdateScript, Portlet, WorkflowActionScript, …
      return 300;
  }
}

export interface CallRecord {
  api: string;
  recordType?: string;
  units: number;
  /** Where the script made the call: 'file.js:line'. */
  site: string;
}

export interface UsageReport {
  scriptId: string;
  deploymentId: string;
  scriptType: string;
  entryPoint: string;
  executionContext: string;
  unitsUsed: number;
  unitLimit: number;
  calls: CallRecord[];
  /** Map/Reduce map/reduce invocations: the key processed. */
  key?: string;
  /** Set when the execution ended with an error escaping the entry point. */
  error?: string;
}

export class Meter {
  used = 0;
  readonly calls: CallRecord[] = [];
  private readonly startedAt: number;

  /**
   * `timeLimit` is in seconds; `clock` gives epoch milliseconds (the account's clock, so tests can move time).
   * Time is checked when the script calls a metered API and when its entry point returns: a script spinning in
   * pure JavaScript without API calls is only stopped when it returns (the emulator has no watchdog thread).
   */
  constructor(
    readonly limit: number,
    readonly timeLimit: number = Number.POSITIVE_INFINITY,
    private readonly clock: () => number = Date.now,
  ) {
    this.startedAt = clock();
  }

  remaining(): number {
    return this.limit - this.used;
  }

  /** Seconds since the execution started. */
  elapsedSeconds(): number {
    return (this.clock() - this.startedAt) / 1000;
  }

  /** Throws SSS_TIME_LIMIT_EXCEEDED once the execution has run longer than its type's time limit (1.2, 1.3). */
  checkTime(): void {
    const elapsed = this.elapsedSeconds();
    if (elapsed > this.timeLimit) {
      throw new SuiteScriptError(
        'SSS_TIME_LIMIT_EXCEEDED',
        `Script Execution Time Exceeded: ran ${Math.floor(elapsed)} s; the limit is ${this.timeLimit} s.`,
      );
    }
  }

  /**
   * Charges a call before it runs. A call that would take usage past the limit is refused with
   * SSS_USAGE_LIMIT_EXCEEDED and not performed (1.2: hard limit on one invocation).
   */
  charge(api: string, units: number, recordType?: string): void {
    if (!CHARGED_APIS.has(api)) throw new Error(`Local account: ${api} is not a metered API (add it to CHARGED_APIS with its documented cost).`);
    this.checkTime();
    if (this.used + units > this.limit) {
      throw new SuiteScriptError(
        'SSS_USAGE_LIMIT_EXCEEDED',
        `Script Execution Usage Limit Exceeded: ${api} needs ${units} units, ${this.remaining()} of ${this.limit} remain.`,
      );
    }
    this.used += units;
    const call: CallRecord = { api, units, site: callSite() };
    if (recordType !== undefined) call.recordType = recordType;
    this.calls.push(call);
  }
}

/** File names given to vm-compiled SuiteScript files, so call sites can be found in stacks. */
export const scriptFileNames = new Set<string>();

type CallSite = { getFileName(): string | null; getLineNumber(): number | null };

/** The first stack frame inside a loaded SuiteScript file, as 'file.js:line'. */
export function callSite(): string {
  const original = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 50;
    Error.prepareStackTrace = (_e, frames) => frames;
    const frames = new Error().stack as unknown as CallSite[];
    for (const f of frames) {
      const file = f.getFileName();
      if (file && scriptFileNames.has(file)) return `${path.posix.basename(file)}:${f.getLineNumber() ?? 0}`;
    }
    return 'unknown';
  } finally {
    Error.prepareStackTrace = original;
    Error.stackTraceLimit = limit;
  }
}
