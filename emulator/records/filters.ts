/**
 * NetSuite search filters: expression arrays (`[['status','anyof','SalesOrd:B'],'AND',['externalid','is','x']]`,
 * with 'OR', 'NOT' and nested groups; NOT binds tighter than AND, AND tighter than OR) and lists of filter
 * objects `{name, join?, operator, values}` (implicitly ANDed). Parsing yields a predicate tree; evaluation is
 * delegated to a cell reader so this module knows nothing of records.
 */
import { compareDecimal, parseDecimal } from './money';
import { isEmptyValue, toDate } from './quirks';
import { NsError, type FieldValue } from './types';

export interface Term { name: string; join?: string; operator: string; values: unknown[] }
export type Filter =
  | { kind: 'term'; term: Term }
  | { kind: 'and' | 'or'; parts: Filter[] }
  | { kind: 'not'; part: Filter }
  | { kind: 'all' };

const OPERATORS = new Set([
  'is', 'isnot', 'anyof', 'noneof', 'contains', 'doesnotcontain', 'startswith', 'haskeywords', 'equalto',
  'notequalto', 'greaterthan', 'greaterthanorequalto', 'lessthan', 'lessthanorequalto', 'between', 'notbetween',
  'on', 'noton', 'before', 'after', 'onorafter', 'onorbefore', 'within', 'notwithin', 'isempty', 'isnotempty',
]);

export function parseFilters(filters: unknown): Filter {
  if (!Array.isArray(filters) || filters.length === 0) return { kind: 'all' };
  if (filters.every((f) => f !== null && typeof f === 'object' && !Array.isArray(f))) {
    return { kind: 'and', parts: filters.map((f) => ({ kind: 'term', term: termFromObject(f as Record<string, unknown>) })) };
  }
  return parseExpression(filters);
}

function termFromObject(f: Record<string, unknown>): Term {
  const name = String(f.name ?? '');
  const operator = String(f.operator ?? '').toLowerCase();
  const raw = f.values ?? f.value ?? [];
  return checkTerm({ name, join: f.join ? String(f.join) : undefined, operator, values: Array.isArray(raw) ? raw : [raw] });
}

function checkTerm(t: Term): Term {
  if (!t.name) throw new NsError('SSS_INVALID_SRCH_FILTER', 'A search filter has no field name.');
  if (!OPERATORS.has(t.operator)) {
    throw new NsError('SSS_INVALID_SRCH_OPERATOR', `An nlobjSearchFilter contains an invalid operator, or is not in proper syntax: ${t.name}.`);
  }
  return t;
}

function isTerm(expr: unknown[]): boolean {
  return typeof expr[0] === 'string' && !['AND', 'OR', 'NOT'].includes(expr[0].toUpperCase()) && typeof expr[1] === 'string';
}

function parseExpression(expr: unknown[]): Filter {
  if (isTerm(expr)) {
    const [field, operator, ...rest] = expr as [string, string, ...unknown[]];
    const values = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as unknown[]) : rest;
    const dot = field.indexOf('.');
    const term = dot > 0 ? { name: field.slice(dot + 1), join: field.slice(0, dot) } : { name: field };
    return { kind: 'term', term: checkTerm({ ...term, operator: operator.toLowerCase(), values }) };
  }
  // A group: operands separated by AND/OR, each optionally prefixed by NOT.
  const ors: Filter[][] = [[]];
  let negate = false;
  let expectOperand = true;
  for (const token of expr) {
    if (typeof token === 'string') {
      const op = token.toUpperCase();
      if (op === 'NOT' && expectOperand) { negate = !negate; continue; }
      if ((op === 'AND' || op === 'OR') && !expectOperand) {
        if (op === 'OR') ors.push([]);
        expectOperand = true;
        continue;
      }
      throw new NsError('SSS_INVALID_SRCH_FILTER_EXPR', `Malformed search filter expression near '${token}'.`);
    }
    if (!Array.isArray(token) || !expectOperand) {
      throw new NsError('SSS_INVALID_SRCH_FILTER_EXPR', 'Malformed search filter expression: expected AND/OR between terms.');
    }
    const operand = parseExpression(token);
    ors[ors.length - 1]?.push(negate ? { kind: 'not', part: operand } : operand);
    negate = false;
    expectOperand = false;
  }
  if (expectOperand) throw new NsError('SSS_INVALID_SRCH_FILTER_EXPR', 'Malformed search filter expression: dangling operator.');
  const groups: Filter[] = ors.map((parts) => (parts.length === 1 ? (parts[0] as Filter) : { kind: 'and', parts }));
  return groups.length === 1 ? (groups[0] as Filter) : { kind: 'or', parts: groups };
}

/** What a filter sees of a row's field: its raw value, the field kind and an optional status matcher. */
export interface Cell { value: FieldValue; kind?: string; text?: string; matches?: (v: string) => boolean }

export function evaluate(filter: Filter, read: (term: Term) => Cell, today: Date): boolean {
  switch (filter.kind) {
    case 'all': return true;
    case 'and': return filter.parts.every((p) => evaluate(p, read, today));
    case 'or': return filter.parts.some((p) => evaluate(p, read, today));
    case 'not': return !evaluate(filter.part, read, today);
    case 'term': return test(filter.term, read(filter.term), today);
  }
}

/** The text form equality filters compare (case-insensitive). */
export const lower = (v: unknown) => (v === null || v === undefined ? '' : String(v)).toLowerCase();

function equals(cell: Cell, wanted: unknown): boolean {
  const v = cell.value;
  if (cell.matches && typeof wanted === 'string' && cell.matches(wanted)) return true;
  if (wanted === '@NONE@') return isEmptyValue(v);
  if (typeof v === 'boolean') return v === (wanted === true || wanted === 'T' || lower(wanted) === 'true');
  if (Array.isArray(v)) return v.map(String).includes(String(wanted));
  if (v instanceof Date) return sameDay(v, dateOf(wanted));
  if (cell.kind === 'currency' || cell.kind === 'float' || cell.kind === 'integer' || typeof v === 'number') {
    return numericCompare(v, wanted) === 0;
  }
  return lower(v) === lower(wanted);
}

function numericCompare(a: unknown, b: unknown): number | null {
  try {
    if (isEmptyValue(a) || isEmptyValue(b)) return null;
    parseDecimal(a as string);
    return compareDecimal(a as string, b as string);
  } catch {
    return null;
  }
}

function dateOf(v: unknown): Date {
  return toDate(v, 'filter');
}

function dayNumber(d: Date): number {
  return Math.floor(d.getTime() / 86_400_000);
}

function sameDay(a: Date, b: Date): boolean {
  return dayNumber(a) === dayNumber(b);
}

function relativeDate(v: unknown, today: Date): Date {
  if (v === 'today') return today;
  if (v === 'yesterday') return new Date(today.getTime() - 86_400_000);
  if (v === 'tomorrow') return new Date(today.getTime() + 86_400_000);
  return dateOf(v);
}

function test(term: Term, cell: Cell, today: Date): boolean {
  const { operator, values } = term;
  const v = cell.value;
  const first = values[0];
  switch (operator) {
    case 'is': case 'equalto': case 'on': return operator === 'on' ? dateCmp(v, first, today) === 0 : equals(cell, first);
    case 'isnot': case 'notequalto': return !equals(cell, first);
    case 'noton': return dateCmp(v, first, today) !== 0;
    case 'anyof': return values.some((w) => equals(cell, w));
    case 'noneof': return !values.some((w) => equals(cell, w));
    case 'contains': case 'haskeywords': return lower(cell.text ?? v).includes(lower(first));
    case 'doesnotcontain': return !lower(cell.text ?? v).includes(lower(first));
    case 'startswith': return lower(cell.text ?? v).startsWith(lower(first));
    case 'isempty': return isEmptyValue(v);
    case 'isnotempty': return !isEmptyValue(v);
    case 'greaterthan': return cmp(v, first, today) > 0;
    case 'greaterthanorequalto': return cmp(v, first, today) >= 0;
    case 'lessthan': return cmp(v, first, today) < 0;
    case 'lessthanorequalto': return cmp(v, first, today) <= 0;
    case 'between': case 'within': return cmp(v, first, today) >= 0 && cmp(v, values[1], today) <= 0;
    case 'notbetween': case 'notwithin': return !(cmp(v, first, today) >= 0 && cmp(v, values[1], today) <= 0);
    case 'before': return dateCmp(v, first, today) < 0;
    case 'after': return dateCmp(v, first, today) > 0;
    case 'onorbefore': return dateCmp(v, first, today) <= 0;
    case 'onorafter': return dateCmp(v, first, today) >= 0;
    default: return false;
  }
}

/**
 * Whether testing the term against a field that holds a Date can throw (a filter value that is not a date, read as
 * one): the cases `test` parses a filter value as a date. Other cells never throw.
 */
export function mayThrowOnDate(term: Term): boolean {
  const { operator, values } = term;
  const parses = (v: unknown, relative: boolean) => {
    try {
      if (relative) relativeDate(v, new Date(0));
      else dateOf(v);
      return true;
    } catch {
      return false;
    }
  };
  const first = values[0];
  switch (operator) {
    case 'is': case 'equalto': case 'isnot': case 'notequalto': return first !== '@NONE@' && !parses(first, false);
    case 'anyof': case 'noneof': return values.some((w) => w !== '@NONE@' && !parses(w, false));
    case 'on': case 'noton': case 'before': case 'after': case 'onorbefore': case 'onorafter':
    case 'greaterthan': case 'greaterthanorequalto': case 'lessthan': case 'lessthanorequalto':
      return !parses(first, true);
    case 'between': case 'within': case 'notbetween': case 'notwithin': return !parses(first, true) || !parses(values[1], true);
    default: return false;
  }
}

/** Ordering for numeric and date operators; NaN (an empty or non-comparable value) fails every comparison. */
function cmp(v: unknown, w: unknown, today: Date): number {
  if (v instanceof Date) return dateCmp(v, w, today);
  const c = numericCompare(v, w);
  return c === null ? Number.NaN : c;
}

function dateCmp(v: unknown, w: unknown, today: Date): number {
  if (!(v instanceof Date)) return Number.NaN;
  return Math.sign(dayNumber(v) - dayNumber(relativeDate(w, today)));
}
