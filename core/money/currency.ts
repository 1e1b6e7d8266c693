/**
 * Currency precision: how many digits after the decimal point a currency's minor unit has (ISO 4217 exponent).
 * Two is the default; the exceptions we support are listed explicitly so a typo cannot silently change precision.
 */

const PRECISION_EXCEPTIONS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  KWD: 3,
  BHD: 3,
  JOD: 3,
};

const CURRENCY_CODE = /^[A-Z]{3}$/;

export class MoneyError extends Error {
  constructor(
    readonly code: 'invalid_currency' | 'invalid_amount' | 'currency_mismatch' | 'too_precise' | 'out_of_range',
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** Normalises and checks an ISO 4217 alphabetic code ('usd' -> 'USD'); throws invalid_currency otherwise. */
export function currencyCode(code: string): string {
  const upper = code.trim().toUpperCase();
  if (!CURRENCY_CODE.test(upper)) throw new MoneyError('invalid_currency', `'${code}' is not an ISO 4217 currency code`);
  return upper;
}

/** Digits after the decimal point for a currency: 2 unless it is one of the listed exceptions. */
export function currencyPrecision(code: string): number {
  return PRECISION_EXCEPTIONS[currencyCode(code)] ?? 2;
}
