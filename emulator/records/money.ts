/**
 * Exact decimal arithmetic for money and quantities: values travel as decimal strings, arithmetic happens on
 * integer minor units (bigint), never on float sums.
 */
import { NsError } from './types';

/** Currency precision (digits after the point) by ISO code; NetSuite's currency record holds the same number. */
export const CURRENCY_PRECISION: Readonly<Record<string, number>> = {
  USD: 2, EUR: 2, GBP: 2, CAD: 2, AUD: 2, JPY: 0, KWD: 3, BHD: 3,
};

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Parses a decimal string or a finite number into (units, scale); throws INVALID_FLD_VALUE otherwise. */
export function parseDecimal(value: string | number): { units: bigint; scale: number } {
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new NsError('INVALID_FLD_VALUE', `Invalid number: '${String(value)}'`);
  }
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2] || '0'}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return { units, scale: frac.length };
}

/** A finite JS number in plain (non-exponent) decimal notation, as typed. */
function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) throw new NsError('INVALID_FLD_VALUE', `Invalid number: ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/** Rescales units from one scale to another, rounding half away from zero when digits are dropped. */
export function rescale(units: bigint, from: number, to: number): bigint {
  if (to >= from) return units * 10n ** BigInt(to - from);
  const div = 10n ** BigInt(from - to);
  const q = units / div;
  const r = units % div;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= div) return units < 0n ? q - 1n : q + 1n;
  return q;
}

/** Decimal string/number -> integer minor units at the given precision (rounded half away from zero). */
export function toMinor(value: string | number, precision: number): bigint {
  const d = parseDecimal(value);
  return rescale(d.units, d.scale, precision);
}

/** Integer minor units -> decimal string with exactly `precision` digits ('12.50', '1500', '1.250'). */
export function formatMinor(minor: bigint, precision: number): string {
  const neg = minor < 0n;
  const digits = (neg ? -minor : minor).toString().padStart(precision + 1, '0');
  const int = precision === 0 ? digits : digits.slice(0, -precision);
  const frac = precision === 0 ? '' : `.${digits.slice(-precision)}`;
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Normalises a money value to the currency precision. */
export function normalizeMoney(value: string | number, precision: number): string {
  return formatMinor(toMinor(value, precision), precision);
}

/** quantity × rate, rounded once to the currency precision. */
export function multiplyToMinor(quantity: string | number, rate: string | number, precision: number): bigint {
  const q = parseDecimal(quantity);
  const r = parseDecimal(rate);
  return rescale(q.units * r.units, q.scale + r.scale, precision);
}

/** Exact decimal comparison helper: a - b as a sign (-1, 0, 1). */
export function compareDecimal(a: string | number, b: string | number): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const diff = rescale(x.units, x.scale, scale) - rescale(y.units, y.scale, scale);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

/** Exact sum of decimal strings/numbers, formatted with the largest scale seen (search SUM columns). */
export function sumDecimals(values: Array<string | number>): string {
  const parsed = values.map((v) => parseDecimal(v));
  const scale = parsed.reduce((s, p) => Math.max(s, p.scale), 0);
  const total = parsed.reduce((acc, p) => acc + rescale(p.units, p.scale, scale), 0n);
  return formatMinor(total, scale);
}

/** Quantity arithmetic (quantities may be fractional): exact via decimals, returned as a JS number. */
export function quantityOf(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'number') return value;
  const d = parseDecimal(String(value));
  return Number(d.units) / 10 ** d.scale;
}
