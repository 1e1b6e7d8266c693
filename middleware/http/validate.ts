/** zod at the HTTP boundary: parse or answer 400 with the issues in the message. */
import type { z } from 'zod';
import { AppError } from '../lib/errors';

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new AppError(400, `invalid_${what}`, `Invalid ${what}: ${detail}`);
}
