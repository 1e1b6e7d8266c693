/**
 * The in-memory store of one account: records by internal id, ids by type, externalIds per type, a reverse
 * index of references (which records point at which), used for dependent-record delete blocking and for
 * recomputing balances and statuses of the records a save touches, and secondary indexes (record ids by key per
 * record type) that searches use so that a lookup's cost follows what it finds, not the account's size. Every
 * index is kept up to date by put, remove and importState. Pure data structures, no I/O.
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

/**
 * The keys a record has in a secondary index, or null when the index cannot key it (such a record is a candidate
 * for every key: the caller checks candidates against its own rule). Must depend on the record's stored data only.
 */
export type IndexKeys = (record: RecordData) => string[] | null;

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
  /** How many records are stored. */
  size(): number;
  /**
   * Record types that hold at least one record, in the order their earliest stored record was stored (the order
   * `all()` meets them).
   */
  typesPresent(): string[];
  /**
   * Defines secondary index `name` over the records of `type` (a no-op when it exists): built from what is stored
   * now, then kept up to date by every put, remove and importState.
   */
  ensureIndex(type: string, name: string, keysOf: IndexKeys): void;
  hasIndex(type: string, name: string): boolean;
  /**
   * Ids of the records of `type` that have one of `keys` in index `name`, plus those the index could not key; in
   * no particular order. undefined when the index is not defined.
   */
  lookup(type: string, name: string, keys: readonly string[]): Set<string> | undefined;
  /** Recomputes every index's keys (after a change of what the key functions read, such as the schema). */
  reindex(): void;
  exportState(): StoreState;
  /** Replaces everything the store holds (the indexes stay defined and are rebuilt). */
  importState(state: StoreState): void;
}

/**
 * Most keys name one record (an externalId, a SKU): such a key holds the id itself, a key of several records a Set.
 * `filed` keeps the key(s) each indexed record was filed under (one key as a string; null: unkeyed).
 */
interface SecondaryIndex {
  keysOf: IndexKeys;
  byKey: Map<string, string | Set<string>>;
  unkeyed: Set<string>;
  filed: Map<string, string | string[] | null>;
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
  /** The order each stored id entered `records` (an id removed and stored again counts from then). */
  const arrival = new Map<string, number>();
  let arrivals = 0;
  const indexes = new Map<string, Map<string, SecondaryIndex>>();

  function removeKey(index: SecondaryIndex, key: string, id: string) {
    const ids = index.byKey.get(key);
    if (ids === id) index.byKey.delete(key);
    else if (typeof ids === 'object') {
      ids.delete(id);
      if (ids.size === 1) index.byKey.set(key, ids.values().next().value as string);
    }
  }

  function addKey(index: SecondaryIndex, key: string, id: string) {
    const ids = index.byKey.get(key);
    if (ids === undefined) index.byKey.set(key, id);
    else if (typeof ids === 'string') {
      if (ids !== id) index.byKey.set(key, new Set([ids, id]));
    } else ids.add(id);
  }

  function unfile(index: SecondaryIndex, id: string) {
    if (!index.filed.has(id)) return;
    const keys = index.filed.get(id) ?? null;
    if (keys === null) index.unkeyed.delete(id);
    else if (typeof keys === 'string') removeKey(index, keys, id);
    else for (const key of keys) removeKey(index, key, id);
    index.filed.delete(id);
  }

  function file(index: SecondaryIndex, record: RecordData) {
    const id = record.id as string;
    const found = index.keysOf(record);
    if (found === null) {
      index.filed.set(id, null);
      index.unkeyed.add(id);
      return;
    }
    const keys = found.length === 1 ? found : [...new Set(found)];
    index.filed.set(id, keys.length === 1 ? (keys[0] as string) : keys);
    for (const key of keys) addKey(index, key, id);
  }

  function rebuild(type: string, index: SecondaryIndex) {
    index.byKey.clear();
    index.unkeyed.clear();
    index.filed.clear();
    for (const id of byType.get(type) ?? []) file(index, records.get(id) as RecordData);
  }

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
    if (old) for (const index of indexes.get(old.type)?.values() ?? []) unfile(index, id);
  }

  function putQuietly(record: RecordData, refs: string[]) {
    const id = record.id as string;
    unlink(id);
    if (!records.has(id)) arrival.set(id, (arrivals += 1));
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
    for (const index of indexes.get(record.type)?.values() ?? []) file(index, record);
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
      arrival.delete(id);
      byType.get(old.type)?.delete(id);
      onChange();
    },
    idsOfType: (type) => [...(byType.get(type) ?? [])],
    all: () => records.values(),
    externalId: (type, externalId) => externalIds.get(type)?.get(externalId),
    referrers: (id) => [...(inbound.get(id) ?? [])],
    references: (id) => [...(outbound.get(id) ?? [])],
    size: () => records.size,
    typesPresent() {
      const firsts: Array<[string, number]> = [];
      for (const [type, ids] of byType) {
        const first = ids.values().next();
        if (!first.done) firsts.push([type, arrival.get(first.value) ?? 0]);
      }
      return firsts.sort((a, b) => a[1] - b[1]).map(([type]) => type);
    },
    ensureIndex(type, name, keysOf) {
      let ofType = indexes.get(type);
      if (!ofType) indexes.set(type, (ofType = new Map()));
      if (ofType.has(name)) return;
      const index: SecondaryIndex = { keysOf, byKey: new Map(), unkeyed: new Set(), filed: new Map() };
      ofType.set(name, index);
      rebuild(type, index);
    },
    hasIndex: (type, name) => indexes.get(type)?.has(name) === true,
    lookup(type, name, keys) {
      const index = indexes.get(type)?.get(name);
      if (!index) return undefined;
      const out = new Set(index.unkeyed);
      for (const key of keys) {
        const ids = index.byKey.get(key);
        if (typeof ids === 'string') out.add(ids);
        else for (const id of ids ?? []) out.add(id);
      }
      return out;
    },
    reindex() {
      for (const [type, ofType] of indexes) for (const index of ofType.values()) rebuild(type, index);
    },
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
      arrival.clear();
      for (const ofType of indexes.values()) {
        for (const index of ofType.values()) {
          index.byKey.clear();
          index.unkeyed.clear();
          index.filed.clear();
        }
      }
      tranNumbers.clear();
      counter = BigInt(state.lastId);
      for (const [type, n] of Object.entries(state.tranNumbers)) tranNumbers.set(type, BigInt(n));
      for (const { record, refs } of state.records) putQuietly(record, refs);
      onChange();
    },
  };
  return store;
}
