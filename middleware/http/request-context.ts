/**
 * Gives each request an id (the caller's X-Request-Id when it is a sane token, else a new UUID), echoes it back,
 * and hangs a child logger on `req.log` so every line about the request carries `requestId`.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';

declare module 'express-serve-static-core' {
  interface Request {
    log: Logger;
    requestId: string;
  }
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestContext(logger: Logger, metrics?: Metrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const requestId = given && SANE_ID.test(given) ? given : randomUUID();
    req.requestId = requestId;
    req.log = logger.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The route pattern (not the URL) keeps label cardinality bounded.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics?.httpRequestSeconds.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      req.log.info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  };
}
