/**
 * Route contracts declared once with zod: the same definition validates requests in the handler and documents the
 * route in /openapi.json. Paths use Express syntax (`/v1/connections/:connectionId`).
 */
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteRequest {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
}

export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  /** Partner scopes required (empty or absent: a public route, no token needed). */
  scopes?: readonly string[];
  tags?: readonly string[];
  request?: RouteRequest;
  /** Response schemas by HTTP status; null for a response without a body (e.g. 204). */
  responses: Readonly<Record<number, z.ZodType | null>>;
  /** Error codes by HTTP status (answered with the `{ error: { code, message } }` body). */
  errors?: Readonly<Record<number, readonly string[]>>;
  /** One request body example and one example per success status; each must parse with its schema. */
  examples?: { request?: unknown; responses?: Readonly<Record<number, unknown>> };
}

/** Declares a route contract (types are kept exact for handlers that infer from it). */
export function defineRoute<const R extends RouteDefinition>(route: R): R {
  if (!route.path.startsWith('/')) throw new Error(`route path must start with "/": ${route.path}`);
  if (Object.keys(route.responses).length === 0) throw new Error(`route ${route.method} ${route.path} declares no response`);
  return route;
}

/** A list of route contracts collected by the feature modules, in registration order. */
export function createRouteRegistry() {
  const routes: RouteDefinition[] = [];
  return {
    define<const R extends RouteDefinition>(route: R): R {
      const defined = defineRoute(route);
      if (routes.some((r) => r.method === route.method && r.path === route.path)) {
        throw new Error(`route ${route.method.toUpperCase()} ${route.path} is defined twice`);
      }
      routes.push(defined);
      return defined;
    },
    get routes(): readonly RouteDefinition[] {
      return routes;
    },
  };
}

export type RouteRegistry = ReturnType<typeof createRouteRegistry>;
