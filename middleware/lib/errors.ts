/**
 * Errors that carry their HTTP answer. Route code throws an AppError (or returns a failed Result that it turns into
 * one); the central error handler maps it to `{ error: { code, message } }` with `status`. Anything else is a 500
 * with a generic message, so internals never leak.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const badRequest = (code: string, message: string): AppError => new AppError(400, code, message);
export const unauthorized = (code: string, message: string): AppError => new AppError(401, code, message);
export const notFound = (code: string, message: string): AppError => new AppError(404, code, message);
export const conflict = (code: string, message: string): AppError => new AppError(409, code, message);

/** Anything thrown, as an Error (a thrown string or object becomes the message). */
export function ensureError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
