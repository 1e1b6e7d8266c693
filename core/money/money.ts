/**
 * Money as integer minor units with an explicit currency. Amounts are plain numbers kept inside the safe-integer
 * range (every operation checks), so this module also compiles for SuiteScript 2.1 (ES2019, no bigint).
 * Decimal strings are parsed and formatted digit by digit: no float ever touches an amount.
 */
import { MoneyError, currencyCode, currencyPrecision } from './currency';

export interface Money {
  /** Integer minor units (cents for USD, yen for JPY, fils for KWD). */
  readonly amount: number;
  /** ISO 4217 code, upper case. */
  readonly currency: string;
}

function checkUnits(units: number, what: string): number {
  if (!Number.isSafeInteger(units)) {
    throw new MoneyError('out_of_range', `${what} ${units} is not a safe integer number of minor units`);
  }
  return units === 0 ? 0 : units; // no -0
}

/** Money from integer minor units. */
export function money(amount: number, currency: string): Money {
  return { amount: checkUnits(amount, 'amount'), currency: currencyCode(currency) };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal amount exactly: "12.30", "-0.5", "1000", " 41.94 ". Numbers are accepted for providers that send
 * JSON numbers (Shopify REST, Amazon Finances): a JS number's shortest round-trip text is the literal the provider
 * wrote for any amount with up to 15 significant digits, so String(n) recovers it exactly.
 * Digits beyond the currency's precision are refused unless they are zeros ("348.0", "41.940" are fine; "1.005"
 * in USD is too_precise): nothing is rounded away silently.
 */
export function parseMoney(value: string | number, currency: string): Money {
  const code = currencyCode(currency);
  const precision = currencyPrecision(code);
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new MoneyError('invalid_amount', `'${String(value)}' is not a decimal amount`);
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] ?? '0';
  let frac = m[3] ?? '';
  if (frac.length > precision) {
    const extra = frac.slice(precision);
    if (!/^0+$/.test(extra)) {
      throw new MoneyError('too_precise', `'${text}' has more than ${precision} decimal places for ${code}`);
    }
    frac = frac.slice(0, precision);
  }
  const digits = (whole + frac.padEnd(precision, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 16) throw new MoneyError('out_of_range', `'${text}' is too large`);
  return money(sign * checkUnits(Number(digits), 'amount'), code);
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyError('invalid_amount', `${n} is not a finite amount`);
  const s = String(n);
  if (/e/i.test(s)) throw new MoneyError('invalid_amount', `${s} is not a plain decimal amount`);
  return s;
}

/** Formats with exactly the currency's precision: money(-5, 'USD') -> "-0.05", money(1200, 'JPY') -> "1200". */
export function formatMoney(m: Money): string {
  const precision = currencyPrecision(m.currency);
  const negative = m.amount < 0;
  const digits = String(Math.abs(m.amount)).padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  const frac = digits.slice(digits.length - precision);
  return `${negative ? '-' : ''}${whole}${precision > 0 ? `.${frac}` : ''}`;
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError('currency_mismatch', `cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(checkUnits(a.amount + b.amount, 'sum'), a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(checkUnits(a.amount - b.amount, 'difference'), a.currency);
}

export function negate(a: Money): Money {
  return money(-a.amount, a.currency);
}

/** Sum of a list in one currency; the empty sum is zero in `currency`. */
export function sum(items: readonly Money[], currency: string): Money {
  let total = zero(currency);
  for (const item of items) total = add(total, item);
  return total;
}

/** -1, 0 or 1. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amount === b.amount;
}

export function isZero(a: Money): boolean {
  return a.amount === 0;
}
