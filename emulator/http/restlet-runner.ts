/**
 * The seam between the HTTP host (emulator/http) and the script runtime (emulator/runtime): the host
 * authenticates and meters a request, the runtime runs the RESTlet and maps its outcome to NetSuite's answer.
 */
export type RestletMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RestletInvocation {
  /** As given in the URL: a numeric internal id or the scriptid string (customscript_…). */
  script: string;
  deploy: string;
  method: RestletMethod;
  /** Content-Type header as sent (case-sensitive per reference 3.3), or null. */
  contentType: string | null;
  /** Raw body ('' when none). */
  body: string;
  /** Query parameters (values as strings). */
  query: Record<string, string>;
}

export interface RestletOutcome {
  status: number;
  contentType: string;
  body: string;
  /** Governance units used by the execution (for reports and benchmarks). */
  unitsUsed: number;
}

export interface RestletRunner {
  /** Resolves a script/deploy pair from the URL to a deployed RESTlet, or null (→ 400 SSS_INVALID_SCRIPTLET_ID). */
  resolve(script: string, deploy: string): { scriptId: string; deployId: string } | null;
  invoke(invocation: RestletInvocation): Promise<RestletOutcome>;
}
