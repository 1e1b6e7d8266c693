/** N/error: error.create({name, message, notifyOff}) -> SuiteScriptError (reference 1.3). */
import { SuiteScriptError } from '../runtime/errors';

export function createErrorModule(): Record<string, unknown> {
  return {
    create(options: { name?: unknown; message?: unknown; notifyOff?: unknown } | undefined) {
      if (!options || options.name === undefined || options.message === undefined) {
        throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'error.create: options.name and options.message are required.');
      }
      return new SuiteScriptError(String(options.name), String(options.message), { notifyOff: options.notifyOff === true });
    },
    Type: {
      SSS_MISSING_REQD_ARGUMENT: 'SSS_MISSING_REQD_ARGUMENT',
      SSS_USAGE_LIMIT_EXCEEDED: 'SSS_USAGE_LIMIT_EXCEEDED',
      SSS_INVALID_SRCH_COL: 'SSS_INVALID_SRCH_COL',
      RCRD_DSNT_EXIST: 'RCRD_DSNT_EXIST',
      RCRD_HAS_BEEN_CHANGED: 'RCRD_HAS_BEEN_CHANGED',
      INVALID_FLD_VALUE: 'INVALID_FLD_VALUE',
      DUP_RCRD: 'DUP_RCRD',
      FAILED_TO_SUBMIT_JOB_REQUEST_1: 'FAILED_TO_SUBMIT_JOB_REQUEST_1',
    },
  };
}
