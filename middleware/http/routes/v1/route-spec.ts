/** A route's contract, declared once: used to validate requests and to build the OpenAPI document. */
import type { z } from 'zod';

export interface RouteSpec {
  method: 'get' | 'post' | 'patch';
  /** Express-style path (`/v1/channels/:id`). */
  path: string;
  summary: string;
  description?: string;
  scope: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * The body as /openapi.json documents it, when the service behind the route validates parts of it further with
   * these same schemas (the channel routes: each kind's composed settings and secrets). Defaults to `body`.
   */
  documentedBody?: z.ZodType;
  response: z.ZodType;
  /** Status of a successful answer. */
  status: number;
  /** Error codes the route answers, by HTTP status (all with the `{ error: { code, message } }` body). */
  errors?: Readonly<Partial<Record<400 | 404 | 409 | 422 | 502 | 503, readonly string[]>>>;
  /** Examples for /openapi.json: one request body (routes with a body) and one answer; each parses with its schema. */
  examples?: { request?: unknown; response: unknown };
}
