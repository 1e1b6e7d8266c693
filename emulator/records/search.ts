/**
 * search.create(...).run() and search.lookupFields over the store. Transaction searches return a main-line row
 * per record plus one row per line of its line sublist unless `mainline` is filtered ('T' -> main rows only,
 * 'F' -> line rows only), as NetSuite does. Columns may join one level through a select field
 * (`{name:'tranid', join:'createdfrom'}`, `customer.email`); GROUP/COUNT/SUM/MIN/MAX/AVG summaries.
 */
import { linesOf, type Ctx } from './context';
import { evaluate, lower, mayThrowOnDate, parseFilters, type Cell, type Filter, type Term } from './filters';
import { compareDecimal, parseDecimal, sumDecimals } from './money';
import { SEARCH_FAMILIES, type RecordTypeDef } from './record-types';
import { statusMatches } from './statuses';
import { compareIds } from './store';
import {
  NsError, type FieldValue, type LineData, type RecordData, type SearchColumnSpec, type SearchQuery, type SearchRow,
} from './types';

export interface SearchHost {
  ctx: Ctx;
  view(record: RecordData): RecordData;
  textOf(type: string, fieldId: string, value: FieldValue): string;
  /** Whether searches read only the records their indexed filter terms select (false: every record). */
  indexed: boolean;
}

interface Row { record: RecordData; line: LineData | null }

/** Join names that differ from the select field they follow. */
const JOIN_FIELDS: Record<string, string[]> = {
  customer: ['entity', 'customer'], customermain: ['entity', 'customer'], createdfrom: ['createdfrom'],
  item: ['item'], location: ['location'], account: ['account'], currency: ['currency'], salesorder: ['salesorder'],
};

const LINE_ONLY = new Set(['item', 'quantity', 'rate', 'line', 'itemtype', 'orderline', 'quantityfulfilled',
  'quantitybilled', 'quantityreceived', 'quantityrefunded', 'adjustqtyby', 'doc', 'apply', 'due']);

/** The record types a search covers: one type, or every type of a family (item, transaction) the account holds. */
function typesOf(host: SearchHost, searchType: string): RecordTypeDef[] {
  const family = SEARCH_FAMILIES[searchType.toLowerCase()];
  if (family) {
    const out: RecordTypeDef[] = [];
    for (const type of host.ctx.store.typesPresent()) {
      const d = host.ctx.schema.find(type);
      if (d?.family === family && !out.includes(d)) out.push(d);
    }
    return out;
  }
  return [host.ctx.schema.def(searchType)];
}

function mainlineWanted(filter: Filter): boolean | null {
  if (filter.kind === 'term' && filter.term.name === 'mainline' && !filter.term.join) {
    const v = filter.term.values[0];
    const yes = v === true || v === 'T' || v === 'true';
    return filter.term.operator === 'isnot' ? !yes : yes;
  }
  if (filter.kind === 'and') {
    for (const p of filter.parts) {
      const m = mainlineWanted(p);
      if (m !== null) return m;
    }
  }
  return null;
}

function rowsOf(host: SearchHost, defs: RecordTypeDef[], mainline: boolean | null, filter: Filter): Row[] {
  const rows: Row[] = [];
  for (const d of defs) {
    const narrowed = candidates(host, d, filter, mainline);
    const ids = narrowed === null
      ? host.ctx.store.idsOfType(d.type).sort(compareIds)
      : [...narrowed].filter((id) => host.ctx.store.get(id)?.type === d.type).sort(compareIds);
    for (const id of ids) {
      const record = host.view(host.ctx.store.get(id) as RecordData);
      if (d.family !== 'transaction') { rows.push({ record, line: null }); continue; }
      if (mainline !== false) rows.push({ record, line: null });
      if (mainline !== true && d.lineSublist) {
        for (const line of linesOf(record, d.lineSublist)) rows.push({ record, line });
      }
    }
  }
  return rows;
}

// Indexed lookups. A search reads only the records an index gives for its filter (candidates), then tests the
// whole filter on their rows exactly as on every row: the same rows pass, in the same order, and a filter that
// could throw on a record the index leaves out is run over every record instead (mayThrowOnDate).

/** Names whose value is computed from the record rather than read from one field (cell, below): not indexed. */
const COMPUTED = new Set(['internalid', 'internalidnumber', 'type', 'recordtype', 'mainline', 'status', 'amount']);
/** Computed from inventory when a record is read, not stored: not indexed. */
const STOCK_FIELDS = new Set(['quantityonhand', 'quantityavailable']);
/** Field kinds whose equality is a text comparison (filters.ts equals): the kinds an index serves. */
const TEXT_KINDS = new Set<string | undefined>([undefined, 'text', 'select', 'status']);
/** Operators an index answers (equality on the field's text). */
const INDEXED_OPERATORS = new Set(['is', 'equalto', 'anyof']);

const indexName = (field: string) => `field:${field}`;

/**
 * The key a record has in the index of a field: the text equality filters compare (filters.ts equals) of the
 * value its main-line row shows; null (a candidate for every key) when equality would not compare text.
 */
function keysOfCell(c: Cell | undefined): string[] | null {
  const v = c ? c.value : null;
  if (c?.matches || typeof v === 'boolean' || typeof v === 'number' || Array.isArray(v) || v instanceof Date) return null;
  if (c?.kind === 'currency' || c?.kind === 'float' || c?.kind === 'integer') return null;
  return [lower(v)];
}

/** Whether an index of `field` on type `d` can stand for the field's filters on the rows this search reads. */
function indexable(host: SearchHost, d: RecordTypeDef, field: string, mainline: boolean | null): boolean {
  if (COMPUTED.has(field) || STOCK_FIELDS.has(field)) return false;
  // Line rows read line fields of the same name: the index holds body values only.
  if (d.family === 'transaction' && d.lineSublist && mainline !== true) return false;
  return TEXT_KINDS.has(host.ctx.schema.fieldKind(d.type, field));
}

/** The field's index on type `d`, defined the first time a search needs it and kept by the store from then on. */
function fieldIndex(host: SearchHost, d: RecordTypeDef, field: string): string {
  const name = indexName(field);
  host.ctx.store.ensureIndex(d.type, name, (record) => keysOfCell(cell(host, { record, line: null }, field)));
  return name;
}

/** Whether testing the term can throw on some record of type `d` (only a Date value can: mayThrowOnDate). */
function mayThrow(host: SearchHost, d: RecordTypeDef, term: Term, mainline: boolean | null): boolean {
  if (!term.join && COMPUTED.has(term.name) && term.name !== 'amount') return false;
  if (!mayThrowOnDate(term)) return false;
  if (term.join || !indexable(host, d, term.name, mainline)) return true;
  // Records holding a Date in the field are among those its index cannot key.
  const unkeyed = host.ctx.store.lookup(d.type, fieldIndex(host, d, term.name), []) ?? new Set<string>();
  for (const id of unkeyed) {
    const record = host.ctx.store.get(id);
    if (record && cell(host, { record, line: null }, term.name)?.value instanceof Date) return true;
  }
  return false;
}

function terms(filter: Filter, out: Term[] = []): Term[] {
  if (filter.kind === 'term') out.push(filter.term);
  else if (filter.kind === 'and' || filter.kind === 'or') filter.parts.forEach((p) => terms(p, out));
  else if (filter.kind === 'not') terms(filter.part, out);
  return out;
}

/** Ids of type `d` that can pass the filter (a superset of those that do), or null: read every record. */
function candidates(host: SearchHost, d: RecordTypeDef, filter: Filter, mainline: boolean | null): Set<string> | null {
  if (!host.indexed) return null;
  if (terms(filter).some((t) => mayThrow(host, d, t, mainline))) return null;
  return narrow(host, d, filter, mainline);
}

function narrow(host: SearchHost, d: RecordTypeDef, filter: Filter, mainline: boolean | null): Set<string> | null {
  switch (filter.kind) {
    case 'term': return termCandidates(host, d, filter.term, mainline);
    case 'and': {
      let best: Set<string> | null = null;
      for (const part of filter.parts) {
        const c = narrow(host, d, part, mainline);
        if (c !== null && (best === null || c.size < best.size)) best = c;
      }
      return best;
    }
    case 'or': {
      const union = new Set<string>();
      for (const part of filter.parts) {
        const c = narrow(host, d, part, mainline);
        if (c === null) return null;
        for (const id of c) union.add(id);
      }
      return union;
    }
    default: return null;
  }
}

function termCandidates(host: SearchHost, d: RecordTypeDef, term: Term, mainline: boolean | null): Set<string> | null {
  if (term.join || !INDEXED_OPERATORS.has(term.operator)) return null;
  const wanted = term.operator === 'anyof' ? term.values : [term.values[0]];
  if (wanted.some((w) => w === '@NONE@')) return null;
  // internalid compares the record's id as text (the same on main-line and line rows).
  if (term.name === 'internalid') return new Set(wanted.map(lower));
  if (!indexable(host, d, term.name, mainline)) return null;
  return host.ctx.store.lookup(d.type, fieldIndex(host, d, term.name), wanted.map(lower)) ?? null;
}

/** Reads a field of a row: special names, line fields on line rows, body fields otherwise. */
function cell(host: SearchHost, row: Row, name: string): Cell | undefined {
  const { record, line } = row;
  const schema = host.ctx.schema;
  const d = schema.def(record.type);
  switch (name) {
    case 'internalid': return { value: record.id, kind: 'select', text: record.id ?? '' };
    // NetSuite's numeric view of the internal id, for range filters (greaterthan …) such as cursors.
    case 'internalidnumber': return { value: record.id === null ? null : Number(record.id), kind: 'integer' };
    case 'type': return { value: d.code ?? d.type, text: d.label, matches: (v) => v === d.type || v === d.code };
    case 'recordtype': return { value: record.type };
    case 'mainline': return { value: line === null, kind: 'checkbox', text: line === null ? '*' : '' };
    case 'status': {
      const ref = (record.fields.statusRef ?? null) as FieldValue;
      return { value: ref, text: String(record.fields.status ?? ''), matches: (v) => statusMatches(d.code, ref, v) };
    }
    default: break;
  }
  const sublist = d.lineSublist;
  if (line && sublist && (name in line || schema.fieldKind(d.type, name, sublist))) {
    return { value: (line[name] ?? null) as FieldValue, kind: schema.fieldKind(d.type, name, sublist) };
  }
  if (name === 'amount' && line === null && d.family === 'transaction') {
    return { value: (record.fields.total ?? null) as FieldValue, kind: 'currency' };
  }
  if (line === null && LINE_ONLY.has(name) && d.family === 'transaction') return { value: null };
  if (name in record.fields || schema.hasField(d.type, name)) {
    return { value: (record.fields[name] ?? null) as FieldValue, kind: schema.fieldKind(d.type, name) };
  }
  if (name === 'name' || name === 'entityid') return { value: record.fields.entityid ?? record.fields.name ?? null, kind: 'text' };
  return undefined;
}

function knownAnywhere(host: SearchHost, defs: RecordTypeDef[], name: string): boolean {
  if (['internalid', 'internalidnumber', 'type', 'recordtype', 'mainline', 'status', 'name', 'amount'].includes(name)) return true;
  return defs.some((d) => host.ctx.schema.hasField(d.type, name)
    || Object.keys(d.sublists).some((s) => host.ctx.schema.fieldKind(d.type, name, s) !== undefined));
}

function joined(host: SearchHost, row: Row, join: string, name: string): Cell | undefined {
  const via = JOIN_FIELDS[join.toLowerCase()] ?? [join];
  for (const field of via) {
    const link = cell(host, row, field);
    if (!link || link.value === null || link.value === undefined) continue;
    const target = host.ctx.store.get(String(link.value));
    if (!target) return { value: null };
    return cell(host, { record: host.view(target), line: null }, name) ?? { value: null };
  }
  return { value: null };
}

function read(host: SearchHost, row: Row, name: string, join?: string): Cell {
  const c = join ? joined(host, row, join, name) : cell(host, row, name);
  return c ?? { value: null };
}

function output(host: SearchHost, row: Row, col: { name: string; join?: string }): { value: FieldValue; text?: string } {
  const c = read(host, row, col.name, col.join);
  if (col.name === 'mainline') return { value: c.text ?? '' };
  if (col.name === 'status' || col.name === 'type' || col.name === 'internalid') return { value: c.value, text: c.text };
  if ((c.kind === 'select' || c.kind === 'multiselect') && c.value !== null) {
    const type = col.join ? 'customer' : row.record.type;
    return { value: c.value, text: host.textOf(col.join ? targetTypeOf(host, row, col.join) ?? type : type, col.name, c.value) };
  }
  return { value: c.value };
}

function targetTypeOf(host: SearchHost, row: Row, join: string): string | undefined {
  for (const field of JOIN_FIELDS[join.toLowerCase()] ?? [join]) {
    const link = cell(host, row, field);
    if (link?.value) return host.ctx.store.get(String(link.value))?.type;
  }
  return undefined;
}

const keyOf = (c: SearchColumnSpec) => (c.join ? `${c.join}.${c.name}` : c.name);

export function runSearch(host: SearchHost, query: SearchQuery): SearchRow[] {
  const defs = typesOf(host, query.type);
  const filter = parseFilters(query.filters);
  checkNames(host, defs, filter);
  for (const c of query.columns) {
    if (!c.join && !c.formula && !knownAnywhere(host, defs, c.name) && defs.length > 0) {
      throw new NsError('SSS_INVALID_SRCH_COL', `An nlobjSearchColumn contains an invalid column, or is not in proper syntax: ${c.name}.`);
    }
  }
  const today = host.ctx.now();
  const rows = rowsOf(host, defs, mainlineWanted(filter), filter)
    .filter((row) => evaluate(filter, (t: Term) => read(host, row, t.name, t.join), today));
  const out = rows.map((row) => ({
    id: row.record.id as string,
    recordType: row.record.type,
    values: Object.fromEntries(query.columns.map((c) => [keyOf(c), output(host, row, c)])),
  }));
  const summarized = query.columns.some((c) => c.summary) ? summarize(query, out) : out;
  return sortRows(summarized, query.columns);
}

function checkNames(host: SearchHost, defs: RecordTypeDef[], filter: Filter) {
  if (filter.kind === 'term') {
    if (!filter.term.join && defs.length > 0 && !knownAnywhere(host, defs, filter.term.name)) {
      throw new NsError('SSS_INVALID_SRCH_FILTER', `An nlobjSearchFilter contains invalid search criteria: ${filter.term.name}.`);
    }
  } else if (filter.kind === 'and' || filter.kind === 'or') filter.parts.forEach((p) => checkNames(host, defs, p));
  else if (filter.kind === 'not') checkNames(host, defs, filter.part);
}

function isDecimal(v: unknown): v is string | number {
  if (typeof v === 'number') return true;
  if (typeof v !== 'string' || v === '') return false;
  try { parseDecimal(v); return true; } catch { return false; }
}

function summarize(query: SearchQuery, rows: SearchRow[]): SearchRow[] {
  const groups = new Map<string, SearchRow[]>();
  const groupCols = query.columns.filter((c) => c.summary === 'GROUP');
  for (const row of rows) {
    const key = JSON.stringify(groupCols.map((c) => row.values[keyOf(c)]?.value ?? null));
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)?.push(row);
  }
  if (groups.size === 0 && groupCols.length === 0) groups.set('[]', []);
  return [...groups.values()].map((members) => {
    const values: SearchRow['values'] = {};
    for (const c of query.columns) {
      const k = keyOf(c);
      const cells = members.map((m) => m.values[k]).filter((v) => v && v.value !== null && v.value !== '');
      values[k] = aggregate(c.summary, cells as Array<{ value: FieldValue; text?: string }>, members[0]?.values[k]);
    }
    return { id: '', recordType: query.type, values };
  });
}

function aggregate(summary: SearchColumnSpec['summary'], cells: Array<{ value: FieldValue; text?: string }>, first?: { value: FieldValue; text?: string }) {
  const values = cells.map((c) => c.value);
  switch (summary) {
    case 'GROUP': return first ?? { value: null };
    case 'COUNT': return { value: new Set(values.map((v) => JSON.stringify(v))).size };
    case 'SUM': return { value: values.length ? sumDecimals(values.filter(isDecimal)) : null };
    case 'AVG': {
      const nums = values.filter(isDecimal);
      if (!nums.length) return { value: null };
      const total = parseDecimal(sumDecimals(nums));
      const scaled = (total.units * 1_000_000n) / BigInt(nums.length);
      return { value: Number(scaled) / 10 ** (total.scale + 6) };
    }
    case 'MIN': case 'MAX': {
      const sorted = [...values].sort(compareValues);
      return { value: (summary === 'MIN' ? sorted[0] : sorted[sorted.length - 1]) ?? null };
    }
    default: return first ?? { value: null };
  }
}

function compareValues(a: FieldValue, b: FieldValue): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return -1;
  if (b === null || b === undefined || b === '') return 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (isDecimal(a) && isDecimal(b)) return compareDecimal(a, b);
  return String(a).localeCompare(String(b));
}

function sortRows(rows: SearchRow[], columns: SearchColumnSpec[]): SearchRow[] {
  const sorts = columns.filter((c) => c.sort === 'ASC' || c.sort === 'DESC');
  if (!sorts.length) return rows;
  return [...rows].sort((x, y) => {
    for (const c of sorts) {
      const k = keyOf(c);
      const d = compareValues(x.values[k]?.value ?? null, y.values[k]?.value ?? null);
      if (d !== 0) return c.sort === 'DESC' ? -d : d;
    }
    return 0;
  });
}

/**
 * search.lookupFields (reference 1.1): select -> [{value, text}] ([] when empty), multiselect -> array of
 * {value, text}, checkbox -> boolean, every other value as text (dates M/D/YYYY); 'join.field' columns join one
 * level; an unknown column -> SSS_INVALID_SRCH_COL.
 */
export function lookupFields(host: SearchHost, type: string, id: string, columns: string[]): Record<string, unknown> {
  const family = SEARCH_FAMILIES[type.toLowerCase()];
  // One type (SSS_INVALID_RECORD_TYPE when unknown), or a family: the stored record's type must be of it.
  const single = family ? null : host.ctx.schema.def(type);
  const stored = host.ctx.store.get(id);
  const covers = (t: string) => (single ? single.type === t : host.ctx.schema.find(t)?.family === family);
  if (!stored || !covers(stored.type)) {
    throw new NsError('RCRD_DSNT_EXIST', `That record does not exist. (type ${type}, id ${id})`);
  }
  const row: Row = { record: host.view(stored), line: null };
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const dot = column.indexOf('.');
    const join = dot > 0 ? column.slice(0, dot) : undefined;
    const name = dot > 0 ? column.slice(dot + 1) : column;
    if (!join && !knownAnywhere(host, [host.ctx.schema.def(stored.type)], name)) {
      throw new NsError('SSS_INVALID_SRCH_COL', `An nlobjSearchColumn contains an invalid column, or is not in proper syntax: ${column}.`);
    }
    const c = read(host, row, name, join);
    const textType = join ? targetTypeOf(host, row, join) ?? stored.type : stored.type;
    if (name === 'status' || c.kind === 'select') {
      out[column] = c.value === null || c.value === '' ? []
        : [{ value: String(c.value), text: c.text ?? host.textOf(textType, name, c.value) }];
    } else if (c.kind === 'multiselect') {
      out[column] = (Array.isArray(c.value) ? c.value : []).map((v) => ({ value: v, text: host.textOf(textType, name, v) }));
    } else if (c.kind === 'checkbox' || typeof c.value === 'boolean') {
      out[column] = c.value === true;
    } else {
      out[column] = c.value === null || c.value === undefined ? '' : host.textOf(textType, name, c.value);
    }
  }
  return out;
}

/**
 * Defines the index of a body field on a record type now (searches define the ones they need when they first run);
 * false when the field's filters cannot be answered by an index (a computed, stock, numeric, date or checkbox
 * field).
 */
export function defineFieldIndex(host: SearchHost, type: string, field: string): boolean {
  const d = host.ctx.schema.def(type);
  if (!indexable(host, d, field, true)) return false;
  fieldIndex(host, d, field);
  return true;
}
