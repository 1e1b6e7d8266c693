/** Errors of the NetSuite client, each with a machine-readable code. */

/** NetSuite refused the credentials (401 INVALID_LOGIN_ATTEMPT, or the token endpoint refused the assertion). */
export class NetSuiteAuthError extends Error {
  readonly code = 'NETSUITE_AUTH_FAILED';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'NetSuiteAuthError';
    this.status = status;
  }
}

/** NetSuite answered with an error that sending again will not fix (404 bad RESTlet URL, 400 bad request …). */
export class NetSuiteHttpError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'NetSuiteHttpError';
    this.status = status;
    this.code = code;
  }
}

/** The RESTlet answered { ok: false, error } for the whole request. */
export class RestletApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'RestletApiError';
    this.code = code;
  }
}

/** Retries ran out on limit errors, 429s, 5xx or network errors. */
export class NetSuiteUnavailableError extends Error {
  readonly code = 'NETSUITE_UNAVAILABLE';
  readonly attempts: number;
  readonly lastReason: string;
  constructor(attempts: number, lastReason: string) {
    super(`NetSuite did not answer after ${attempts} attempts (last: ${lastReason}).`);
    this.name = 'NetSuiteUnavailableError';
    this.attempts = attempts;
    this.lastReason = lastReason;
  }
}

/** A request that may have run on NetSuite but whose answer never arrived. */
export class OutcomeUnknownError extends Error {
  readonly code = 'NETSUITE_OUTCOME_UNKNOWN';
  constructor(reason: string) {
    super(`NetSuite may have run the request but its answer was lost (${reason}).`);
    this.name = 'OutcomeUnknownError';
  }
}

/** Parses NetSuite's error body `{"error":{"code","message"}}` (reference 1.4), tolerating other shapes. */
export function netsuiteErrorOf(body: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (parsed.error && typeof parsed.error.code === 'string') {
      return { code: parsed.error.code, message: String(parsed.error.message ?? '') };
    }
  } catch {
    // not JSON
  }
  const m = /error code:\s*(\S+)\s*error message:\s*(.*)/s.exec(body);
  if (m) return { code: m[1] as string, message: (m[2] as string).trim() };
  return { code: 'UNEXPECTED_ERROR', message: body.slice(0, 500) };
}
