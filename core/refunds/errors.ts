/**
 * Expected failures of the refund rules: a snake_case code a machine can act on and a plain message for people.
 * Rules return these inside a Result; nothing here is thrown for ordinary bad input.
 */

export type RefundRuleCode =
  | 'direction_conflict'
  | 'direction_unsupported'
  | 'unknown_platform'
  | 'invalid_direction'
  | 'nothing_to_refund_against'
  | 'deposit_insufficient'
  | 'currency_mismatch'
  | 'refund_not_settled'
  | 'refund_negative'
  | 'invalid_refund'
  | 'missing_adjustment_item';

export interface RefundRuleError {
  code: RefundRuleCode;
  message: string;
  /** Where the problem is (settings key, line index...), when it helps to say. */
  path?: string;
}

export type Result<T, E = RefundRuleError> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(code: RefundRuleCode, message: string, path?: string): { ok: false; error: RefundRuleError } {
  return { ok: false, error: path === undefined ? { code, message } : { code, message, path } };
}
