/**
 * The local account's state file: the whole account (records of every type with their versions, the internal-id
 * and transaction-number counters, externalIds and references, inventory per location, queued tasks and the seed's
 * ids) in one JSON file, so an account keeps its data across restarts. Governance usage, logs and N/cache values
 * are not kept (NetSuite itself may evict cache values at any time).
 *
 * Format: `{ format: "ledgerbridge-local-account", version: 1, accountId, savedAt, engine, tasks, seeded }`.
 * Ids and money are strings in the records, so they stay exact; counters are decimal strings (any size); Date
 * values are written as `{ "$date": "<ISO>" }` and numbers JSON cannot hold (NaN, ±Infinity) as `{ "$number": "NaN" }`.
 *
 * Writes are atomic (a temp file next to it, fsync, rename) and coalesced: a change schedules one write a short
 * delay later; flush() writes at once (close() and process exit call it). A lock file (`<file>.lock`, holding the
 * pid and a token) keeps two live processes from sharing one state file.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findJsonSyntaxError } from './json-errors';
import type { EngineState } from './records/engine';
import type { FieldValue, LineData, RecordData } from './records/types';
import type { TaskState } from './runtime/execution';
import type { SeedResult } from './seed';

export const STATE_FORMAT = 'ledgerbridge-local-account';
export const STATE_FORMAT_VERSION = 1;

/** The account's state as plain values (Dates as Date objects); what the file holds once decoded. */
export interface AccountState {
  accountId: string;
  engine: EngineState;
  tasks: { seq: number; list: TaskState[] };
  seeded: SeedResult | null;
}

/** An unreadable, incompatible or busy state file. `file` names it; the message says how to fix it. */
export class StateFileError extends Error {
  readonly code = 'INVALID_STATE_FILE';
  constructor(readonly file: string, problem: string, fix: string) {
    super(`Local account state file ${file}: ${problem}. ${fix}`);
    this.name = 'StateFileError';
  }
}

const FIX_UNREADABLE = 'Restore the file from a backup, or delete it (and the data that depends on it) to start a fresh account from the seed.';

// ---- encoding ------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function encodeValue(v: FieldValue): Json {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
  if (Array.isArray(v)) return [...v];
  return v;
}

function encodeFields(fields: Record<string, FieldValue>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = encodeValue(v);
  return out;
}

/** The state as JSON-ready data (the file's content). */
export function encodeState(state: AccountState, savedAt: Date): Json {
  return {
    format: STATE_FORMAT,
    version: STATE_FORMAT_VERSION,
    accountId: state.accountId,
    savedAt: savedAt.toISOString(),
    engine: {
      lastId: state.engine.store.lastId,
      tranNumbers: { ...state.engine.store.tranNumbers },
      records: state.engine.store.records.map(({ record, refs }) => ({
        type: record.type,
        id: record.id,
        version: record.version,
        fields: encodeFields(record.fields),
        sublists: Object.fromEntries(Object.entries(record.sublists).map(([name, lines]) => [name, lines.map(encodeFields)])),
        refs: [...refs],
      })),
      inventory: state.engine.inventory.map(([item, location, q]) => [item, location, q]),
    },
    tasks: { seq: state.tasks.seq, list: state.tasks.list.map((t) => ({ ...t, params: { ...t.params } })) as unknown as Json },
    seeded: state.seeded as unknown as Json,
  };
}

// ---- decoding (checked: a file someone edited by hand must fail with a clear message, not half-load) -----------

class Invalid extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function must<T>(ok: boolean, where: string, what: string, v: unknown): T {
  if (!ok) throw new Invalid(`${where} must be ${what}`);
  return v as T;
}

const decimal = (v: unknown, where: string): string =>
  must(typeof v === 'string' && /^\d+$/.test(v), where, 'a decimal string', v);
const text = (v: unknown, where: string): string => must(typeof v === 'string' && v !== '', where, 'a non-empty string', v);

function decodeValue(v: unknown, where: string): FieldValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((x, i) => must<string>(typeof x === 'string', `${where}[${i}]`, 'a string', x));
  if (isObject(v) && typeof v.$date === 'string' && Object.keys(v).length === 1) {
    const d = new Date(v.$date);
    if (Number.isNaN(d.getTime())) throw new Invalid(`${where} holds an invalid date '${v.$date}'`);
    return d;
  }
  if (isObject(v) && typeof v.$number === 'string' && Object.keys(v).length === 1) {
    const n = Number(v.$number);
    if (!['NaN', 'Infinity', '-Infinity'].includes(v.$number)) throw new Invalid(`${where} holds an unknown number '${v.$number}'`);
    return n;
  }
  throw new Invalid(`${where} holds a value of an unknown kind`);
}

function decodeFields(v: unknown, where: string): Record<string, FieldValue> {
  const o = must<Record<string, unknown>>(isObject(v), where, 'an object', v);
  const out: LineData = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x, `${where}.${k}`);
  return out;
}

function decodeRecord(v: unknown, where: string): { record: RecordData; refs: string[] } {
  const o = must<Record<string, unknown>>(isObject(v), where, 'an object', v);
  const sublists = must<Record<string, unknown>>(isObject(o.sublists), `${where}.sublists`, 'an object', o.sublists);
  const refs = must<unknown[]>(Array.isArray(o.refs), `${where}.refs`, 'an array', o.refs);
  const record: RecordData = {
    type: text(o.type, `${where}.type`),
    id: text(o.id, `${where}.id`),
    version: must(Number.isSafeInteger(o.version) && (o.version as number) >= 1, `${where}.version`, 'a positive integer', o.version),
    fields: decodeFields(o.fields, `${where}.fields`),
    sublists: Object.fromEntries(Object.entries(sublists).map(([name, lines]) => [
      name,
      must<unknown[]>(Array.isArray(lines), `${where}.sublists.${name}`, 'an array', lines)
        .map((l, i) => decodeFields(l, `${where}.sublists.${name}[${i}]`)),
    ])),
  };
  return { record, refs: refs.map((r, i) => text(r, `${where}.refs[${i}]`)) };
}

const TASK_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETE', 'FAILED'];

function decodeTask(v: unknown, where: string): TaskState {
  const o = must<Record<string, unknown>>(isObject(v), where, 'an object', v);
  const params = must<Record<string, unknown>>(isObject(o.params), `${where}.params`, 'an object', o.params);
  const status = must<TaskState['status']>(TASK_STATUSES.includes(o.status as string), `${where}.status`, TASK_STATUSES.join('/'), o.status);
  return {
    id: text(o.id, `${where}.id`),
    taskType: must<TaskState['taskType']>(o.taskType === 'MAP_REDUCE' || o.taskType === 'SCHEDULED_SCRIPT', `${where}.taskType`, 'MAP_REDUCE or SCHEDULED_SCRIPT', o.taskType),
    scriptId: text(o.scriptId, `${where}.scriptId`),
    deploymentId: text(o.deploymentId, `${where}.deploymentId`),
    params: Object.fromEntries(Object.entries(params).map(([k, x]) => [k, must<string>(typeof x === 'string', `${where}.params.${k}`, 'a string', x)])),
    // A task that was running when the process stopped runs again from the start (the file is written between
    // script runs, so a PROCESSING task here means the process ended in the middle of it).
    status: status === 'PROCESSING' ? 'PENDING' : status,
    stage: null,
  };
}

function decodeSeeded(v: unknown): SeedResult | null {
  if (v === null || v === undefined) return null;
  const o = must<Record<string, unknown>>(isObject(v), 'seeded', 'an object or null', v);
  for (const k of ['customers', 'items', 'locations', 'accounts', 'orders']) must(isObject(o[k]), `seeded.${k}`, 'an object', o[k]);
  return o as unknown as SeedResult;
}

/** Decodes and checks a parsed state file; throws StateFileError naming the file and the fix. */
export function decodeState(file: string, data: unknown, expectedAccountId: string): AccountState {
  if (!isObject(data) || data.format !== STATE_FORMAT) {
    throw new StateFileError(file, `not a local account state file (no "format": "${STATE_FORMAT}")`, `Point the account at another file, or ${FIX_UNREADABLE.charAt(0).toLowerCase()}${FIX_UNREADABLE.slice(1)}`);
  }
  if (data.version !== STATE_FORMAT_VERSION) {
    throw new StateFileError(file, `format version ${JSON.stringify(data.version)} is not supported (this local account reads version ${STATE_FORMAT_VERSION})`,
      'Open it with the Ledgerbridge version that wrote it, or delete it (and the data that depends on it) to start a fresh account from the seed.');
  }
  if (data.accountId !== expectedAccountId) {
    throw new StateFileError(file, `it holds account ${JSON.stringify(data.accountId)}, not ${expectedAccountId}`,
      `Start the account with accountId ${JSON.stringify(data.accountId)}, or use another state file for ${expectedAccountId}.`);
  }
  try {
    const e = must<Record<string, unknown>>(isObject(data.engine), 'engine', 'an object', data.engine);
    const tranNumbers = must<Record<string, unknown>>(isObject(e.tranNumbers), 'engine.tranNumbers', 'an object', e.tranNumbers);
    const records = must<unknown[]>(Array.isArray(e.records), 'engine.records', 'an array', e.records)
      .map((r, i) => decodeRecord(r, `engine.records[${i}]`));
    const lastId = BigInt(decimal(e.lastId, 'engine.lastId'));
    const ids = new Set<string>();
    for (const [i, { record }] of records.entries()) {
      const id = record.id as string;
      if (ids.has(id)) throw new Invalid(`engine.records[${i}].id ${id} appears twice`);
      ids.add(id);
      if (/^\d+$/.test(id) && BigInt(id) > lastId) throw new Invalid(`engine.records[${i}].id ${id} is past engine.lastId ${lastId}`);
    }
    const inventory = must<unknown[]>(Array.isArray(e.inventory), 'engine.inventory', 'an array', e.inventory).map((row, i) => {
      const ok = Array.isArray(row) && row.length === 3 && typeof row[0] === 'string' && typeof row[1] === 'string' && typeof row[2] === 'number' && Number.isFinite(row[2]);
      return must<[string, string, number]>(ok, `engine.inventory[${i}]`, '[item, location, quantity]', row);
    });
    const t = must<Record<string, unknown>>(isObject(data.tasks), 'tasks', 'an object', data.tasks);
    const list = must<unknown[]>(Array.isArray(t.list), 'tasks.list', 'an array', t.list).map((x, i) => decodeTask(x, `tasks.list[${i}]`));
    return {
      accountId: expectedAccountId,
      engine: {
        store: {
          lastId: lastId.toString(),
          tranNumbers: Object.fromEntries(Object.entries(tranNumbers).map(([k, v]) => [k, decimal(v, `engine.tranNumbers.${k}`)])),
          records,
        },
        inventory,
      },
      tasks: { seq: must(Number.isSafeInteger(t.seq) && (t.seq as number) >= 0, 'tasks.seq', 'a non-negative integer', t.seq), list },
      seeded: decodeSeeded(data.seeded),
    };
  } catch (err) {
    if (err instanceof Invalid) throw new StateFileError(file, `it is damaged: ${err.message}`, FIX_UNREADABLE);
    throw err;
  }
}

/** Reads and checks a state file; null when it does not exist. */
export function readStateFile(file: string, expectedAccountId: string): AccountState | null {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(file, `cannot be read (${(err as Error).message})`, 'Check the file permissions and the path.');
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    const p = findJsonSyntaxError(raw);
    const problem = p ? `it is not valid JSON at ${p.line}:${p.column} (${p.message})` : `it is not valid JSON (${(err as Error).message})`;
    throw new StateFileError(file, raw.trim() === '' ? 'the file is empty' : problem, FIX_UNREADABLE);
  }
  return decodeState(file, data, expectedAccountId);
}

/** Writes a file atomically: a temp file in the same folder, fsync, rename over the target, fsync the folder. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic.
  }
}

// ---- the lock and the coalescing writer ---------------------------------------------------------------------

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<file>.lock` for this process (a lock left by a process that no longer runs is taken over). */
function lock(file: string): () => void {
  const lockFile = `${file}.lock`;
  const token = `${process.pid} ${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${token}\n`, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(lockFile, 'utf8').trim() === token) fs.unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StateFileError(file, `its lock file ${lockFile} cannot be created (${(err as Error).message})`, 'Check the folder exists and is writable.');
      }
      const pid = Number(fs.readFileSync(lockFile, 'utf8').trim().split(' ')[0]);
      if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid))) {
        throw new StateFileError(file, `it is in use by ${pid === process.pid ? 'another local account in this process' : `process ${pid}`}`,
          `Stop that ${pid === process.pid ? 'account (close())' : 'process'} first, or use another state file.`);
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new StateFileError(file, `its lock file ${lockFile} keeps reappearing`, 'Make sure only one process uses this state file.');
}

export interface StateWriter {
  readonly file: string;
  /** Records that the state changed: a write follows within the delay. */
  changed(): void;
  /** Writes now if anything changed since the last write. Throws the last write error, if any. */
  flush(): void;
  /** Flushes, then releases the lock and the exit hook. */
  close(): void;
  /** Releases the lock and the exit hook without writing what is pending. */
  abandon(): void;
}

/**
 * Keeps `file` up to date with `snapshot()`: one write `delayMs` after the first change (changes in between are
 * coalesced into it), at flush(), close() and process exit. Takes the file's lock at once.
 */
export function createStateWriter(file: string, snapshot: () => AccountState, delayMs: number, now: () => Date = () => new Date()): StateWriter {
  const unlock = lock(file);
  let dirty = false;
  let timer: NodeJS.Timeout | null = null;
  let failure: Error | null = null;
  let closed = false;

  const write = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!dirty) return;
    dirty = false;
    try {
      writeFileAtomic(file, `${JSON.stringify(encodeState(snapshot(), now()))}\n`);
      failure = null;
    } catch (err) {
      dirty = true;
      failure = new StateFileError(file, `cannot be written (${(err as Error).message})`, 'Check the disk and the folder permissions.');
    }
  };
  const onExit = () => {
    write();
    unlock();
  };
  process.on('exit', onExit);

  return {
    file,
    changed() {
      if (closed) return;
      dirty = true;
      if (!timer) {
        timer = setTimeout(write, delayMs);
        timer.unref();
      }
    },
    flush() {
      write();
      if (failure) throw failure;
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        write();
        if (failure) throw failure;
      } finally {
        process.removeListener('exit', onExit);
        unlock();
      }
    },
    abandon() {
      closed = true;
      dirty = false;
      if (timer) clearTimeout(timer);
      timer = null;
      process.removeListener('exit', onExit);
      unlock();
    },
  };
}
