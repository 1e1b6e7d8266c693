/**
 * Runs one entry point of a deployed script: a fresh script context (module state does not outlive an
 * execution, as in NetSuite), a governance meter for the script type and entry point, and a usage report.
 */
import { PLATFORM_MODULES } from '../modules';
import type { DeploymentDef, ScriptDef } from './discovery';
import { SuiteScriptError } from './errors';
import { Execution, type AccountHost, type ExecutionSlot } from './execution';
import type { UsageReport } from './governance';
import { ScriptContext } from './loader';

export interface ScriptHost extends AccountHost {
  readonly cabinetRoot: string;
  readonly scripts: readonly ScriptDef[];
  parametersFor(script: ScriptDef, deployment: DeploymentDef, overrides?: Record<string, string>): Record<string, string>;
  recordUsage(report: UsageReport): void;
}

export interface RunSpec {
  script: ScriptDef;
  deployment: DeploymentDef;
  entryPoint: string;
  executionContext: string;
  parameters?: Record<string, string>;
  key?: string;
}

/** A loaded script whose context can serve several executions (the invocations of one Map/Reduce job). */
export class LoadedScript {
  readonly slot: ExecutionSlot;
  readonly entry: Record<string, unknown>;

  constructor(
    private readonly host: ScriptHost,
    readonly script: ScriptDef,
    first: Execution,
  ) {
    this.slot = { current: first };
    const context = new ScriptContext(host.cabinetRoot, this.slot, PLATFORM_MODULES);
    this.entry = context.loadEntry(script);
  }

  /** Runs an entry point in a new execution; the report is recorded whether it succeeds or throws. */
  run<T>(spec: RunSpec, call: (fn: (...args: unknown[]) => unknown, exec: Execution) => T): { value: T; exec: Execution } {
    const exec = newExecution(this.host, spec);
    const fn = this.entry[spec.entryPoint];
    if (typeof fn !== 'function') {
      throw new SuiteScriptError('SSS_MISSING_ENTRY_POINT', `${this.script.scriptId} has no ${spec.entryPoint} entry point.`);
    }
    const previous = this.slot.current;
    this.slot.current = exec;
    try {
      const value = call(fn as (...args: unknown[]) => unknown, exec);
      // An execution that outran its time limit would have been stopped by NetSuite (1.2, 1.3).
      exec.meter.checkTime();
      return { value, exec };
    } catch (e) {
      exec.error = e;
      throw e;
    } finally {
      this.slot.current = previous;
      this.host.recordUsage(exec.report());
    }
  }
}

export function newExecution(host: ScriptHost, spec: RunSpec): Execution {
  return new Execution(
    host,
    spec.script,
    spec.deployment,
    spec.entryPoint,
    spec.executionContext,
    host.parametersFor(spec.script, spec.deployment, spec.parameters),
    spec.key === undefined ? {} : { key: spec.key },
  );
}

/** Loads a script for the given run spec (module-level code is charged to that execution's meter). */
export function loadScript(host: ScriptHost, spec: RunSpec): LoadedScript {
  return new LoadedScript(host, spec.script, newExecution(host, spec));
}
