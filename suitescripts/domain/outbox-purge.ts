/**
 * The outbox purge's pure parts: the retention parameter and the cut-off date. Delivered (acknowledged) entries
 * whose acknowledgement date is on or before the cut-off are deleted; pending entries never are.
 */

export const DEFAULT_RETENTION_DAYS = 7;
export const MAX_RETENTION_DAYS = 3650;

/** The retention in whole days from the deployment parameter ('' -> the default; a bad value -> the default). */
export function retentionDays(parameter: string): number {
  const text = parameter.trim();
  if (!/^\d+$/.test(text)) return DEFAULT_RETENTION_DAYS;
  return Math.min(Number(text), MAX_RETENTION_DAYS);
}

/** The last acknowledgement day that is purged: `days` whole days before `now` (day granularity, as dates). */
export function purgeCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
