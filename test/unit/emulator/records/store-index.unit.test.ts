// The store's secondary indexes: every put, remove and importState leaves each index holding exactly the keys of
// the records stored now (no stale keys, nothing missing), and typesPresent lists types in the order all() meets them.
import { createStore, type Store } from '../../../../emulator/records/store';
import type { RecordData } from '../../../../emulator/records/types';

const rec = (type: string, id: string, fields: RecordData['fields'] = {}): RecordData => ({ type, id, fields, sublists: {}, version: 1 });

/** What each index should hold: key -> ids, from the stored records themselves. */
function expected(store: Store, type: string, keysOf: (r: RecordData) => string[] | null): { keyed: Record<string, string[]>; unkeyed: string[] } {
  const keyed: Record<string, string[]> = {};
  const unkeyed: string[] = [];
  for (const r of store.all()) {
    if (r.type !== type) continue;
    const keys = keysOf(r);
    if (keys === null) unkeyed.push(r.id as string);
    else for (const k of keys) (keyed[k] ??= []).push(r.id as string);
  }
  return { keyed, unkeyed };
}

function actual(store: Store, type: string, name: string, keys: string[]): { keyed: Record<string, string[]>; unkeyed: string[] } {
  const unkeyed = [...(store.lookup(type, name, []) ?? [])].sort();
  const keyed: Record<string, string[]> = {};
  for (const k of keys) {
    const ids = [...(store.lookup(type, name, [k]) ?? [])].filter((id) => !unkeyed.includes(id)).sort();
    if (ids.length > 0) keyed[k] = ids;
  }
  return { keyed, unkeyed };
}

const byRef = (r: RecordData) => (typeof r.fields.ref === 'string' ? [r.fields.ref.toLowerCase()] : r.fields.ref === undefined ? [''] : null);
const byTags = (r: RecordData) => (Array.isArray(r.fields.tags) ? r.fields.tags : []);

function sortValues(x: { keyed: Record<string, string[]>; unkeyed: string[] }) {
  return { keyed: Object.fromEntries(Object.entries(x.keyed).map(([k, v]) => [k, [...v].sort()])), unkeyed: [...x.unkeyed].sort() };
}

describe('record store indexes', () => {
  it('follow puts, replacements, removes, importState and reindex; keys never outlive their record', () => {
    const store = createStore();
    store.ensureIndex('order', 'ref', byRef);
    store.put(rec('order', '1', { ref: 'A' }), []);
    store.put(rec('order', '2', { ref: 'a' }), []);
    store.put(rec('order', '3', { ref: 7 }), []);
    store.put(rec('invoice', '4', { ref: 'A' }), []);
    // An index defined late is built from what is stored.
    store.ensureIndex('order', 'tags', byTags);
    store.put(rec('order', '5', { tags: ['x', 'y', 'x'] }), []);
    const keys = ['a', 'b', '', 'x', 'y', 'z'];
    const check = () => {
      expect(actual(store, 'order', 'ref', keys)).toEqual(sortValues(expected(store, 'order', byRef)));
      expect(actual(store, 'order', 'tags', keys)).toEqual(sortValues(expected(store, 'order', (r) => [...new Set(byTags(r))])));
    };
    check();
    expect([...(store.lookup('order', 'ref', ['a']) ?? [])].sort()).toEqual(['1', '2', '3']);
    store.put(rec('order', '1', { ref: 'B' }), []);
    store.put(rec('order', '3', { ref: 'b' }), []);
    store.put(rec('order', '5', { tags: ['z'] }), []);
    check();
    expect([...(store.lookup('order', 'ref', ['a']) ?? [])]).toEqual(['2']);
    expect([...(store.lookup('order', 'tags', ['x']) ?? [])]).toEqual([]);
    store.remove('2');
    check();
    expect([...(store.lookup('order', 'ref', ['a']) ?? [])]).toEqual([]);
    const state = store.exportState();
    store.put(rec('order', '9', { ref: 'gone' }), []);
    store.importState(state);
    check();
    expect([...(store.lookup('order', 'ref', ['gone']) ?? [])]).toEqual([]);
    store.reindex();
    check();
    expect(store.lookup('order', 'nosuch', ['a'])).toBeUndefined();
    expect(store.hasIndex('order', 'ref')).toBe(true);
    expect(store.hasIndex('invoice', 'ref')).toBe(false);
  });

  it('typesPresent: the order all() meets the types, after removes and re-adds', () => {
    const store = createStore();
    const order = () => [...new Set([...store.all()].map((r) => r.type))];
    store.put(rec('a', '1'), []);
    store.put(rec('b', '2'), []);
    store.put(rec('c', '3'), []);
    expect(store.typesPresent()).toEqual(['a', 'b', 'c']);
    store.remove('1');
    store.put(rec('a', '4'), []);
    expect(store.typesPresent()).toEqual(order());
    expect(store.typesPresent()).toEqual(['b', 'c', 'a']);
    store.put(rec('b', '2', { changed: true }), []);
    expect(store.typesPresent()).toEqual(['b', 'c', 'a']);
    store.remove('3');
    expect(store.typesPresent()).toEqual(['b', 'a']);
    store.importState({ lastId: '9', tranNumbers: {}, records: [{ record: rec('c', '7'), refs: [] }, { record: rec('a', '5'), refs: [] }] });
    expect(store.typesPresent()).toEqual(['c', 'a']);
    expect(store.size()).toBe(2);
  });
});
