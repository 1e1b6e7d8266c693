/**
 * The in-memory store of one account: records by internal id, ids by type, externalIds per type and a reverse
 * index of references (which records point at which), used for dependent-record delete blocking and for
 * recomputing balances and statuses of the records a save touches. Pure data structures, no I/O.
 *
 * Internal ids come from one counter kept as a bigint, so ids past 2^53 (an account restored from a state file
 * with large ids) stay exact. exportState/importState hand the whole store to the account's state file.
 */
import { cloneValue } from './quirks';
import type { RecordData } from './types';

export function cloneRecord(record: RecordData): RecordData {
  const fields: RecordData['fields'] = {};
  for (const [k, v] of Object.entries(record.fields)) fields[k] = cloneValue(v);
  const sublists: RecordData['sublists'] = {};
  for (const [name, lines] of Object.entries(record.sublists)) {
    sublists[name] = lines.map((line) => {
      const copy: Record<string, RecordData['fields'][string]> = {};
      for (const [k, v] of Object.entries(line)) copy[k] = cloneValue(v);
      return copy;
    });
  }
  return { type: record.type, id: record.id, fields, sublists, version: record.version };
}

/** Orders internal ids numerically (decimal strings of any length), non-numeric ids after them. */
export function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  }
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Everything a store holds, as plain data (records are the store's own objects: copy before changing them). */
export interface StoreState {
  /** The last internal id given out (decimal string; '0' for none). */
  lastId: string;
  /** The last transaction number given out per record type (decimal strings). */
  tranNumbers: Record<string, string>;
  /** Records in insertion order, each with the ids it references. */
  records: Array<{ record: RecordData; refs: string[] }>;
}

export interface Store {
  nextId(): string;
  nextTranNumber(type: string): string;
  get(id: string): RecordData | undefined;
  /** Stores (replaces) a record with its outgoing references. */
  put(record: RecordData, refs: string[]): void;
  remove(id: string): void;
  idsOfType(type: string): string[];
  all(): IterableIterator<RecordData>;
  externalId(type: string, externalId: string): string | undefined;
  /** Ids of records that reference `id`. */
  referrers(id: string): string[];
  /** Ids `id` references (as last stored). */
  references(id: string): string[];
  exportState(): StoreState;
  /** Replaces everything the store holds. */
  importState(state: StoreState): void;
}

/** `onChange` is told after every change (a new id or transaction number, a put, a remove). */
export function createStore(onChange: () => void = () => undefined): Store {
  let counter = 0n;
  const tranNumbers = new Map<string, bigint>();
  const records = new Map<string, RecordData>();
  const byType = new Map<string, Set<string>>();
  const externalIds = new Map<string, Map<string, string>>();
  const inbound = new Map<string, Set<string>>();
  const outbound = new Map<string, string[]>();

  const extKey = (r: RecordData) => {
    const v = r.fields.externalid;
    return typeof v === 'string' && v !== '' ? v : undefined;
  };

  function unlink(id: string) {
    for (const target of outbound.get(id) ?? []) inbound.get(target)?.delete(id);
    outbound.delete(id);
    const old = records.get(id);
    const key = old ? extKey(old) : undefined;
    if (old && key !== undefined) externalIds.get(old.type)?.delete(key);
  }

  function putQuietly(record: RecordData, refs: string[]) {
    const id = record.id as string;
    unlink(id);
    records.set(id, record);
    if (!byType.has(record.type)) byType.set(record.type, new Set());
    byType.get(record.type)?.add(id);
    const key = extKey(record);
    if (key !== undefined) {
      if (!externalIds.has(record.type)) externalIds.set(record.type, new Map());
      externalIds.get(record.type)?.set(key, id);
    }
    const targets = [...new Set(refs.filter((r) => r !== id))];
    outbound.set(id, targets);
    for (const t of targets) {
      if (!inbound.has(t)) inbound.set(t, new Set());
      inbound.get(t)?.add(id);
    }
  }

  const store: Store = {
    nextId() {
      counter += 1n;
      onChange();
      return counter.toString();
    },
    nextTranNumber(type) {
      const n = (tranNumbers.get(type) ?? 0n) + 1n;
      tranNumbers.set(type, n);
      onChange();
      return n.toString();
    },
    get: (id) => records.get(id),
    put(record, refs) {
      putQuietly(record, refs);
      onChange();
    },
    remove(id) {
      const old = records.get(id);
      if (!old) return;
      unlink(id);
      records.delete(id);
      byType.get(old.type)?.delete(id);
      onChange();
    },
    idsOfType: (type) => [...(byType.get(type) ?? [])],
    all: () => records.values(),
    externalId: (type, externalId) => externalIds.get(type)?.get(externalId),
    referrers: (id) => [...(inbound.get(id) ?? [])],
    references: (id) => [...(outbound.get(id) ?? [])],
    exportState: () => ({
      lastId: counter.toString(),
      tranNumbers: Object.fromEntries([...tranNumbers].map(([type, n]) => [type, n.toString()])),
      records: [...records.values()].map((record) => ({ record, refs: [...(outbound.get(record.id as string) ?? [])] })),
    }),
    importState(state) {
      records.clear();
      byType.clear();
      externalIds.clear();
      inbound.clear();
      outbound.clear();
      tranNumbers.clear();
      counter = BigInt(state.lastId);
      for (const [type, n] of Object.entries(state.tranNumbers)) tranNumbers.set(type, BigInt(n));
      for (const { record, refs } of state.records) putQuietly(record, refs);
      onChange();
    },
  };
  return store;
}
