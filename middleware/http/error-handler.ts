/**
 * The one place errors become HTTP answers: `{ error: { code, message } }`. AppErrors carry their own status; body
 * parser failures (too large, bad JSON, bad charset) become 4xx with a code; anything unexpected is a 500 with a
 * generic message (details go to the log, never to the client).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isAppError } from '../lib/errors';

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'payload_too_large', 'The request body is too large.'],
  'entity.parse.failed': [400, 'invalid_json', 'The request body is not valid JSON.'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'The request body\'s content encoding is not supported.'],
  'charset.unsupported': [415, 'unsupported_charset', 'The request body\'s charset is not supported.'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted before its body arrived.'],
  'request.size.invalid': [400, 'invalid_content_length', 'The request body does not match its Content-Length.'],
  'parameters.too.many': [413, 'too_many_parameters', 'The request has too many parameters.'],
};

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) {
    req.log?.error({ err: error }, 'error after the response started');
    res.destroy();
    return;
  }
  if (isAppError(error)) {
    res.status(error.status).json({ error: { code: error.code, message: error.message } });
    return;
  }
  const e = (error ?? {}) as HttpishError;
  const known = e.type ? BODY_ERRORS[e.type] : undefined;
  if (known) {
    res.status(known[0]).json({ error: { code: known[1], message: known[2] } });
    return;
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({ error: { code: 'bad_request', message: 'The request could not be understood.' } });
    return;
  }
  req.log?.error({ err: error }, 'unhandled error');
  res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on our side; the request can be retried.' } });
};

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: 'No such route.' } });
};
