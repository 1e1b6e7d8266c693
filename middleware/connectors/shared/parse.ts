/** Raw provider text -> bigint-safe JSON -> zod-checked payload, as a Result. */
import type { z } from 'zod';
import { type Result, connectorFailure, ok } from './errors';
import { JsonParseError, parseJson } from './json';

/** `transactions.0.amount` -> `refund.transactions[0].amount` (with the root the caller names). */
export function fieldPath(path: readonly PropertyKey[], root?: string): string {
  let out = root ?? '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out === '' ? '(the body)' : out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[part];
  }
  return v;
}

export interface ParseOptions {
  /** Names the body's root in field paths, e.g. 'refund' gives 'refund.transactions[0].amount'. */
  root?: string;
}

export function parsePayload<S extends z.ZodType>(schema: S, raw: string | Buffer | unknown, what: string, options: ParseOptions = {}): Result<z.output<S>> {
  let data: unknown = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      data = parseJson(typeof raw === 'string' ? raw : raw.toString('utf8'));
    } catch (e) {
      return connectorFailure('invalid_json', `${what} is not valid JSON: ${e instanceof JsonParseError ? e.message : String(e)}`);
    }
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) return connectorFailure('invalid_payload', `${what} does not have the expected shape.`);
    const field = fieldPath(issue.path, options.root);
    const value = valueAt(data, issue.path);
    const message =
      value === undefined && issue.path.length > 0
        ? `${what}: ${field} is missing: Ledgerbridge needs it to sync this record. Check that the platform sends the documented payload for this API version (a field the platform documents as optional should be reported as a connector defect).`
        : `${what}: ${field} is ${value === null ? 'null' : 'not what the platform documents'} (${issue.message}). Check that the platform sends the documented payload for this API version.`;
    return connectorFailure('invalid_payload', message);
  }
  return ok(parsed.data);
}
