export { MoneyError, currencyCode, currencyPrecision } from './currency';
export {
  type Money,
  money,
  zero,
  parseMoney,
  formatMoney,
  add,
  subtract,
  negate,
  sum,
  compare,
  equals,
  isZero,
} from './money';
export { allocate, mulDiv } from './allocate';
