/**
 * pino JSON logs with secrets redacted (the security module's path list, then a deep walk of every logged object and
 * message). Request logs carry `requestId`; job logs carry `syncRecordId`. Nothing logs request bodies or secrets.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactDeep, redactOptions, redactText } from '../security/redact';

export type { Logger } from 'pino';

export function createLogger(options: { level: string; name?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'ledgerbridge',
      // Two layers: pino's path redaction, then every logged object and message is walked for secret-named keys at
      // any depth and credentials inside strings (errors from HTTP clients carry their request's headers and body).
      redact: redactOptions,
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
        },
      },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
