/**
 * NetSuite's PUBLISHED governance unit costs of the SuiteScript 2.x calls, each with the help page it comes from:
 * the reference both the local account's governance test and the benchmarks' floors read. It is kept apart from
 * the emulator's charging table and from the middleware's planning table (governance.ts) on purpose, so that those
 * two are checked against it and never against themselves. Pure data.
 *
 * Sources: Oracle NetSuite Help Center pages (title and page id;
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/<id>.html) and the repository's NetSuite platform
 * reference (section 1.1 for unit costs).
 */
import type { RecordCategory } from './record-types';

export const API_GOVERNANCE_PAGE = 'SuiteScript 2.x API Governance (section_157072844224)';

export interface DocumentedCost {
  /** The call as a script writes it. */
  call: string;
  /** The name the local account's usage report gives it. */
  api: string;
  /** Units by record category, or one number for calls that do not depend on a record. */
  units: Readonly<Record<RecordCategory, number>> | number;
  /** Reference section and help page titles the numbers come from. */
  source: string;
}

/** record.load / create / copy / transform / submitFields (reference 1.1). */
export const DOCUMENTED_RECORD_LOAD_COSTS: Readonly<Record<RecordCategory, number>> = { transaction: 10, custom: 2, other: 5 };
/** Record.save / record.delete (reference 1.1). */
export const DOCUMENTED_RECORD_SAVE_COSTS: Readonly<Record<RecordCategory, number>> = { transaction: 20, custom: 4, other: 10 };

const G = API_GOVERNANCE_PAGE;

/** NetSuite's documented unit costs (reference 1.1 and the help pages named). */
export const DOCUMENTED_COSTS: readonly DocumentedCost[] = [
  { call: 'record.create', api: 'record.create', units: DOCUMENTED_RECORD_LOAD_COSTS, source: `1.1; record.create(options) (section_4267258059); ${G}` },
  { call: 'record.load', api: 'record.load', units: DOCUMENTED_RECORD_LOAD_COSTS, source: `1.1; record.load(options) (section_4267258486); ${G}` },
  { call: 'record.copy', api: 'record.copy', units: DOCUMENTED_RECORD_LOAD_COSTS, source: `1.1; record.copy(options) (section_4267258260); ${G}` },
  { call: 'record.transform', api: 'record.transform', units: DOCUMENTED_RECORD_LOAD_COSTS, source: `1.1; record.transform(options) (section_4267258715); ${G}` },
  { call: 'record.submitFields', api: 'record.submitFields', units: DOCUMENTED_RECORD_LOAD_COSTS, source: `1.1; record.submitFields(options) (section_4267283788); ${G}` },
  { call: 'record.save', api: 'record.save', units: DOCUMENTED_RECORD_SAVE_COSTS, source: `1.1; Record.save(options) (section_4267286323); ${G}` },
  { call: 'record.delete', api: 'record.delete', units: DOCUMENTED_RECORD_SAVE_COSTS, source: `1.1; record.delete(options) (record.delete.promise(options), section_4440823302); ${G}` },
  { call: 'search.each', api: 'search.each', units: 10, source: '1.1; ResultSet.each(callback) (section_457160888671)' },
  { call: 'search.getRange', api: 'search.getRange', units: 10, source: '1.1; ResultSet.getRange(options) (section_456010986327)' },
  { call: 'search.runPaged', api: 'search.runPaged', units: 5, source: '1.1; Search.runPaged(options) (section_4486596158)' },
  { call: 'PagedData.fetch', api: 'search.fetch', units: 5, source: '1.1; PagedData.fetch(options) (section_4486609298)' },
  { call: 'Page.next', api: 'search.fetch', units: 5, source: '1.1; Page.next() (section_4486605324)' },
  { call: 'Page.prev', api: 'search.fetch', units: 5, source: `1.1 (PagedData.fetch / Page.next / Page.prev: 5); ${G}` },
  { call: 'search.lookupFields', api: 'search.lookupFields', units: 1, source: '1.1; search.lookupFields(options) (section_4345776651)' },
  { call: 'search.load', api: 'search.load', units: 5, source: '1.1; search.load(options) (section_4345775360)' },
  { call: 'https.get', api: 'https.get', units: 10, source: `1.1 (https.get/post/put/delete/request: 10); ${G}` },
  { call: 'https.post', api: 'https.post', units: 10, source: `1.1; ${G}` },
  { call: 'https.put', api: 'https.put', units: 10, source: `1.1; ${G}` },
  { call: 'https.delete', api: 'https.delete', units: 10, source: `1.1; ${G}` },
  { call: 'https.request', api: 'https.head', units: 10, source: `1.1 (https.request: 10, any method); ${G}` },
  { call: 'MapReduceScriptTask.submit', api: 'task.submit', units: 20, source: `1.1; MapReduceScriptTask.submit() (section_453639770507); ${G}` },
  { call: 'ScheduledScriptTask.submit', api: 'task.submit', units: 20, source: `1.1; ScheduledScriptTask.submit() (section_460871520995); ${G}` },
  { call: 'Cache.get', api: 'cache.get', units: 1, source: '1.1; Cache.get(options) (section_4642661440): "1 unit if the value is present in the cache"' },
  { call: 'Cache.get (loader runs)', api: 'cache.get', units: 2, source: '1.1; Cache.get(options) (section_4642661440): "2 units if the loader function is used"' },
  { call: 'Cache.put', api: 'cache.put', units: 1, source: '1.1; Cache.put(options) (section_4642661313)' },
  { call: 'Cache.remove', api: 'cache.remove', units: 1, source: '1.1; Cache.remove(options) (section_4642660820)' },
];

/** The documented cost of one call (on a record of `category` when its cost depends on one). Throws for a call not in the table. */
export function documentedUnits(call: string, category?: RecordCategory): number {
  const row = DOCUMENTED_COSTS.find((r) => r.call === call);
  if (!row) throw new Error(`no documented unit cost for ${call}`);
  if (typeof row.units === 'number') return row.units;
  if (!category) throw new Error(`the documented cost of ${call} depends on the record category`);
  return row.units[category];
}
