/** A route's contract, declared once: used to validate requests and to build the OpenAPI document. */
import type { z } from 'zod';

export interface RouteSpec {
  method: 'get' | 'post' | 'patch';
  /** Express-style path (`/v1/channels/:id`). */
  path: string;
  summary: string;
  scope: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  /** Status of a successful answer. */
  status: number;
}
