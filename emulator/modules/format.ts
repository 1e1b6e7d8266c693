/**
 * N/format: format() and parse() with the local account's preferences: date M/D/YYYY, time h:mm am/pm,
 * numbers 1,000,000.00, time zone UTC. (NetSuite takes these from company/user preferences; the local account
 * fixes them, documented-safe defaults.)
 */
import { SuiteScriptError } from '../runtime/errors';

const Type = {
  CHECKBOX: 'checkbox',
  CURRENCY: 'currency',
  CURRENCY2: 'currency2',
  DATE: 'date',
  DATETIME: 'datetime',
  DATETIMETZ: 'datetimetz',
  EMAIL: 'email',
  FLOAT: 'float',
  INTEGER: 'integer',
  NONNEGCURRENCY: 'nonnegcurrency',
  NONNEGFLOAT: 'nonnegfloat',
  PERCENT: 'percent',
  PHONE: 'phone',
  POSCURRENCY: 'poscurrency',
  POSFLOAT: 'posfloat',
  POSINTEGER: 'posinteger',
  TEXT: 'text',
  TEXTAREA: 'textarea',
  TIMEOFDAY: 'timeofday',
  URL: 'url',
} as const;

function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function time(d: Date, seconds: boolean): string {
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(d.getUTCSeconds())}` : ''} ${h < 12 ? 'am' : 'pm'}`;
}

function date(d: Date): string {
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/** Groups thousands on a plain decimal string: "-1234567.5" -> "-1,234,567.5". */
function group(decimal: string): string {
  const [int = '', frac] = decimal.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.replace('-', '');
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

function toNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value).replace(/,/g, '').replace(/%$/, ''));
  if (!Number.isFinite(n)) throw new SuiteScriptError('INVALID_FLD_VALUE', `Invalid number: ${String(value)}`);
  return n;
}

function formatValue(value: unknown, type: string): string {
  switch (type) {
    case Type.DATE:
      if (!isDate(value)) throw new SuiteScriptError('INVALID_FLD_VALUE', 'format.DATE needs a Date.');
      return date(value);
    case Type.DATETIME:
    case Type.DATETIMETZ:
      if (!isDate(value)) throw new SuiteScriptError('INVALID_FLD_VALUE', 'format.DATETIME needs a Date.');
      return `${date(value)} ${time(value, type === Type.DATETIMETZ)}`;
    case Type.TIMEOFDAY:
      if (!isDate(value)) throw new SuiteScriptError('INVALID_FLD_VALUE', 'format.TIMEOFDAY needs a Date.');
      return time(value, false);
    case Type.CURRENCY:
    case Type.CURRENCY2:
    case Type.NONNEGCURRENCY:
    case Type.POSCURRENCY:
      return group(toNumber(value).toFixed(2));
    case Type.FLOAT:
    case Type.NONNEGFLOAT:
    case Type.POSFLOAT:
      return group(String(toNumber(value)));
    case Type.INTEGER:
    case Type.POSINTEGER:
      return group(String(Math.trunc(toNumber(value))));
    case Type.PERCENT:
      return `${toNumber(value).toFixed(2)}%`;
    case Type.CHECKBOX:
      return value === true || value === 'T' ? 'T' : 'F';
    default:
      return value === null || value === undefined ? '' : String(value);
  }
}

function parseDate(text: string, withTime: boolean): Date {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm))?$/i.exec(text.trim());
  if (!m) throw new SuiteScriptError('INVALID_FLD_VALUE', `"${text}" is not a date in M/D/YYYY${withTime ? ' h:mm am' : ''} format.`);
  let hours = m[4] ? Number(m[4]) % 12 : 0;
  if (m[7]?.toLowerCase() === 'pm') hours += 12;
  return new Date(Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hours, Number(m[5] ?? 0), Number(m[6] ?? 0)));
}

function parseValue(value: unknown, type: string): unknown {
  if (isDate(value)) return value;
  const text = value === null || value === undefined ? '' : String(value);
  switch (type) {
    case Type.DATE:
      return parseDate(text, false);
    case Type.DATETIME:
    case Type.DATETIMETZ:
      return parseDate(text, true);
    case Type.CURRENCY:
    case Type.CURRENCY2:
    case Type.NONNEGCURRENCY:
    case Type.POSCURRENCY:
    case Type.FLOAT:
    case Type.NONNEGFLOAT:
    case Type.POSFLOAT:
    case Type.PERCENT:
      return toNumber(text);
    case Type.INTEGER:
    case Type.POSINTEGER:
      return Math.trunc(toNumber(text));
    case Type.CHECKBOX:
      return text === 'T' || text === 'true';
    default:
      return text;
  }
}

export function createFormatModule(): Record<string, unknown> {
  const args = (options: { value?: unknown; type?: unknown } | undefined, fn: string) => {
    if (!options || options.type === undefined || !('value' in options)) {
      throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `format.${fn}: options.value and options.type are required.`);
    }
    return { value: options.value, type: String(options.type) };
  };
  return {
    Type,
    Timezone: { AMERICA_LOS_ANGELES: 'America/Los_Angeles', ETC_GMT: 'Etc/GMT', EUROPE_LONDON: 'Europe/London' },
    format(options: { value?: unknown; type?: unknown }) {
      const { value, type } = args(options, 'format');
      return formatValue(value, type);
    },
    parse(options: { value?: unknown; type?: unknown }) {
      const { value, type } = args(options, 'parse');
      return parseValue(value, type);
    },
  };
}
