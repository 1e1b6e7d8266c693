/**
 * One script execution: which script and deployment runs, for which entry point and execution context, with its
 * governance meter and captured log entries. N/* module instances read the current execution through a slot, so
 * one loaded script context can serve several invocations (the map() calls of one Map/Reduce job).
 */
import type { RecordData, RecordEngine, FieldValue, SaveOptions } from '../records/types';
import type { DeploymentDef, ScriptDef } from './discovery';
import { Meter, timeLimitSeconds, unitLimit, type UsageReport } from './governance';

/** Who is writing a record: its execution context, and whether the writer is a User Event (no chaining, 3.2). */
export interface Trigger {
  executionContext: string;
  fromUserEvent: boolean;
}

export interface LogEntry {
  level: 'DEBUG' | 'AUDIT' | 'ERROR' | 'EMERGENCY';
  title: string;
  details: string;
  scriptId: string;
  deploymentId: string;
  executionContext: string;
  time: string;
}

export interface TaskRequest {
  taskType: 'SCHEDULED_SCRIPT' | 'MAP_REDUCE';
  scriptId: string;
  deploymentId: string | null;
  params: Record<string, string>;
}

export interface TaskState {
  id: string;
  taskType: TaskRequest['taskType'];
  scriptId: string;
  deploymentId: string;
  params: Record<string, string>;
  status: 'PENDING' | 'PROCESSING' | 'COMPLETE' | 'FAILED';
  stage: string | null;
}

export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface HttpResponseSpec {
  code: number;
  body: string;
  headers: Record<string, string | string[]>;
}

/** What the account offers to executions (implemented in emulator/account.ts). */
export interface AccountHost {
  readonly accountId: string;
  readonly envType: string;
  readonly engine: RecordEngine;
  now(): number;
  isFeatureInEffect(feature: string): boolean;
  recordLog(entry: LogEntry): void;
  /** Saves with the User Events that match the trigger; returns the id. */
  saveRecord(data: RecordData, options: SaveOptions, trigger: Trigger): string;
  deleteRecord(type: string, id: string, trigger: Trigger): void;
  submitFields(type: string, id: string, values: Record<string, FieldValue>, options: SaveOptions, trigger: Trigger): string;
  /** beforeLoad user events for a record read (reference 3.2). */
  fireBeforeLoad(data: RecordData, type: string, trigger: Trigger): void;
  submitTask(request: TaskRequest, submitter: Execution): string | null;
  taskStatus(taskId: string): TaskState | null;
  httpRequest(request: HttpRequestSpec): HttpResponseSpec;
  cacheStore(): Map<string, { value: string; expiresAt: number }>;
}

export class Execution {
  readonly meter: Meter;
  readonly logs: LogEntry[] = [];
  error: unknown = undefined;

  constructor(
    readonly host: AccountHost,
    readonly script: ScriptDef,
    readonly deployment: DeploymentDef,
    readonly entryPoint: string,
    readonly executionContext: string,
    readonly parameters: Record<string, string>,
    readonly extra: { key?: string } = {},
  ) {
    this.meter = new Meter(unitLimit(script.scriptType, entryPoint), timeLimitSeconds(script.scriptType, entryPoint), () => host.now());
  }

  get scriptType(): string {
    return this.script.scriptType;
  }

  /** Records written by this execution: a User Event's writes do not fire other User Events (reference 3.2). */
  trigger(): Trigger {
    return { executionContext: this.writeContext(), fromUserEvent: this.scriptType === 'UserEventScript' };
  }

  /** The execution context a record written by this script carries. */
  private writeContext(): string {
    const byType: Record<string, string> = {
      Restlet: 'RESTLET',
      MapReduceScript: 'MAPREDUCE',
      ScheduledScript: 'SCHEDULED',
      Suitelet: 'SUITELET',
      UserEventScript: 'USEREVENT',
      WorkflowActionScript: 'WORKFLOW',
      MassUpdateScript: 'CUSTOMMASSUPDATE',
      BundleInstallationScript: 'BUNDLEINSTALLATION',
    };
    return byType[this.scriptType] ?? this.executionContext;
  }

  report(): UsageReport {
    const r: UsageReport = {
      scriptId: this.script.scriptId,
      deploymentId: this.deployment.deployId,
      scriptType: this.scriptType,
      entryPoint: this.entryPoint,
      executionContext: this.executionContext,
      unitsUsed: this.meter.used,
      unitLimit: this.meter.limit,
      calls: [...this.meter.calls],
    };
    if (this.extra.key !== undefined) r.key = this.extra.key;
    if (this.error !== undefined) {
      const e = this.error as { name?: unknown; message?: unknown };
      r.error = `${String(e?.name ?? 'Error')}: ${String(e?.message ?? e)}`;
    }
    return r;
  }
}

/** The execution that module instances of one script context currently serve. */
export interface ExecutionSlot {
  current: Execution;
}
