/** Raw provider text -> bigint-safe JSON -> zod-checked payload, as a Result. */
import type { z } from 'zod';
import { type Result, connectorFailure, ok } from './errors';
import { JsonParseError, parseJson } from './json';

export function parsePayload<S extends z.ZodType>(schema: S, raw: string | Buffer | unknown, what: string): Result<z.output<S>> {
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
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return connectorFailure('invalid_payload', `${what} does not have the expected shape${where}: ${issue?.message ?? 'invalid'}`);
  }
  return ok(parsed.data);
}
