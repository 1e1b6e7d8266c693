/** Expected failures travel as values; exceptions are for the unexpected. */
export type Result<T, E = AppFailure> = { ok: true; value: T } | { ok: false; error: E };

/** A failure with a snake_case code (machine-readable) and a plain message (human-readable). */
export interface AppFailure {
  code: string;
  message: string;
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E = AppFailure>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

export function failure(code: string, message: string): { ok: false; error: AppFailure } {
  return { ok: false, error: { code, message } };
}
