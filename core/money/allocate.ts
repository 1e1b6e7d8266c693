/**
 * Splits a total across parts by weights so the parts always sum to the total (largest-remainder method).
 * Each part first gets floor(total * weight / sumOfWeights); the cents left over go one each to the parts with the
 * largest remainders, ties to the earlier part, so the result is deterministic.
 */
import { MoneyError } from './currency';
import { type Money, money } from './money';

/** A safe-integer-exact floor(a * b / c) and its remainder, for non-negative a, b and 0 < c < 2^52, without bigint. */
export function mulDiv(a: number, b: number, c: number): { quotient: number; remainder: number } {
  if (!(c > 0 && c < 2 ** 52) || !Number.isSafeInteger(c) || !Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b < 0) {
    throw new MoneyError('out_of_range', `mulDiv(${a}, ${b}, ${c}) is outside the exact range`);
  }
  // a = qa * c + ra; then walk b's bits from the top, keeping (q, r) with a * prefix = q * c + r and r < c.
  const qa = Math.floor(a / c);
  const ra = a - qa * c;
  let q = 0;
  let r = 0;
  for (let bit = Math.floor(Math.log2(Math.max(b, 1))) + 1; bit >= 0; bit -= 1) {
    q *= 2;
    r *= 2;
    if (r >= c) {
      r -= c;
      q += 1;
    }
    if (Math.floor(b / 2 ** bit) % 2 === 1) {
      q += qa;
      r += ra;
      if (r >= c) {
        r -= c;
        q += 1;
      }
    }
  }
  if (!Number.isSafeInteger(q)) throw new MoneyError('out_of_range', `mulDiv(${a}, ${b}, ${c}) overflows`);
  return { quotient: q, remainder: r };
}

/**
 * Allocates `total` across `weights` (non-negative integers, e.g. line amounts in minor units or quantities).
 * When every weight is zero the total is split evenly. Negative totals are allocated by magnitude and negated.
 */
export function allocate(total: Money, weights: readonly number[]): Money[] {
  if (weights.length === 0) throw new MoneyError('invalid_amount', 'cannot allocate across zero parts');
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new MoneyError('invalid_amount', `weight ${w} is not a non-negative integer`);
  }
  let weightSum = weights.reduce((acc, w) => acc + w, 0);
  const effective = weightSum === 0 ? weights.map(() => 1) : weights;
  if (weightSum === 0) weightSum = weights.length;
  const sign = total.amount < 0 ? -1 : 1;
  const magnitude = Math.abs(total.amount);

  const shares = effective.map((w, index) => ({ index, ...mulDiv(magnitude, w, weightSum) }));
  let leftover = magnitude - shares.reduce((acc, s) => acc + s.quotient, 0);
  const byRemainder = [...shares].sort((x, y) => y.remainder - x.remainder || x.index - y.index);
  const parts = shares.map((s) => s.quotient);
  for (const share of byRemainder) {
    if (leftover === 0) break;
    parts[share.index] = (parts[share.index] ?? 0) + 1;
    leftover -= 1;
  }
  return parts.map((p) => money(sign * p, total.currency));
}
