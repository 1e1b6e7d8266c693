/**
 * N/log (also NetSuite's global `log`): debug, audit, error, emergency with `{title, details}` or
 * `(title, details)`. Entries below the deployment's log level are dropped, as NetSuite does; the rest are
 * captured per execution and on the account. Logging costs no units (reference 1.1).
 */
import type { ExecutionSlot, LogEntry } from '../runtime/execution';
import { isSuiteScriptError } from '../runtime/errors';

const RANK: Record<string, number> = { DEBUG: 0, AUDIT: 1, ERROR: 2, EMERGENCY: 3 };

function detailsText(details: unknown): string {
  if (details === undefined || details === null) return '';
  if (typeof details === 'string') return details;
  if (isSuiteScriptError(details)) return JSON.stringify(details);
  if (typeof details === 'object' && 'message' in details && 'name' in details) {
    return `${String((details as Error).name)}: ${String((details as Error).message)}`;
  }
  try {
    return JSON.stringify(details) ?? String(details);
  } catch {
    return String(details);
  }
}

export function createLogModule(slot: ExecutionSlot): Record<string, unknown> {
  const write = (level: LogEntry['level']) => (options: unknown, maybeDetails?: unknown) => {
    const exec = slot.current;
    const threshold = RANK[exec.deployment.logLevel] ?? 0;
    if ((RANK[level] ?? 0) < threshold) return;
    const opts =
      typeof options === 'object' && options !== null && maybeDetails === undefined
        ? (options as { title?: unknown; details?: unknown })
        : { title: options, details: maybeDetails };
    const entry: LogEntry = {
      level,
      title: opts.title === undefined || opts.title === null ? '' : String(opts.title),
      details: detailsText(opts.details),
      scriptId: exec.script.scriptId,
      deploymentId: exec.deployment.deployId,
      executionContext: exec.executionContext,
      time: new Date(exec.host.now()).toISOString(),
    };
    exec.logs.push(entry);
    exec.host.recordLog(entry);
  };
  return { debug: write('DEBUG'), audit: write('AUDIT'), error: write('ERROR'), emergency: write('EMERGENCY') };
}
