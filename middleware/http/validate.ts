/**
 * Validation at the HTTP boundary:
 *   - `parseOr400`: zod, or 400 with the issues in the message;
 *   - `rejectUnsafeRequest`: the path and query of every request, before any route (ids and text rules of
 *     middleware/lib/ids.ts): bad percent-encoding, control characters, and — under /v1 and /webhooks — any path
 *     segment that is not an id answer 400 `invalid_request`;
 *   - `rejectUnsafeBody`: a parsed JSON body holding NUL or another control character answers 400 `invalid_request`;
 *   - `refuseDeclaredOversize`: a Content-Length over the route's limit answers 413 at once, before any byte of the
 *     body is read, and the connection is closed (the client would otherwise have to send it all first).
 * On /oauth/token the refusals use OAuth's error shape `{error, error_description}`; elsewhere `{error: {code, message}}`.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../lib/errors';
import { findUnsafeText, hasUnsafeText, isValidId } from '../lib/ids';

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new AppError(400, `invalid_${what}`, `Invalid ${what}: ${detail}`);
}

const OAUTH_PATHS = new Set(['/oauth/token']);
/** Path prefixes whose every segment is a literal or an id, so every segment must pass the id rule. */
const ID_PATH_PREFIXES = ['/v1/', '/webhooks/'];

function refuse(req: Request, res: Response, status: number, code: string, message: string): void {
  res.set('Cache-Control', 'no-store');
  if (OAUTH_PATHS.has(req.path)) {
    res.status(status).json({ error: code === 'payload_too_large' ? 'invalid_request' : code, error_description: message });
    return;
  }
  res.status(status).json({ error: { code, message } });
}

/** Why a path is refused, or undefined. */
function pathProblem(path: string): string | undefined {
  const checkIds = ID_PATH_PREFIXES.some((prefix) => path.startsWith(prefix));
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'The request path is not valid percent-encoded UTF-8.';
    }
    if (hasUnsafeText(decoded)) return 'The request path holds a control character.';
    if (checkIds && !isValidId(decoded)) return 'A path segment is not a valid id (1 to 200 visible ASCII characters).';
  }
  return undefined;
}

function queryProblem(query: unknown): string | undefined {
  if (!query || typeof query !== 'object') return undefined;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    if (hasUnsafeText(key) || values.some((v) => typeof v === 'string' && hasUnsafeText(v))) return 'A query parameter holds a control character.';
  }
  return undefined;
}

export const rejectUnsafeRequest: RequestHandler = (req, res, next) => {
  const problem = pathProblem(req.path) ?? queryProblem(req.query);
  if (problem) return refuse(req, res, 400, 'invalid_request', problem);
  next();
};

export const rejectUnsafeBody: RequestHandler = (req, res, next) => {
  const at = req.body !== undefined && typeof req.body === 'object' ? findUnsafeText(req.body) : undefined;
  if (at) return refuse(req, res, 400, 'invalid_request', `The body holds a control character (at ${at.slice(0, 100)}).`);
  next();
};

/** Answers 413 from the declared Content-Length alone when it exceeds `limitFor(req)` bytes, and closes. */
export function refuseDeclaredOversize(limitFor: (req: Request) => number): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared === undefined || !/^\d+$/.test(declared)) return next();
    if (Number(declared) <= limitFor(req)) return next();
    // The body is never read: the connection cannot be reused, so it is closed once the answer is sent.
    res.set('Connection', 'close');
    refuse(req, res, 413, 'payload_too_large', 'The request body is too large.');
    res.on('finish', () => req.socket.destroySoon());
  };
}
