/**
 * The local NetSuite account: a record engine, the SDF project's scripts deployed on it, and the ways work enters
 * it — RESTlet calls (the RestletRunner the HTTP host uses), a person saving records in the UI, Map/Reduce and
 * scheduled runs, and tasks scripts submit. Every script execution leaves a usage report and its log entries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RestletRunner } from './http/restlet-runner';
import { createRecordEngine } from './records/engine';
import { loadSeed, parseSeed, type SeedResult } from './seed';
import { createStateWriter, readStateFile, type AccountState, type StateWriter } from './state-file';
import type { FieldValue, RecordData, RecordEngine, SaveOptions } from './records/types';
import { discoverProject, type DeploymentDef, type ScriptDef } from './runtime/discovery';
import { SuiteScriptError, platform, serializeError } from './runtime/errors';
import type { Execution, HttpRequestSpec, HttpResponseSpec, LogEntry, TaskRequest, TaskState, Trigger } from './runtime/execution';
import type { UsageReport } from './runtime/governance';
import { runMapReduceJob, type MapReduceResult, type MapReduceRunOptions } from './runtime/map-reduce';
import { LocalRestletRunner } from './runtime/restlets';
import { loadScript, type ScriptHost } from './runtime/runner';
import { SyncHttpClient } from './runtime/sync-http';
import { UserEvents } from './runtime/user-events';

export interface LocalAccountOptions {
  /** The SDF project folder (manifest.xml, Objects/, FileCabinet/); default <repo>/src. */
  projectDir?: string;
  /** Default 'TSTDRV0000001'. */
  accountId?: string;
  /**
   * Seed data in the seed-file format (emulator/seed): validated, then loaded straight into the engine (data that
   * was already there: no User Events fire). A bad seed throws SeedError naming the entry. The sandbox's default
   * seed is not added here; see seedSandbox in emulator/seed.
   */
  seed?: unknown;
  /** Account features (runtime.isFeatureInEffect); SERVERSIDESCRIPTING, CUSTOMRECORDS and the manifest's required features default on. */
  features?: Record<string, boolean>;
  /** Script parameter values per deployment id, over the values in the deployment XML. */
  parameters?: Record<string, Record<string, string>>;
  /** runtime.envType; default 'SANDBOX'. */
  envType?: string;
  /** Clock in epoch milliseconds (N/cache expiry, log times); default Date.now. */
  now?: () => number;
  /** Outbound N/https timeout; default 30 s. */
  httpTimeoutMs?: number;
  /**
   * A file that keeps the account's state across restarts (see state-file.ts). When it exists the account is
   * restored from it and `seed`/`seedWith` are NOT applied (the restored data already holds them); when it does
   * not, the account starts from the seed and the file is written at once. After that every committed change is
   * written (coalesced, `stateWriteDelayMs` later) and close() or process exit writes what is pending. A damaged,
   * incompatible or busy file throws StateFileError naming the file and the fix. The folder is created if missing.
   */
  stateFile?: string;
  /** Delay that coalesces state-file writes, in ms; default 100. */
  stateWriteDelayMs?: number;
  /**
   * Seeds a fresh account after `seed` (e.g. `(engine) => seedSandbox(engine, userSeed)`); its result becomes
   * `seeded` and is kept in the state file. Not called when the account is restored from `stateFile`.
   */
  seedWith?: (engine: RecordEngine) => SeedResult;
  /**
   * Searches read only the records their filter's indexed terms select (default true); false reads every record,
   * as a reference to compare with (the same results and units, at a cost that grows with the account).
   */
  searchIndexes?: boolean;
}

export interface ScriptSummary {
  scriptId: string;
  internalId: string;
  scriptType: string;
  file: string;
  deployments: { deployId: string; number: number; status: string; isDeployed: boolean; recordType: string | null }[];
}

export interface ScheduledRunResult {
  report: UsageReport;
  error: string | null;
}

export interface UiSession {
  /** A new record as the form opens it (beforeLoad 'create'). */
  newRecord(type: string, defaultValues?: Record<string, FieldValue>): RecordData;
  /** A stored record opened for editing (beforeLoad 'edit'). */
  load(type: string, id: string): RecordData;
  /** Saves like the Save button: User Events fire with execution context USERINTERFACE. */
  save(record: RecordData, options?: SaveOptions): string;
  create(type: string, values?: { fields?: Record<string, FieldValue>; sublists?: Record<string, Record<string, FieldValue>[]> }): string;
  edit(type: string, id: string, fields: Record<string, FieldValue>): string;
  transform(fromType: string, fromId: string, toType: string, values?: { fields?: Record<string, FieldValue> }): string;
  delete(type: string, id: string): void;
}

export interface LocalAccount {
  readonly accountId: string;
  readonly engine: RecordEngine;
  readonly restlets: RestletRunner & { invokeSync: LocalRestletRunner['invokeSync'] };
  readonly ui: UiSession;
  /**
   * Records as the REST record service reads them (pass as NetSuiteHostOptions.records): each read fires the
   * record type's beforeLoad User Events with type 'view' in context RESTWEBSERVICES (reference 3.2: beforeLoad is
   * triggered by SOAP/REST reads). `engine` itself reads without User Events.
   */
  readonly restRecords: Pick<RecordEngine, 'load' | 'findByExternalId' | 'isKnownType'>;
  /**
   * Internal ids of the seed's records (by customer externalId/name, SKU, location and account name, order
   * externalId); restored from the state file when the account was.
   */
  readonly seeded: SeedResult | null;
  /** True when the account was restored from `stateFile` (false: fresh, seeded now). */
  readonly restored: boolean;
  /** The state file in use, or null. */
  readonly stateFile: string | null;
  /** The account's whole state as the state file holds it (decoded: Dates as Date objects). */
  snapshot(): AccountState;
  /** Writes the state file now if anything changed (no-op without a state file). */
  flushState(): void;
  scripts(): ScriptSummary[];
  runMapReduce(scriptId: string, deployId?: string, opts?: MapReduceRunOptions): MapReduceResult;
  runScheduled(scriptId: string, deployId?: string, opts?: { parameters?: Record<string, string>; type?: string }): ScheduledRunResult;
  /** Runs the tasks queued at the time of the call, in submission order (tasks they queue wait for the next call). */
  runQueuedTasks(): { task: TaskState; result: MapReduceResult | ScheduledRunResult }[];
  tasks(): TaskState[];
  usage(): UsageReport[];
  clearUsage(): void;
  logs(): LogEntry[];
  clearLogs(): void;
  setParameters(deployId: string, values: Record<string, string>): void;
  setFeature(feature: string, enabled: boolean): void;
  close(): Promise<void>;
}

/** The repository's SDF project folder (<repo>/src), found from this file's location (source or dist). */
export function defaultProjectDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'manifest.xml'))) {
      return path.join(dir, 'src');
    }
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', 'src');
}

const USER_INTERFACE: Trigger = { executionContext: 'USERINTERFACE', fromUserEvent: false };
const REST_WEB_SERVICES: Trigger = { executionContext: 'RESTWEBSERVICES', fromUserEvent: false };

export function createLocalAccount(options: LocalAccountOptions = {}): LocalAccount {
  const projectDir = path.resolve(options.projectDir ?? defaultProjectDir());
  const project = discoverProject(projectDir);
  const accountId = options.accountId ?? 'TSTDRV0000001';
  const now = options.now ?? (() => Date.now());
  let writer: StateWriter | null = null;
  const changed = () => writer?.changed();
  const engine = createRecordEngine({
    accountId, now: () => new Date(now()), onChange: changed, ...(options.searchIndexes === undefined ? {} : { searchIndexes: options.searchIndexes }),
  });
  for (const def of project.customRecordTypes) engine.registerCustomRecordType(def);
  for (const field of project.customFields) engine.registerCustomField(field);

  const features = new Map<string, boolean>([['SERVERSIDESCRIPTING', true], ['CUSTOMRECORDS', true]]);
  for (const f of project.requiredFeatures) features.set(f.toUpperCase(), true);
  for (const [k, v] of Object.entries(options.features ?? {})) features.set(k.toUpperCase(), v);
  const parameterOverrides = new Map<string, Record<string, string>>();
  for (const [k, v] of Object.entries(options.parameters ?? {})) parameterOverrides.set(k.toLowerCase(), { ...v });

  const usage: UsageReport[] = [];
  const logs: LogEntry[] = [];
  const cache = new Map<string, { value: string; expiresAt: number }>();
  const http = new SyncHttpClient(options.httpTimeoutMs);
  const tasks: TaskState[] = [];
  let taskSeq = 0;

  const findScript = (scriptId: string, types: string[]): ScriptDef => {
    const def = project.scripts.find((s) => s.scriptId === scriptId.toLowerCase() || s.internalId === scriptId);
    if (!def || !types.includes(def.scriptType)) {
      throw new SuiteScriptError('SSS_INVALID_SCRIPT_ID', `No ${types.join(' or ')} script ${scriptId} is deployed in this account.`);
    }
    return def;
  };
  const findDeployment = (def: ScriptDef, deployId?: string): DeploymentDef => {
    const dep = deployId
      ? def.deployments.find((d) => d.deployId === deployId.toLowerCase() || String(d.number) === deployId)
      : def.deployments.find((d) => d.isDeployed);
    if (!dep) throw new SuiteScriptError('SSS_INVALID_DEPLOYMENT_ID', `${def.scriptId} has no deployment ${deployId ?? '(deployed)'}.`);
    return dep;
  };
  const unfinished = (scriptId: string, deployId: string) =>
    tasks.filter((t) => t.scriptId === scriptId && t.deploymentId === deployId && (t.status === 'PENDING' || t.status === 'PROCESSING'));

  const host: ScriptHost & { lastUsage(): UsageReport | undefined } = {
    accountId,
    envType: options.envType ?? 'SANDBOX',
    engine,
    cabinetRoot: path.join(projectDir, 'FileCabinet'),
    scripts: project.scripts,
    now,
    isFeatureInEffect: (feature) => features.get(feature.toUpperCase()) === true,
    recordLog: (entry) => void logs.push(entry),
    recordUsage: (report) => void usage.push(report),
    lastUsage: () => usage[usage.length - 1],
    parametersFor(script, deployment, overrides) {
      const values: Record<string, string> = {};
      for (const p of script.parameters) if (p.defaultValue !== null) values[p.id] = p.defaultValue;
      Object.assign(values, deployment.parameters, parameterOverrides.get(deployment.deployId) ?? {}, overrides ?? {});
      return values;
    },
    saveRecord: (data, saveOptions, trigger) => userEvents.save(data, saveOptions, trigger),
    deleteRecord: (type, id, trigger) => userEvents.delete(type, id, trigger),
    submitFields: (type, id, values, saveOptions, trigger) => userEvents.submitFields(type, id, values, saveOptions, trigger),
    fireBeforeLoad: (data, type, trigger) => userEvents.beforeLoad(data, type, trigger),
    submitTask: (request, submitter) => submitTask(request, submitter),
    taskStatus: (taskId) => tasks.find((t) => t.id === taskId) ?? null,
    httpRequest: (request: HttpRequestSpec): HttpResponseSpec => http.request(request),
    cacheStore: () => cache,
  };
  const userEvents = new UserEvents(host);

  /** Submit rules of reference 1.2. */
  function submitTask(request: TaskRequest, submitter: Execution): string | null {
    const type = request.taskType === 'MAP_REDUCE' ? 'MapReduceScript' : 'ScheduledScript';
    const def = findScript(request.scriptId, [type]);
    const refuse = (why: string) => {
      throw new SuiteScriptError('FAILED_TO_SUBMIT_JOB_REQUEST_1', `Failed to submit job request: ${why}`);
    };
    const eligible = (d: DeploymentDef) => d.isDeployed && !(type === 'ScheduledScript' && d.status === 'TESTING');
    let dep: DeploymentDef | undefined;
    if (request.deploymentId) {
      dep = def.deployments.find((d) => d.deployId === request.deploymentId);
      if (!dep) throw new SuiteScriptError('SSS_INVALID_DEPLOYMENT_ID', `${def.scriptId} has no deployment ${request.deploymentId}.`);
      if (!eligible(dep)) {
        refuse(`${dep.deployId} is ${dep.isDeployed ? 'in Testing (a scheduled deployment must be Not Scheduled to be queued)' : 'not deployed'}.`);
      }
    } else {
      dep = def.deployments.find((d) => eligible(d) && unfinished(def.scriptId, d.deployId).length === 0);
      if (!dep) refuse(`every deployment of ${def.scriptId} is busy or unavailable.`);
    }
    const deployment = dep as DeploymentDef;
    const open = unfinished(def.scriptId, deployment.deployId);
    const self = submitter.script.scriptId === def.scriptId && submitter.deployment.deployId === deployment.deployId;
    // A running script may resubmit its own deployment: it is queued to run after the current run and submit()
    // returns no task id (reference 1.2). Anything else with an unfinished task is refused.
    const selfResubmit = self && open.length === 1 && open[0]?.status === 'PROCESSING';
    if (open.length > 0 && !selfResubmit) refuse(`${def.scriptId}/${deployment.deployId} already has an unfinished task.`);
    taskSeq += 1;
    const task: TaskState = {
      id: `${request.taskType === 'MAP_REDUCE' ? 'MAPREDUCETASK' : 'SCHEDSCRIPT'}_${String(taskSeq).padStart(6, '0')}`,
      taskType: request.taskType,
      scriptId: def.scriptId,
      deploymentId: deployment.deployId,
      params: request.params,
      status: 'PENDING',
      stage: null,
    };
    tasks.push(task);
    changed();
    return selfResubmit ? null : task.id;
  }

  function runTask(task: TaskState, run: () => MapReduceResult | ScheduledRunResult): MapReduceResult | ScheduledRunResult {
    task.status = 'PROCESSING';
    changed();
    try {
      const result = run();
      const failed = 'error' in result ? result.error !== null : result.summarizeError !== null;
      task.status = failed ? 'FAILED' : 'COMPLETE';
      return result;
    } catch (e) {
      task.status = 'FAILED';
      throw e;
    } finally {
      task.stage = null;
      changed();
    }
  }

  function mapReduce(def: ScriptDef, dep: DeploymentDef, task: TaskState, opts: MapReduceRunOptions): MapReduceResult {
    return runTask(task, () =>
      runMapReduceJob(host, def, dep, {
        ...opts,
        onStage: (stage) => {
          task.stage = stage;
          opts.onStage?.(stage);
        },
      }),
    ) as MapReduceResult;
  }

  function scheduled(def: ScriptDef, dep: DeploymentDef, type: string, parameters?: Record<string, string>): ScheduledRunResult {
    const spec = { script: def, deployment: dep, entryPoint: 'execute', executionContext: 'SCHEDULED', ...(parameters ? { parameters } : {}) };
    const loaded = loadScript(host, spec);
    const InvocationType = { SCHEDULED: 'SCHEDULED', ON_DEMAND: 'ON_DEMAND', USER_INTERFACE: 'USER_INTERFACE', ABORTED: 'ABORTED', SKIPPED: 'SKIPPED' };
    try {
      loaded.run(spec, (fn) => fn({ type, InvocationType }));
      return { report: usage[usage.length - 1] as UsageReport, error: null };
    } catch (e) {
      return { report: usage[usage.length - 1] as UsageReport, error: serializeError(e) };
    }
  }

  const directTask = (def: ScriptDef, dep: DeploymentDef, taskType: TaskState['taskType']): TaskState => {
    if (unfinished(def.scriptId, dep.deployId).length > 0) {
      throw new SuiteScriptError('FAILED_TO_SUBMIT_JOB_REQUEST_1', `${def.scriptId}/${dep.deployId} already has an unfinished task.`);
    }
    taskSeq += 1;
    const task: TaskState = {
      id: `${taskType === 'MAP_REDUCE' ? 'MAPREDUCETASK' : 'SCHEDSCRIPT'}_${String(taskSeq).padStart(6, '0')}`,
      taskType,
      scriptId: def.scriptId,
      deploymentId: dep.deployId,
      params: {},
      status: 'PENDING',
      stage: null,
    };
    tasks.push(task);
    changed();
    return task;
  };

  const withUiTrigger = <T>(fn: () => T): T => platform(fn);

  const ui: UiSession = {
    newRecord(type, defaultValues) {
      return withUiTrigger(() => {
        const data = engine.newRecord(type.toLowerCase(), defaultValues);
        userEvents.beforeLoad(data, 'create', USER_INTERFACE);
        return data;
      });
    },
    load(type, id) {
      return withUiTrigger(() => {
        const data = engine.load(type.toLowerCase(), id);
        userEvents.beforeLoad(data, 'edit', USER_INTERFACE);
        return data;
      });
    },
    save(record, saveOptions = {}) {
      return withUiTrigger(() => userEvents.save(record, saveOptions, USER_INTERFACE));
    },
    create(type, values = {}) {
      const data = ui.newRecord(type, undefined);
      Object.assign(data.fields, values.fields ?? {});
      for (const [sublist, lines] of Object.entries(values.sublists ?? {})) data.sublists[sublist] = lines.map((l) => ({ ...l }));
      return ui.save(data);
    },
    edit(type, id, fields) {
      const data = ui.load(type, id);
      Object.assign(data.fields, fields);
      return ui.save(data);
    },
    transform(fromType, fromId, toType, values = {}) {
      const data = withUiTrigger(() => engine.transform(fromType.toLowerCase(), fromId, toType.toLowerCase()));
      Object.assign(data.fields, values.fields ?? {});
      return ui.save(data);
    },
    delete(type, id) {
      withUiTrigger(() => userEvents.delete(type.toLowerCase(), id, USER_INTERFACE));
    },
  };

  // A deploy validates every script file: a bad tag block or entry point fails the whole project, as SDF does.
  for (const def of project.scripts) {
    const dep = def.deployments[0];
    if (!dep) continue;
    loadScript(host, { script: def, deployment: dep, entryPoint: '(load)', executionContext: 'SDFINSTALLATION' });
  }

  const stateFile = options.stateFile === undefined ? null : path.resolve(options.stateFile);
  const snapshot = (): AccountState => ({
    accountId,
    engine: engine.exportState(),
    tasks: { seq: taskSeq, list: tasks.map((t) => ({ ...t, params: { ...t.params } })) },
    seeded,
  });
  let seeded: SeedResult | null = null;
  let restored = false;
  if (stateFile !== null) {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    // The lock is taken before reading, so a second process on the same file is refused before it reads.
    writer = createStateWriter(stateFile, snapshot, options.stateWriteDelayMs ?? 100);
  }
  try {
    const state = stateFile === null ? null : readStateFile(stateFile, accountId);
    if (state) {
      engine.importState(state.engine);
      taskSeq = state.tasks.seq;
      tasks.push(...state.tasks.list);
      seeded = state.seeded;
      restored = true;
    } else {
      if (options.seed !== undefined) seeded = loadSeed(engine, parseSeed(options.seed));
      if (options.seedWith) seeded = options.seedWith(engine);
      changed();
    }
    writer?.flush();
  } catch (err) {
    // Nothing of a failed start is written (a bad seed leaves no state file behind).
    const w = writer as StateWriter | null;
    writer = null;
    w?.abandon();
    throw err;
  }

  const restlets = new LocalRestletRunner(host);

  const restRecords: LocalAccount['restRecords'] = {
    isKnownType: (type) => engine.isKnownType(type),
    findByExternalId: (type, externalId) => engine.findByExternalId(type, externalId),
    load(type, id) {
      // Engine errors pass through as NsError (the host maps RCRD_DSNT_EXIST to 404).
      const data = engine.load(type, id);
      userEvents.beforeLoad(data, 'view', REST_WEB_SERVICES);
      return data;
    },
  };

  return {
    accountId,
    engine,
    restlets,
    restRecords,
    ui,
    get seeded() {
      return seeded;
    },
    restored,
    stateFile,
    snapshot,
    flushState: () => writer?.flush(),
    scripts: () =>
      project.scripts.map((s) => ({
        scriptId: s.scriptId,
        internalId: s.internalId,
        scriptType: s.scriptType,
        file: s.cabinetPath,
        deployments: s.deployments.map((d) => ({
          deployId: d.deployId,
          number: d.number,
          status: d.status,
          isDeployed: d.isDeployed,
          recordType: d.recordType,
        })),
      })),
    runMapReduce(scriptId, deployId, opts = {}) {
      const def = findScript(scriptId, ['MapReduceScript']);
      const dep = findDeployment(def, deployId);
      return mapReduce(def, dep, directTask(def, dep, 'MAP_REDUCE'), opts);
    },
    runScheduled(scriptId, deployId, opts = {}) {
      const def = findScript(scriptId, ['ScheduledScript']);
      const dep = findDeployment(def, deployId);
      const task = directTask(def, dep, 'SCHEDULED_SCRIPT');
      return runTask(task, () => scheduled(def, dep, opts.type ?? 'SCHEDULED', opts.parameters)) as ScheduledRunResult;
    },
    runQueuedTasks() {
      const done: { task: TaskState; result: MapReduceResult | ScheduledRunResult }[] = [];
      // Only the tasks queued now: a script that resubmits itself would otherwise run forever.
      for (const current of tasks.filter((t) => t.status === 'PENDING')) {
        const type = current.taskType === 'MAP_REDUCE' ? 'MapReduceScript' : 'ScheduledScript';
        const def = findScript(current.scriptId, [type]);
        const dep = findDeployment(def, current.deploymentId);
        const result =
          current.taskType === 'MAP_REDUCE'
            ? mapReduce(def, dep, current, { parameters: current.params })
            : runTask(current, () => scheduled(def, dep, 'ON_DEMAND', current.params));
        done.push({ task: { ...current }, result });
      }
      return done;
    },
    tasks: () => tasks.map((t) => ({ ...t })),
    usage: () => [...usage],
    clearUsage: () => void usage.splice(0, usage.length),
    logs: () => [...logs],
    clearLogs: () => void logs.splice(0, logs.length),
    setParameters(deployId, values) {
      parameterOverrides.set(deployId.toLowerCase(), { ...(parameterOverrides.get(deployId.toLowerCase()) ?? {}), ...values });
    },
    setFeature(feature, enabled) {
      features.set(feature.toUpperCase(), enabled);
    },
    async close() {
      try {
        writer?.close();
      } finally {
        await http.close();
      }
    },
  };
}
