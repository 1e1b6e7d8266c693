/** Binds a RouteSpec to a handler: scope check, zod parsing of params/query/body, JSON answer with spec.status. */
import type { Request, Router } from 'express';
import type { z } from 'zod';
import type { PartnerAuth } from '../../partner-auth';
import { parseOr400 } from '../../validate';
import type { RouteSpec } from './route-spec';

export interface RouteInput<S extends RouteSpec> {
  tenantId: string;
  params: S['params'] extends z.ZodType ? z.infer<S['params']> : undefined;
  query: S['query'] extends z.ZodType ? z.infer<S['query']> : undefined;
  body: S['body'] extends z.ZodType ? z.infer<S['body']> : undefined;
  req: Request;
}

export interface BoundRoute {
  spec: RouteSpec;
  mount(router: Router, auth: PartnerAuth): void;
}

export function defineRoute<S extends RouteSpec>(spec: S, handler: (input: RouteInput<S>) => Promise<z.infer<S['response']>>): BoundRoute {
  return {
    spec,
    mount(router, auth) {
      router[spec.method](spec.path, auth.requireScope(spec.scope), async (req, res) => {
        const input = {
          tenantId: auth.tenantOf(req),
          params: spec.params ? parseOr400(spec.params, req.params, 'path') : undefined,
          query: spec.query ? parseOr400(spec.query, req.query, 'query') : undefined,
          body: spec.body ? parseOr400(spec.body, req.body ?? {}, 'body') : undefined,
          req,
        } as RouteInput<S>;
        res.status(spec.status).json(await handler(input));
      });
    },
  };
}
