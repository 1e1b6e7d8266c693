/** The local NetSuite account's HTTP host (reference netsuite-platform.md 1.4, 2.1, 2.2). */
export {
  createNetSuiteHost,
  RESTLET_PATH,
  RECORD_PATH,
  type FaultRates,
  type HostCounters,
  type LoginAuditEntry,
  type NetSuiteHost,
  type NetSuiteHostOptions,
  type RunningNetSuiteHost,
} from './netsuite-host';
export { TOKEN_PATH, ACCESS_TOKEN_SECONDS, MAX_ASSERTION_SECONDS, type M2mClient, type OAuthScope } from './oauth2';
export { TBA_WINDOW_SECONDS, MIN_NONCE_LENGTH } from './tba-verifier';
export { generateSandboxCredentials, hostCredentialsFor, type SandboxCredentials } from './sandbox-credentials';
export type { RestletInvocation, RestletMethod, RestletOutcome, RestletRunner } from './restlet-runner';
