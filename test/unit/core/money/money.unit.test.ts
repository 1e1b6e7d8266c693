import {
  MoneyError,
  add,
  allocate,
  compare,
  currencyPrecision,
  equals,
  formatMoney,
  money,
  mulDiv,
  parseMoney,
  subtract,
  sum,
} from '../../../../core/money';
import { randomInt, seededRandom } from '../prng';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof MoneyError ? e.code : 'not-a-money-error';
  }
  return undefined;
}

describe('currency precision', () => {
  it('is 2 by default, 0 for JPY/KRW and 3 for KWD/BHD/JOD', () => {
    expect(currencyPrecision('USD')).toBe(2);
    expect(currencyPrecision('eur')).toBe(2);
    expect(currencyPrecision('JPY')).toBe(0);
    expect(currencyPrecision('KRW')).toBe(0);
    expect(currencyPrecision('KWD')).toBe(3);
    expect(currencyPrecision('BHD')).toBe(3);
    expect(currencyPrecision('JOD')).toBe(3);
  });

  it('refuses a code that is not three letters', () => {
    expect(code(() => currencyPrecision('US'))).toBe('invalid_currency');
    expect(code(() => money(1, 'US1'))).toBe('invalid_currency');
  });
});

describe('parseMoney / formatMoney', () => {
  it('parses decimal strings exactly into minor units', () => {
    expect(parseMoney('41.94', 'USD')).toEqual({ amount: 4194, currency: 'USD' });
    expect(parseMoney('-0.5', 'USD').amount).toBe(-50);
    expect(parseMoney('348.0', 'USD').amount).toBe(34800);
    expect(parseMoney('1200', 'JPY').amount).toBe(1200);
    expect(parseMoney('1.234', 'KWD').amount).toBe(1234);
    expect(parseMoney(' 0.00 ', 'usd')).toEqual({ amount: 0, currency: 'USD' });
  });

  it('parses JSON numbers the way the provider wrote them (0.1 + 0.2 never happens)', () => {
    expect(parseMoney(41.94, 'USD').amount).toBe(4194);
    expect(parseMoney(0.29, 'USD').amount).toBe(29);
    expect(parseMoney(5, 'USD').amount).toBe(500);
  });

  it('refuses digits beyond the currency precision instead of rounding them away', () => {
    expect(code(() => parseMoney('1.005', 'USD'))).toBe('too_precise');
    expect(code(() => parseMoney('1.5', 'JPY'))).toBe('too_precise');
    expect(parseMoney('1.500', 'USD').amount).toBe(150);
  });

  it('refuses text that is not a plain decimal', () => {
    for (const bad of ['', '1,00', '1e3', 'abc', '.5', '1.', '--1']) {
      expect(code(() => parseMoney(bad, 'USD'))).toBe('invalid_amount');
    }
    expect(code(() => parseMoney(Number.NaN, 'USD'))).toBe('invalid_amount');
    expect(code(() => parseMoney('123456789012345678', 'USD'))).toBe('out_of_range');
  });

  it('formats with exactly the currency precision', () => {
    expect(formatMoney(money(-5, 'USD'))).toBe('-0.05');
    expect(formatMoney(money(4194, 'USD'))).toBe('41.94');
    expect(formatMoney(money(1200, 'JPY'))).toBe('1200');
    expect(formatMoney(money(7, 'KWD'))).toBe('0.007');
    expect(formatMoney(money(0, 'EUR'))).toBe('0.00');
  });

  it('round-trips 10,000 generated amounts in every precision', () => {
    const random = seededRandom(7);
    const mismatches: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const currency = ['USD', 'JPY', 'KWD'][i % 3] as string;
      const m = money(randomInt(random, -1e12, 1e12), currency);
      if (!equals(parseMoney(formatMoney(m), currency), m)) mismatches.push(`${m.amount} ${currency}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('arithmetic', () => {
  it('adds, subtracts, compares and sums in one currency', () => {
    const a = money(1050, 'USD');
    const b = money(-75, 'USD');
    expect(add(a, b).amount).toBe(975);
    expect(subtract(a, b).amount).toBe(1125);
    expect(compare(a, b)).toBe(1);
    expect(compare(b, a)).toBe(-1);
    expect(compare(a, money(1050, 'USD'))).toBe(0);
    expect(equals(a, money(1050, 'USD'))).toBe(true);
    expect(equals(a, money(1050, 'EUR'))).toBe(false);
    expect(sum([a, b, a], 'USD').amount).toBe(2025);
    expect(sum([], 'JPY')).toEqual(money(0, 'JPY'));
  });

  it('refuses to mix currencies', () => {
    expect(code(() => add(money(1, 'USD'), money(1, 'EUR')))).toBe('currency_mismatch');
    expect(code(() => compare(money(1, 'USD'), money(1, 'JPY')))).toBe('currency_mismatch');
  });

  it('refuses non-integer or unsafe minor units', () => {
    expect(code(() => money(1.5, 'USD'))).toBe('out_of_range');
    expect(code(() => add(money(Number.MAX_SAFE_INTEGER, 'USD'), money(1, 'USD')))).toBe('out_of_range');
  });
});

describe('mulDiv', () => {
  it('is exact where a * b exceeds 2^53', () => {
    // 9,007,199,254 * 1,000,003 / 999,983 computed by hand-checkable identities
    const a = 9_007_199_254;
    const b = 1_000_003;
    const c = 999_983;
    const { quotient, remainder } = mulDiv(a, b, c);
    // Check a*b == q*c + r using a split that stays exact: (a * b) mod 1e6 and div 1e6 pieces.
    const lhs = BigInt(a) * BigInt(b);
    expect(BigInt(quotient) * BigInt(c) + BigInt(remainder)).toBe(lhs);
    expect(remainder).toBeLessThan(c);
  });

  it('matches bigint arithmetic on 2,000 generated triples', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 2000; i += 1) {
      const c = randomInt(random, 1, 2 ** 40);
      const b = randomInt(random, 0, c);
      const a = randomInt(random, 0, 2 ** 50);
      const { quotient, remainder } = mulDiv(a, b, c);
      expect(BigInt(quotient)).toBe((BigInt(a) * BigInt(b)) / BigInt(c));
      expect(BigInt(remainder)).toBe((BigInt(a) * BigInt(b)) % BigInt(c));
    }
  });
});

describe('allocate', () => {
  it('splits by weights with the remainder to the largest remainders', () => {
    const parts = allocate(money(100, 'USD'), [1, 1, 1]).map((m) => m.amount);
    expect(parts).toEqual([34, 33, 33]);
    expect(allocate(money(1000, 'USD'), [3333, 3333, 3334]).map((m) => m.amount)).toEqual([333, 333, 334]);
    expect(allocate(money(5, 'JPY'), [0, 2, 1]).map((m) => m.amount)).toEqual([0, 3, 2]);
  });

  it('splits evenly when every weight is zero and handles negative totals', () => {
    expect(allocate(money(10, 'USD'), [0, 0, 0]).map((m) => m.amount)).toEqual([4, 3, 3]);
    expect(allocate(money(-100, 'USD'), [1, 2]).map((m) => m.amount)).toEqual([-33, -67]);
  });

  it('refuses bad weights and an empty split', () => {
    expect(code(() => allocate(money(1, 'USD'), []))).toBe('invalid_amount');
    expect(code(() => allocate(money(1, 'USD'), [1, -1]))).toBe('invalid_amount');
    expect(code(() => allocate(money(1, 'USD'), [0.5]))).toBe('invalid_amount');
  });

  it('always sums to the whole, never gives a part more than one unit off its exact share, across 10,000 allocations', () => {
    const random = seededRandom(2026);
    const failures: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const currency = ['USD', 'JPY', 'KWD', 'EUR'][i % 4] as string;
      const total = money(randomInt(random, -5_000_000, 50_000_000), currency);
      const weights = Array.from({ length: randomInt(random, 1, 12) }, () => randomInt(random, 0, 100_000));
      const parts = allocate(total, weights);
      if (parts.reduce((acc, p) => acc + p.amount, 0) !== total.amount) failures.push(`sum ${i}`);
      const weightSum = weights.reduce((a, w) => a + w, 0) || weights.length;
      parts.forEach((p, k) => {
        const w = weights.every((x) => x === 0) ? 1 : (weights[k] ?? 0);
        // The exact share in rational form: |part| * weightSum must lie within one weightSum of |total| * w.
        const gap = BigInt(Math.abs(p.amount)) * BigInt(weightSum) - BigInt(Math.abs(total.amount)) * BigInt(w);
        if (gap <= -BigInt(weightSum) || gap >= BigInt(weightSum) || p.currency !== currency) failures.push(`part ${i}/${k}`);
      });
    }
    expect(failures).toEqual([]);
  });

  it('is deterministic', () => {
    const weights = [7, 7, 7, 7, 7, 7];
    expect(allocate(money(100, 'USD'), weights)).toEqual(allocate(money(100, 'USD'), weights));
  });
});
