/**
 * pino JSON logs with secrets redacted by path (the security module's list). Request logs carry `requestId`; job
 * logs carry `syncRecordId`. Nothing logs request bodies or sealed/opened secrets.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactOptions } from '../security/redact';

export type { Logger } from 'pino';

export function createLogger(options: { level: string; name?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'ledgerbridge',
      redact: redactOptions,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
