import type { PartnerScope } from './scopes';

/** Who is calling, from a verified access token. Routes read the tenant from here and nowhere else. */
export interface PartnerAuthContext {
  tenantId: string;
  clientId: string;
  scopes: PartnerScope[];
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requireScope() once the bearer token is verified. */
    auth?: PartnerAuthContext;
  }
}
