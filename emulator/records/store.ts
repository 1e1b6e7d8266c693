/**
 * The in-memory store of one account: records by internal id, ids by type, externalIds per type and a reverse
 * index of references (which records point at which), used for dependent-record delete blocking and for
 * recomputing balances and statuses of the records a save touches. Pure data structures, no I/O.
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
}

export function createStore(): Store {
  let counter = 0;
  const tranNumbers = new Map<string, number>();
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

  return {
    nextId: () => String(++counter),
    nextTranNumber(type) {
      const n = (tranNumbers.get(type) ?? 0) + 1;
      tranNumbers.set(type, n);
      return String(n);
    },
    get: (id) => records.get(id),
    put(record, refs) {
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
    },
    remove(id) {
      const old = records.get(id);
      if (!old) return;
      unlink(id);
      records.delete(id);
      byType.get(old.type)?.delete(id);
    },
    idsOfType: (type) => [...(byType.get(type) ?? [])],
    all: () => records.values(),
    externalId: (type, externalId) => externalIds.get(type)?.get(externalId),
    referrers: (id) => [...(inbound.get(id) ?? [])],
    references: (id) => [...(outbound.get(id) ?? [])],
  };
}
