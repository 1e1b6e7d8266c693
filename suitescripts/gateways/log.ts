/**
 * NetSuite's global `log` object (SuiteScript 2.x exposes N/log's functions as a global; eslint-plugin-suitescript
 * prefers it to importing N/log). Declared here so domain and entry code stay typed.
 */
import type * as N_log from 'N/log';

declare const log: typeof N_log;

export function audit(title: string, details: unknown): void {
  log.audit({ title, details });
}

export function error(title: string, details: unknown): void {
  log.error({ title, details });
}
