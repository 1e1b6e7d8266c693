/**
 * Loads SuiteScript 2.x AMD files from a project's File Cabinet into a vm context, as NetSuite does: each file
 * calls `define` once; dependencies are 'require', 'exports', 'module', N/* modules and relative or absolute File
 * Cabinet paths; NetSuite's global `log` is present. Entry files are checked like NetSuite checks them on upload
 * (reference/netsuite-platform.md 3.1): INVALID_API_VERSION, MISSING_SCRIPT_TYPE, MULTIPLE_DEFINE_CALLS and
 * SCRIPT_OF_API_VERSION_20_MUST_IMPLEMENT_A_SCRIPT_TYPE_INTERFACE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { readTags } from '../../tools/sdf/script-file';
import { SuiteScriptError } from './errors';
import type { ScriptDef } from './discovery';
import type { ExecutionSlot } from './execution';
import { scriptFileNames } from './governance';

export type ModuleFactory = (slot: ExecutionSlot) => unknown;

/** Entry points by script type; a script must export at least one (MapReduce: getInputData and map or reduce). */
export const ENTRY_POINTS: Record<string, string[]> = {
  UserEventScript: ['beforeLoad', 'beforeSubmit', 'afterSubmit'],
  Restlet: ['get', 'post', 'put', 'delete'],
  MapReduceScript: ['getInputData', 'map', 'reduce', 'summarize'],
  ScheduledScript: ['execute'],
  Suitelet: ['onRequest'],
  ClientScript: ['pageInit', 'fieldChanged', 'postSourcing', 'sublistChanged', 'lineInit', 'validateField',
    'validateLine', 'validateInsert', 'validateDelete', 'saveRecord'],
  MassUpdateScript: ['each'],
  Portlet: ['render'],
  WorkflowActionScript: ['onAction'],
  BundleInstallationScript: ['beforeInstall', 'afterInstall', 'beforeUpdate', 'afterUpdate', 'beforeUninstall'],
};

const API_VERSIONS = new Set(['2.0', '2.1', '2.x', '2.X']);

const compiled = new Map<string, { mtimeMs: number; script: vm.Script; source: string }>();

function compile(absPath: string, cabinetPath: string): { script: vm.Script; source: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absPath);
  } catch {
    throw new SuiteScriptError('MODULE_DOES_NOT_EXIST', `Module does not exist: ${cabinetPath}`);
  }
  const hit = compiled.get(absPath);
  if (hit && hit.mtimeMs === stat.mtimeMs) return hit;
  const source = fs.readFileSync(absPath, 'utf8');
  let script: vm.Script;
  try {
    script = new vm.Script(source, { filename: cabinetPath });
  } catch (e) {
    throw new SuiteScriptError('SSS_SYNTAX_ERROR', `${cabinetPath}: ${(e as Error).message}`);
  }
  scriptFileNames.add(cabinetPath);
  const entry = { mtimeMs: stat.mtimeMs, script, source };
  compiled.set(absPath, entry);
  return entry;
}

interface DefineCall {
  deps: unknown[] | null;
  factory: unknown;
}

/** One script context: a vm realm with its own module registry (module state is per context, as in NetSuite). */
export class ScriptContext {
  private readonly context: vm.Context;
  private readonly files = new Map<string, { exports: Record<string, unknown>; value: unknown; done: boolean }>();
  private readonly platform = new Map<string, unknown>();
  private capture: DefineCall[] | null = null;

  constructor(
    private readonly cabinetRoot: string,
    private readonly slot: ExecutionSlot,
    private readonly factories: Record<string, ModuleFactory>,
  ) {
    const sandbox: Record<string, unknown> = {
      define: (...args: unknown[]) => this.define(args),
      require: this.makeRequire('/'),
      log: this.platformModule('N/log'),
    };
    this.context = vm.createContext(sandbox, { name: 'suitescript' });
  }

  /** Loads a script's entry file, checks it like NetSuite does, and returns its entry-point object. */
  loadEntry(def: ScriptDef): Record<string, unknown> {
    const { source } = compile(def.absPath, def.cabinetPath);
    checkTags(def, source);
    const value = this.loadFile(def.cabinetPath, true);
    const entry = (value ?? {}) as Record<string, unknown>;
    checkEntryPoints(def, entry);
    return entry;
  }

  private define(args: unknown[]): void {
    if (!this.capture) throw new SuiteScriptError('SSS_INVALID_API_USAGE', 'define() may only be called while a module loads.');
    let deps: unknown[] | null = null;
    let factory: unknown = undefined;
    const rest = typeof args[0] === 'string' ? args.slice(1) : args; // define(id, deps, factory)
    if (Array.isArray(rest[0])) {
      deps = rest[0];
      factory = rest[1];
    } else {
      factory = rest[0];
    }
    this.capture.push({ deps, factory });
  }

  private loadFile(cabinetPath: string, isEntry: boolean): unknown {
    const known = this.files.get(cabinetPath);
    if (known) return known.done ? known.value : known.exports; // a cycle sees the exports object, as in AMD
    const absPath = path.join(this.cabinetRoot, ...cabinetPath.split('/').filter(Boolean));
    const { script } = compile(absPath, cabinetPath);
    const calls: DefineCall[] = [];
    const outer = this.capture;
    this.capture = calls;
    try {
      script.runInContext(this.context);
    } finally {
      this.capture = outer;
    }
    if (calls.length > 1) {
      throw new SuiteScriptError('MULTIPLE_DEFINE_CALLS', `${cabinetPath} calls define() ${calls.length} times; it must be called once.`);
    }
    const call = calls[0];
    if (!call) {
      if (isEntry) {
        throw new SuiteScriptError(
          'SCRIPT_OF_API_VERSION_20_MUST_IMPLEMENT_A_SCRIPT_TYPE_INTERFACE',
          `${cabinetPath} does not call define(), so it implements no script type interface.`,
        );
      }
      throw new SuiteScriptError('MODULE_DOES_NOT_EXIST', `${cabinetPath} does not define a module.`);
    }
    const record = { exports: {} as Record<string, unknown>, value: undefined as unknown, done: false };
    this.files.set(cabinetPath, record);
    if (typeof call.factory !== 'function') {
      record.value = call.factory;
    } else {
      const dir = path.posix.dirname(cabinetPath);
      const resolved = (call.deps ?? []).map((d) => this.dependency(String(d), dir, record.exports, cabinetPath));
      const returned = (call.factory as (...a: unknown[]) => unknown)(...resolved);
      record.value = returned !== undefined ? returned : record.exports;
    }
    record.done = true;
    return record.value;
  }

  private dependency(id: string, dir: string, exports: Record<string, unknown>, cabinetPath: string): unknown {
    if (id === 'require') return this.makeRequire(dir);
    if (id === 'exports') return exports;
    if (id === 'module') return { id: cabinetPath, exports };
    return this.resolve(id, dir);
  }

  private resolve(id: string, dir: string): unknown {
    if (id === 'N' || id.startsWith('N/')) return this.platformModule(id);
    let target = id.startsWith('.') ? path.posix.resolve(dir, id) : path.posix.resolve('/', id);
    if (!target.endsWith('.js')) target += '.js';
    return this.loadFile(target, false);
  }

  private platformModule(id: string): unknown {
    if (this.platform.has(id)) return this.platform.get(id);
    const factory = this.factories[id];
    if (!factory) throw new SuiteScriptError('MODULE_DOES_NOT_EXIST', `Module does not exist: ${id} (not provided by the local account).`);
    const instance = factory(this.slot);
    this.platform.set(id, instance);
    return instance;
  }

  /** AMD require: `require('N/x')` returns the module; `require(['a','b'], cb)` loads them and calls back. */
  private makeRequire(dir: string): (ids: unknown, cb?: (...m: unknown[]) => void) => unknown {
    return (ids, cb) => {
      if (typeof ids === 'string') return this.resolve(ids, dir);
      if (Array.isArray(ids)) {
        const mods = ids.map((i) => this.resolve(String(i), dir));
        if (typeof cb === 'function') cb(...mods);
        return undefined;
      }
      throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'require needs a module id or an array of ids.');
    };
  }
}

/** The tag-block checks NetSuite makes on an entry script (3.1). */
export function checkTags(def: ScriptDef, source: string): void {
  const { tags } = readTags(source);
  if (!tags.apiVersion || !API_VERSIONS.has(tags.apiVersion)) {
    throw new SuiteScriptError(
      'INVALID_API_VERSION',
      `${def.cabinetPath}: @NApiVersion ${tags.apiVersion ?? '(missing)'} is not a valid version (2.0, 2.1, 2.x).`,
    );
  }
  if (!tags.scriptType) {
    throw new SuiteScriptError('MISSING_SCRIPT_TYPE', `${def.cabinetPath}: the @NScriptType tag is missing.`);
  }
  if (tags.scriptType.toLowerCase() !== def.scriptType.toLowerCase()) {
    // UNCONFIRMED error code: NetSuite refuses a script object whose file declares another type; the code
    // name is not in the reference, so the emulator uses a descriptive one.
    throw new SuiteScriptError(
      'INVALID_SCRIPT_TYPE',
      `${def.cabinetPath}: @NScriptType ${tags.scriptType} does not match the ${def.scriptType} object ${def.scriptId}.`,
    );
  }
}

export function checkEntryPoints(def: ScriptDef, entry: Record<string, unknown>): void {
  const names = ENTRY_POINTS[def.scriptType] ?? [];
  const present = names.filter((n) => typeof entry[n] === 'function');
  const ok =
    def.scriptType === 'MapReduceScript'
      ? present.includes('getInputData') && (present.includes('map') || present.includes('reduce'))
      : present.length > 0;
  if (!ok) {
    throw new SuiteScriptError(
      'SCRIPT_OF_API_VERSION_20_MUST_IMPLEMENT_A_SCRIPT_TYPE_INTERFACE',
      `${def.cabinetPath} must implement the ${def.scriptType} interface (${names.join(', ')}).`,
    );
  }
}
