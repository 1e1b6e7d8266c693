/**
 * A simulator's state in a file, so a simulated platform keeps its orders, refunds, id sequences and token state
 * across restarts (the sandbox keeps one file per platform in its data folder).
 *
 * Format: `{ format: "ledgerbridge-simulator", platform, version: 1, tag, savedAt, state }`. `state` is the
 * simulator's own snapshot in JSON with two tagged kinds: a Map as `{ "$map": [[key, value], …] }` and an exact
 * JSON number (JsonNumber) as `{ "$number": "<digits>" }`, so ids past 2^53 and money stay exact. `tag` is an
 * opaque label the owner chooses (the sandbox: its world id); a file with another tag is refused.
 *
 * Writes are atomic (a temp file next to it, fsync, rename; mode 0600, the state holds tokens) and coalesced: a
 * change schedules one write `delayMs` later; flush() writes now; close() and process exit write what is pending.
 * A damaged, foreign or incompatible file throws SimulatorStateError naming the file and the fix; it is never
 * silently replaced by a fresh simulator.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonNumber } from '../../connectors/shared/json';

export const SIMULATOR_STATE_FORMAT = 'ledgerbridge-simulator';
export const SIMULATOR_STATE_VERSION = 1;

/** A simulator state file that cannot be used; the message names the file and the fix. */
export class SimulatorStateError extends Error {
  readonly code = 'INVALID_SIMULATOR_STATE';
  constructor(readonly file: string, problem: string, fix: string) {
    super(`Simulator state file ${file}: ${problem}. ${fix}`);
    this.name = 'SimulatorStateError';
  }
}

const FIX_UNREADABLE = 'Restore the file from a backup, or delete it (and the data that depends on it) to start the simulator afresh.';

/** JSON text of a simulator snapshot: Maps and JsonNumbers tagged (see the format above). */
export function encodeSimulatorState(value: unknown): unknown {
  if (value instanceof JsonNumber) return { $number: value.text };
  if (value instanceof Map) return { $map: [...value.entries()].map(([k, v]) => [encodeSimulatorState(k), encodeSimulatorState(v)]) };
  if (Array.isArray(value)) return value.map(encodeSimulatorState);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeSimulatorState(v)]));
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The inverse of encodeSimulatorState. */
export function decodeSimulatorState(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeSimulatorState);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$number' && typeof o.$number === 'string') return new JsonNumber(o.$number);
    if (keys.length === 1 && keys[0] === '$map' && Array.isArray(o.$map)) {
      return new Map((o.$map as unknown[]).map((e) => {
        if (!Array.isArray(e) || e.length !== 2) throw new TypeError('a $map entry must be [key, value]');
        return [decodeSimulatorState(e[0]), decodeSimulatorState(e[1])] as const;
      }));
    }
    return Object.fromEntries(keys.map((k) => [k, decodeSimulatorState(o[k])]));
  }
  return value;
}

function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export interface SimulatorStateOptions {
  /** The file; its folder is created if missing. */
  file: string;
  /** 'shopify', 'magento', 'ebay', 'amazon': a file of another platform is refused. */
  platform: string;
  /** The owner's label; a file written with another tag is refused (default: none, any tag accepted). */
  tag?: string;
  /** Delay that coalesces writes, in ms; default 100. */
  delayMs?: number;
}

export interface SimulatorStateFile {
  readonly file: string;
  /** The saved snapshot (decoded), or null when the file does not exist. */
  read(): unknown;
  /** Starts writing `snapshot()` on change; call once the simulator holds its state (restored or fresh). */
  attach(snapshot: () => unknown): void;
  /** The state changed: a write follows within the delay (coalesced). */
  changed(): void;
  /** Writes now if anything changed. */
  flush(): void;
  /** Flushes and stops (no further writes). */
  close(): void;
}

/** A simulator's state file: read it once, then keep it current (see the module comment). */
export function simulatorStateFile(options: SimulatorStateOptions): SimulatorStateFile {
  const file = path.resolve(options.file);
  const delayMs = options.delayMs ?? 100;
  let snapshot: (() => unknown) | null = null;
  let dirty = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let lastText = '';

  const write = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!dirty || !snapshot) return;
    dirty = false;
    const state = encodeSimulatorState(snapshot());
    const text = JSON.stringify(state);
    // Reads change nothing: skip the write when the state is what the file already holds.
    if (text === lastText) return;
    const body = { format: SIMULATOR_STATE_FORMAT, platform: options.platform, version: SIMULATOR_STATE_VERSION, tag: options.tag ?? null, savedAt: new Date().toISOString(), state };
    try {
      writeAtomic(file, `${JSON.stringify(body)}\n`);
      lastText = text;
    } catch (error) {
      dirty = true;
      throw new SimulatorStateError(file, `cannot be written (${(error as Error).message})`, 'Check the disk and the folder permissions.');
    }
  };
  const onExit = () => {
    try {
      write();
    } catch {
      // nothing more can be done while the process exits
    }
  };

  return {
    file,
    read() {
      let raw: string;
      try {
        raw = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new SimulatorStateError(file, `cannot be read (${(error as Error).message})`, 'Check the file permissions and the path.');
      }
      let data: unknown;
      try {
        data = JSON.parse(raw);
      } catch (error) {
        throw new SimulatorStateError(file, raw.trim() === '' ? 'the file is empty' : `it is not valid JSON (${(error as Error).message})`, FIX_UNREADABLE);
      }
      const o = (data && typeof data === 'object' && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
      if (o.format !== SIMULATOR_STATE_FORMAT) throw new SimulatorStateError(file, `not a simulator state file (no "format": "${SIMULATOR_STATE_FORMAT}")`, FIX_UNREADABLE);
      if (o.platform !== options.platform) throw new SimulatorStateError(file, `it holds a simulated ${String(o.platform)}, not ${options.platform}`, 'Point the simulator at its own file.');
      if (o.version !== SIMULATOR_STATE_VERSION) {
        throw new SimulatorStateError(file, `format version ${JSON.stringify(o.version)} is not supported (this simulator reads version ${SIMULATOR_STATE_VERSION})`, FIX_UNREADABLE);
      }
      if (options.tag !== undefined && o.tag !== options.tag) {
        throw new SimulatorStateError(file, `it was written for ${JSON.stringify(o.tag)}, not ${JSON.stringify(options.tag)} (another sandbox's simulator)`, FIX_UNREADABLE);
      }
      if (!o.state || typeof o.state !== 'object') throw new SimulatorStateError(file, 'it is damaged: "state" must be an object', FIX_UNREADABLE);
      try {
        const state = decodeSimulatorState(o.state);
        lastText = JSON.stringify(o.state);
        return state;
      } catch (error) {
        throw new SimulatorStateError(file, `it is damaged: ${(error as Error).message}`, FIX_UNREADABLE);
      }
    },
    attach(take) {
      snapshot = take;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      process.on('exit', onExit);
      dirty = true;
      write();
    },
    changed() {
      if (closed) return;
      dirty = true;
      if (!timer) {
        timer = setTimeout(onExit, delayMs);
        timer.unref();
      }
    },
    flush() {
      dirty = true;
      write();
    },
    close() {
      if (closed) return;
      closed = true;
      // The simulator's exported `state` may have been changed directly: compare and write if it differs.
      dirty = true;
      try {
        write();
      } finally {
        process.removeListener('exit', onExit);
      }
    },
  };
}

/** Throws a "damaged" SimulatorStateError unless `ok` (checks while restoring a snapshot). */
export function expectState(ok: boolean, file: string, what: string): void {
  if (!ok) throw new SimulatorStateError(file, `it is damaged: ${what}`, FIX_UNREADABLE);
}

/** Wraps a simulator function that changes state: the state file learns of the change when it returns (or settles). */
export function trackChanges<A extends unknown[], R>(state: SimulatorStateFile | null, f: (...args: A) => R): (...args: A) => R {
  if (!state) return f;
  return (...args: A): R => {
    try {
      const result = f(...args);
      if (result instanceof Promise) void result.then(() => state.changed(), () => state.changed());
      return result;
    } finally {
      state.changed();
    }
  };
}

/** The options every simulator takes to keep its state in a file. */
export interface SimulatorPersistence {
  /**
   * Keep the simulator's state in this file across restarts: when it exists the simulator is restored from it (no
   * sample orders are added); when it does not, it starts fresh and the file is written at once. Then every change
   * is written (coalesced), and close() or process exit writes what is pending.
   */
  stateFile?: string;
  /** A label the file must carry (the sandbox: its world id); a file with another one is refused. */
  stateTag?: string;
}

/** The state file for a simulator's options, or null when it has none. */
export function openSimulatorState(platform: string, options: SimulatorPersistence): SimulatorStateFile | null {
  if (options.stateFile === undefined) return null;
  return simulatorStateFile({ file: options.stateFile, platform, ...(options.stateTag === undefined ? {} : { tag: options.stateTag }) });
}

/** Puts a restored Map's entries into a simulator's live Map (checked: a damaged file must not half-load). */
export function restoreMap<V>(target: Map<string, V>, saved: unknown, file: string, what: string): void {
  expectState(saved instanceof Map, file, `${what} must be a map`);
  for (const [k, v] of saved as Map<unknown, unknown>) {
    expectState(typeof k === 'string' && typeof v === 'object' && v !== null, file, `${what} holds an entry that is not an object under a string key`);
    target.set(k as string, v as V);
  }
}
