/**
 * N/search over the record engine: create (filters and columns in NetSuite's shapes), createColumn,
 * createFilter, Operator/Sort/Summary enums, Search.run() -> ResultSet.each (10 units, at most 4,000 results) and
 * getRange (10 units, at most 1,000 results per fetch), runPaged (5 units, pageSize 5..1000) -> PagedData.fetch
 * (5 units), lookupFields (1 unit). Reference 1.1.
 */
import type { FieldValue, SearchColumnSpec, SearchQuery, SearchRow } from '../records/types';
import type { ExecutionSlot } from '../runtime/execution';
import { SuiteScriptError, platform } from '../runtime/errors';
import { API_COSTS } from '../runtime/governance';

export const Operator = {
  AFTER: 'after', ALLOF: 'allof', ANY: 'any', ANYOF: 'anyof', BEFORE: 'before', BETWEEN: 'between',
  CONTAINS: 'contains', DOESNOTCONTAIN: 'doesnotcontain', DOESNOTSTARTWITH: 'doesnotstartwith',
  EQUALTO: 'equalto', GREATERTHAN: 'greaterthan', GREATERTHANOREQUALTO: 'greaterthanorequalto',
  HASKEYWORDS: 'haskeywords', IS: 'is', ISEMPTY: 'isempty', ISNOT: 'isnot', ISNOTEMPTY: 'isnotempty',
  LESSTHAN: 'lessthan', LESSTHANOREQUALTO: 'lessthanorequalto', NONEOF: 'noneof', NOTAFTER: 'notafter',
  NOTALLOF: 'notallof', NOTBEFORE: 'notbefore', NOTBETWEEN: 'notbetween', NOTEQUALTO: 'notequalto',
  NOTGREATERTHAN: 'notgreaterthan', NOTGREATERTHANOREQUALTO: 'notgreaterthanorequalto',
  NOTLESSTHAN: 'notlessthan', NOTLESSTHANOREQUALTO: 'notlessthanorequalto', NOTON: 'noton',
  NOTONORAFTER: 'notonorafter', NOTONORBEFORE: 'notonorbefore', NOTWITHIN: 'notwithin', ON: 'on',
  ONORAFTER: 'onorafter', ONORBEFORE: 'onorbefore', STARTSWITH: 'startswith', WITHIN: 'within',
} as const;

export const Sort = { ASC: 'ASC', DESC: 'DESC', NONE: 'NONE' } as const;
export const Summary = { GROUP: 'GROUP', COUNT: 'COUNT', SUM: 'SUM', AVG: 'AVG', MIN: 'MIN', MAX: 'MAX' } as const;

const EACH_LIMIT = 4000;
const RANGE_LIMIT = 1000;
const MAX_PAGES = 1000;

type Options = Record<string, unknown> | undefined;

interface Column extends SearchColumnSpec {
  toJSON(): SearchColumnSpec;
}

function makeColumn(spec: Options): Column {
  if (!spec || !spec.name) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.createColumn: missing a required argument: name');
  const c: SearchColumnSpec = { name: String(spec.name).toLowerCase() };
  if (spec.join) c.join = String(spec.join).toLowerCase();
  if (spec.summary) c.summary = String(spec.summary).toUpperCase() as SearchColumnSpec['summary'];
  if (spec.sort) c.sort = String(spec.sort).toUpperCase() as SearchColumnSpec['sort'];
  if (spec.label) c.label = String(spec.label);
  if (spec.formula) c.formula = String(spec.formula);
  return { ...c, toJSON: () => ({ ...c }) };
}

/** Columns may be given as 'name', 'join.name' or createColumn objects. */
function toColumn(c: unknown): Column {
  if (typeof c === 'string') {
    const dot = c.indexOf('.');
    return dot > 0 ? makeColumn({ join: c.slice(0, dot), name: c.slice(dot + 1) }) : makeColumn({ name: c });
  }
  return makeColumn(c as Options);
}

interface Filter {
  name: string;
  join?: string;
  operator: string;
  values: unknown[];
  formula?: string;
  summary?: string;
}

function makeFilter(options: Options): Filter {
  if (!options || !options.name || !options.operator) {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.createFilter: name and operator are required.');
  }
  const values = options.values === undefined ? [] : Array.isArray(options.values) ? [...options.values] : [options.values];
  const f: Filter = { name: String(options.name).toLowerCase(), operator: String(options.operator).toLowerCase(), values };
  if (options.join) f.join = String(options.join).toLowerCase();
  if (options.formula) f.formula = String(options.formula);
  if (options.summary) f.summary = String(options.summary);
  return f;
}

/** Copies a filter expression out of the script's realm (nested arrays, strings, values). */
function importExpression(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(importExpression);
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime());
  if (typeof value === 'object' && value !== null) return { ...(value as object) };
  return value;
}

function isFilterObject(v: unknown): v is Filter {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'operator' in v && 'name' in v;
}

/** Result value as scripts and Map/Reduce JSON see it: select columns {value, text}, others the value. */
function jsonValue(cell: { value: FieldValue; text?: string } | undefined): unknown {
  if (!cell) return '';
  if (cell.text !== undefined) return { value: cell.value === null ? '' : String(cell.value), text: cell.text };
  if (cell.value === null || cell.value === undefined) return '';
  if (cell.value instanceof Date) return cell.value.toISOString();
  return typeof cell.value === 'boolean' || Array.isArray(cell.value) ? cell.value : String(cell.value);
}

export function columnKey(c: SearchColumnSpec): string {
  const base = c.join ? `${c.join}.${c.name}` : c.name;
  return c.summary ? `${c.summary}(${base})` : base;
}

function makeResult(row: SearchRow, columns: Column[]) {
  const lookup = (options: unknown) => {
    const spec = typeof options === 'string' ? toColumn(options) : toColumn(options);
    const keys = [columnKey(spec), spec.join ? `${spec.join}.${spec.name}` : spec.name];
    for (const k of keys) if (row.values[k]) return row.values[k];
    return undefined;
  };
  return {
    id: row.id,
    recordType: row.recordType,
    columns,
    getValue(options: unknown) {
      const cell = lookup(options);
      if (!cell || cell.value === null || cell.value === undefined) return '';
      return cell.value;
    },
    getText(options: unknown) {
      const cell = lookup(options);
      return cell?.text ?? (cell && cell.value !== null ? String(cell.value) : '');
    },
    toJSON() {
      const values: Record<string, unknown> = {};
      for (const c of columns) values[columnKey(c)] = jsonValue(lookup(c));
      return { recordType: row.recordType, id: row.id, values };
    },
  };
}

export type ScriptSearchResult = ReturnType<typeof makeResult>;

export interface ScriptSearch {
  searchType: string;
  filters: Filter[];
  filterExpression: unknown[];
  columns: Column[];
  title: string;
  id: string | number;
  run(): unknown;
  runPaged(options?: Options): unknown;
  /** Emulator internal: the engine query and its rows, without charging units (Map/Reduce input). */
  __query(): SearchQuery;
  __rows(): ScriptSearchResult[];
}

export function createSearchModule(slot: ExecutionSlot): Record<string, unknown> {
  const exec = () => slot.current;
  const run = (query: SearchQuery, columns: Column[]) =>
    platform(() => exec().host.engine.search(query)).map((r) => makeResult(r, columns));

  const create = (options: Options): ScriptSearch => {
    const o = options ?? {};
    if (!o.type) throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.create: missing a required argument: type');
    const type = String(o.type).toLowerCase();
    const rawFilters = o.filters === undefined || o.filters === null ? [] : (importExpression(o.filters) as unknown[]);
    const columns = (Array.isArray(o.columns) ? o.columns : o.columns ? [o.columns] : []).map(toColumn);
    const isObjectList = rawFilters.length > 0 && rawFilters.every(isFilterObject);
    const filterList = isObjectList ? (rawFilters as Filter[]).map((f) => makeFilter(f as unknown as Options)) : [];
    const expression = isObjectList ? [] : rawFilters;
    const query = (): SearchQuery => ({
      type,
      filters: isObjectList ? filterList.map((f) => ({ ...f })) : expression,
      columns: columns.map((c) => c.toJSON()),
    });
    const s: ScriptSearch = {
      searchType: type,
      filters: filterList,
      filterExpression: expression,
      columns,
      title: o.title ? String(o.title) : '',
      id: o.id ? String(o.id) : -1,
      __query: query,
      __rows: () => run(query(), columns),
      run() {
        return {
          columns,
          each(callback: unknown) {
            if (typeof callback !== 'function') throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'ResultSet.each: callback is required.');
            exec().meter.charge('search.each', API_COSTS['search.each'], type);
            const rows = run(query(), columns);
            for (let i = 0; i < rows.length; i++) {
              if (i >= EACH_LIMIT) {
                // NetSuite stops a callback that asks for more than 4,000 results with this error.
                throw new SuiteScriptError(
                  'SSS_SEARCH_FOR_EACH_LIMIT_EXCEEDED',
                  'No more than 4000 search results may be returned at one time from ResultSet.each(callback). Revise the search criteria or use runPaged.',
                );
              }
              if ((callback as (r: unknown) => unknown)(rows[i]) !== true) break;
            }
          },
          getRange(options: Options) {
            const r = options ?? {};
            const start = Number(r.start);
            const end = Number(r.end);
            if (!Number.isInteger(start) || !Number.isInteger(end)) {
              throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'ResultSet.getRange: start and end are required.');
            }
            if (start < 0 || end < start || end - start > RANGE_LIMIT) {
              // UNCONFIRMED code; NetSuite limits one fetch to 1,000 results (Search Result Limits).
              throw new SuiteScriptError('SSS_INVALID_SRCH_RANGE', `ResultSet.getRange: a range holds at most ${RANGE_LIMIT} results (start ${start}, end ${end}).`);
            }
            exec().meter.charge('search.getRange', API_COSTS['search.getRange'], type);
            return run(query(), columns).slice(start, end);
          },
        };
      },
      runPaged(options?: Options) {
        const pageSize = options?.pageSize === undefined ? 50 : Number(options.pageSize);
        if (!Number.isInteger(pageSize) || pageSize < 5 || pageSize > 1000) {
          throw new SuiteScriptError('SSS_INVALID_SRCH_SETTING_VALUE', `pageSize must be an integer from 5 to 1000, got ${String(options?.pageSize)}.`);
        }
        exec().meter.charge('search.runPaged', API_COSTS['search.runPaged'], type);
        const rows = run(query(), columns).slice(0, pageSize * MAX_PAGES);
        const pageCount = Math.ceil(rows.length / pageSize);
        const pageRanges = Array.from({ length: pageCount }, (_, index) => ({
          index,
          compoundLabel: `${index * pageSize + 1} – ${Math.min(rows.length, (index + 1) * pageSize)}`,
        }));
        const paged = {
          count: rows.length,
          pageSize,
          pageRanges,
          searchDefinition: s,
          fetch(o: Options | number) {
            const index = typeof o === 'number' ? o : Number(o?.index);
            if (!Number.isInteger(index) || index < 0 || index >= pageCount) {
              throw new SuiteScriptError('INVALID_PAGE_RANGE', `There is no page ${String(index)} (${pageCount} pages).`);
            }
            exec().meter.charge('search.fetch', API_COSTS['search.fetch'], type);
            return page(index);
          },
        };
        const page = (index: number): unknown => ({
          data: rows.slice(index * pageSize, (index + 1) * pageSize),
          isFirst: index === 0,
          isLast: index === pageCount - 1,
          pagedData: paged,
          pageRange: pageRanges[index],
          next() {
            if (index + 1 >= pageCount) throw new SuiteScriptError('INVALID_PAGE_RANGE', 'This is the last page.');
            exec().meter.charge('search.fetch', API_COSTS['search.fetch'], type);
            return page(index + 1);
          },
          prev() {
            if (index === 0) throw new SuiteScriptError('INVALID_PAGE_RANGE', 'This is the first page.');
            exec().meter.charge('search.fetch', API_COSTS['search.fetch'], type);
            return page(index - 1);
          },
        });
        return paged;
      },
    };
    return s;
  };

  return {
    Operator,
    Sort,
    Summary,
    Type: {
      CUSTOMER: 'customer', TRANSACTION: 'transaction', SALES_ORDER: 'salesorder', INVOICE: 'invoice',
      CASH_SALE: 'cashsale', CASH_REFUND: 'cashrefund', CREDIT_MEMO: 'creditmemo', ITEM: 'item',
      INVENTORY_ITEM: 'inventoryitem', LOCATION: 'location', RETURN_AUTHORIZATION: 'returnauthorization',
      CUSTOMER_PAYMENT: 'customerpayment', CUSTOMER_REFUND: 'customerrefund', CUSTOMER_DEPOSIT: 'customerdeposit',
      DEPOSIT: 'deposit', ITEM_RECEIPT: 'itemreceipt', ITEM_FULFILLMENT: 'itemfulfillment', ACCOUNT: 'account',
    },
    create,
    createColumn: (options: Options) => makeColumn(options),
    createFilter: (options: Options) => makeFilter(options),
    lookupFields(options: Options) {
      const o = options ?? {};
      if (!o.type || !o.id || !o.columns) {
        throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.lookupFields: type, id and columns are required.');
      }
      const type = String(o.type).toLowerCase();
      const columns = (Array.isArray(o.columns) ? o.columns : [o.columns]).map((c) => String(c));
      exec().meter.charge('search.lookupFields', API_COSTS['search.lookupFields'], type);
      return platform(() => exec().host.engine.lookupFields(type, String(o.id), columns));
    },
    /** Saved searches are not emulated: the local account holds no saved search definitions. */
    load(options: Options) {
      exec().meter.charge('search.load', API_COSTS['search.load']);
      throw new SuiteScriptError('INVALID_SEARCH', `That search or mass update does not exist: ${String(options?.id)} (saved searches are not emulated).`);
    },
  };
}

export function isScriptSearch(v: unknown): v is ScriptSearch {
  return typeof v === 'object' && v !== null && typeof (v as ScriptSearch).__rows === 'function';
}
