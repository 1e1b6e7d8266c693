/**
 * Contracts of the bundle's RESTlet (customscript_lb_rl_api), shared by the SuiteScripts and the middleware.
 * Types only: the SuiteScripts import this file with `import type`, so nothing of it ships to NetSuite.
 */

/** NetSuite account features the bundle depends on, by feature id (runtime.isFeatureInEffect). */
export type BundleFeature = 'SERVERSIDESCRIPTING' | 'CUSTOMRECORDS';

export interface HealthRequest {
  action: 'health';
}

export interface HealthResponse {
  ok: boolean;
  action: 'health';
  apiVersion: number;
  bundleVersion: string;
  accountId: string;
  /** Each required feature and whether it is enabled in the account. */
  features: Record<BundleFeature, boolean>;
  /** Features that are required but off; empty when ok. */
  missingFeatures: BundleFeature[];
}

/** Every error the RESTlet answers itself (it always answers HTTP 200 with this shape on a handled error). */
export interface RestletError {
  ok: false;
  error: { code: string; message: string };
}

export type RestletRequest = HealthRequest;
export type RestletResponse = HealthResponse | RestletError;
