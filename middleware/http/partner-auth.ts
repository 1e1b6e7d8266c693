/**
 * What the HTTP layer needs from partner authentication (middleware/partner-api): its router (token endpoint,
 * JWKS) and a `requireScope(scope)` middleware that answers 401/403 itself or lets the request through with the
 * token's tenant attached. `tenantOf(req)` reads that tenant back.
 */
import type { Request, RequestHandler, Router } from 'express';

export interface PartnerAuth {
  router: Router;
  requireScope(scope: string): RequestHandler;
  tenantOf(req: Request): string;
}
