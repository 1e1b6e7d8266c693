/**
 * NetSuite value conventions, in one place. Every value entering the store passes through normalizeValue.
 *
 * - Checkbox fields are stored as booleans (what SuiteScript 2.x getValue returns). Inputs 'T'/'F' (SuiteScript
 *   1.0, search filters, CSV) and true/false are both accepted; search filters compare 'T'/'F' against them.
 *   `undepfunds` is a radio button, not a checkbox: it stays the string 'T' (Undeposited Funds) or 'F' (post to
 *   `account`).
 * - Money (currency kind) is stored as a decimal string: amounts and totals at the currency precision ('12.50',
 *   'JPY' '1500', 'KWD' '1.250'); rates and prices as given, canonicalised ('19.99'). Real NetSuite getValue
 *   returns a number for currency fields; the runtime's N/record may convert, the store never does float sums.
 * - Quantities (float kind) and integers are numbers.
 * - Dates are stored as Date objects (what getValue returns for date fields); ISO strings and M/D/YYYY strings
 *   are accepted and parsed. Transaction dates (`trandate`) default to today at 00:00 UTC.
 * - Select fields hold internal ids as strings (numbers are converted); '' means empty (stored as null).
 * - Multiselect fields hold string arrays.
 * - Status fields hold the UI text ('Pending Billing'); the internal form sits in `statusRef` (statuses.ts).
 * - Search results: `mainline` reads '*' on a main-line row and '' on a line row (NetSuite's display form).
 */
import { parseDecimal, formatMinor } from './money';
import type { FieldKind } from './record-types';
import { NsError, type FieldValue } from './types';

export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value === 'T' || value.toLowerCase() === 'true';
  return Boolean(value);
}

export function canonicalDecimal(value: string | number): string {
  const d = parseDecimal(value);
  return formatMinor(d.units, d.scale);
}

const MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export function toDate(value: unknown, fieldId: string): Date {
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'string') {
    const mdy = MDY.exec(value.trim());
    const d = mdy ? new Date(Date.UTC(Number(mdy[3]), Number(mdy[1]) - 1, Number(mdy[2]))) : new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  if (typeof value === 'number') return new Date(value);
  throw new NsError('INVALID_FLD_VALUE', `Invalid date value for field ${fieldId}: ${String(value)}`);
}

export function normalizeValue(kind: FieldKind | undefined, value: unknown, fieldId: string): FieldValue {
  if (value === undefined) return null;
  if (kind === 'checkbox') return toBoolean(value);
  if (value === null || value === '') return kind === 'text' || kind === undefined ? (value as FieldValue) : null;
  switch (kind) {
    case 'currency':
      if (typeof value !== 'string' && typeof value !== 'number') break;
      return canonicalDecimal(value);
    case 'integer': case 'float': {
      if (typeof value !== 'string' && typeof value !== 'number') break;
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) break;
      return kind === 'integer' ? Math.trunc(n) : n;
    }
    case 'date': return toDate(value, fieldId);
    case 'select':
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      if (Array.isArray(value) && value.length > 0) return String(value[0]);
      break;
    case 'multiselect':
      if (Array.isArray(value)) return value.map(String);
      if (typeof value === 'string' || typeof value === 'number') return String(value).split(/\u0005|,/).filter(Boolean);
      break;
    default:
      if (value instanceof Date || Array.isArray(value)) return cloneValue(value as FieldValue);
      if (typeof value === 'object') break;
      return kind === 'text' ? String(value) : (value as FieldValue);
  }
  throw new NsError('INVALID_FLD_VALUE', `Invalid value for field ${fieldId}: ${JSON.stringify(value)}`);
}

export function cloneValue(value: FieldValue): FieldValue {
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return [...value];
  return value;
}

/** Whether a value counts as empty for mandatory checks and isempty filters. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}
