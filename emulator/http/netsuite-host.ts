/**
 * The local NetSuite account's HTTP host: RESTlets at /app/site/hosting/restlet.nl, the OAuth 2.0 token endpoint
 * and a read subset of the REST record service, with NetSuite's authentication, status codes, error bodies and
 * account concurrency limit (reference netsuite-platform.md 1.4, 2.1, 2.2), plus latency and fault injection for
 * tests and benchmarks. Scripts run behind the RestletRunner seam; records are read through the RecordEngine.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { hostForAccount, realmForAccount, type TbaCredentials } from '../../core/netsuite/oauth1';
import type { FieldValue, RecordData, RecordEngine } from '../records/types';
import { ConcurrencyGate } from './concurrency';
import { MESSAGES, sendRestletError, sendRestWsError } from './errors';
import { OAuth2Server, TOKEN_PATH, type M2mClient, type OAuthScope } from './oauth2';
import type { RestletMethod, RestletRunner } from './restlet-runner';
import { TbaVerifier, type AuthFailure } from './tba-verifier';

export const RESTLET_PATH = '/app/site/hosting/restlet.nl';
export const RECORD_PATH = '/services/rest/record/v1';

export interface FaultRates {
  /** Share of calls answered 400 SSS_REQUEST_LIMIT_EXCEEDED although the account is under its limit. */
  limitErrorRate?: number;
  /** Share of calls answered 500/503 UNEXPECTED_ERROR before the script runs. */
  serverErrorRate?: number;
  /** Share of calls whose script runs (writes commit) but whose response is lost: the socket is destroyed. */
  lostResponseRate?: number;
}

export interface NetSuiteHostOptions {
  /** The account id; the TBA realm is its upper-case form (123456_SB1 for a sandbox). */
  accountId: string;
  runner: RestletRunner;
  records?: Pick<RecordEngine, 'load' | 'findByExternalId' | 'isKnownType'>;
  credentials: { tba?: readonly TbaCredentials[]; m2m?: readonly M2mClient[] };
  /** Requests in flight per account (reference 1.4: 5 on standard tiers). */
  concurrencyLimit?: number;
  /** Added to every RESTlet/REST record call, inside its concurrency slot. */
  latencyMs?: number;
  faults?: FaultRates;
  random?: () => number;
  now?: () => Date;
}

export interface HostCounters {
  /** RESTlet and REST record requests received. */
  requests: number;
  authFailures: number;
  /** Calls refused because the account was at its concurrency limit. */
  limitRejections: number;
  /** Injected faults of every kind (limit errors, 5xx, lost responses). */
  faultsInjected: number;
  injectedLimitErrors: number;
  injectedServerErrors: number;
  lostResponses: number;
  /** Script executions the runner completed (including those whose response was lost). */
  scriptRuns: number;
  unitsUsed: number;
  inFlight: number;
  maxInFlight: number;
}

export interface LoginAuditEntry {
  at: string;
  scheme: 'TBA' | 'OAuth2' | 'none';
  ok: boolean;
  /** Login Audit Trail detail (NSH/subsect_156935170194): nonce_used, InvalidSignature, InvalidTimestamp … */
  detail: string;
}

export interface RunningNetSuiteHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface NetSuiteHost {
  readonly app: Express;
  readonly accountId: string;
  /** The realm TBA callers must send. */
  readonly realm: string;
  listen(port?: number, host?: string): Promise<RunningNetSuiteHost>;
  counters(): HostCounters;
  resetCounters(): void;
  /** Changes latency, faults or the concurrency limit of a running host (benchmarks). */
  configure(changes: Pick<NetSuiteHostOptions, 'latencyMs' | 'faults' | 'concurrencyLimit'>): void;
  /** The latency, faults and concurrency limit in effect now (as configured at start or by configure()). */
  settings(): { latencyMs: number; faults: FaultRates; concurrencyLimit: number };
  /** The most recent logins, newest last (at most 200). */
  loginAudit(): readonly LoginAuditEntry[];
}

type Caller = { scheme: 'TBA'; consumerKey: string; tokenId: string } | { scheme: 'OAuth2'; clientId: string };
type AuthOutcome = { ok: true; caller: Caller } | (AuthFailure & { scheme: LoginAuditEntry['scheme'] });

const RESTLET_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];
/** Content types a RESTlet accepts (reference 3.3; case-sensitive). */
const RESTLET_MEDIA_TYPES = ['application/json', 'text/plain', 'application/xml'];

function zeroCounters(): Omit<HostCounters, 'inFlight' | 'maxInFlight'> {
  return {
    requests: 0,
    authFailures: 0,
    limitRejections: 0,
    faultsInjected: 0,
    injectedLimitErrors: 0,
    injectedServerErrors: 0,
    lostResponses: 0,
    scriptRuns: 0,
    unitsUsed: 0,
  };
}

function checkRate(name: string, rate: number | undefined): void {
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new Error(`faults.${name} must be between 0 and 1, got ${rate}.`);
}

function realmOf(accountId: string): string {
  try {
    return realmForAccount(accountId);
  } catch {
    return accountId; // not a numeric NetSuite id (a custom local name): used as given
  }
}

function receivedUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function jsonField(value: FieldValue): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** The REST record service's view of a record: its body fields (sublists are separate sub-resources there). */
function recordJson(record: RecordData): Record<string, unknown> {
  const out: Record<string, unknown> = { id: record.id };
  for (const [name, value] of Object.entries(record.fields)) out[name === 'externalid' ? 'externalId' : name] = jsonField(value);
  return out;
}

export function createNetSuiteHost(options: NetSuiteHostOptions): NetSuiteHost {
  const realm = realmOf(options.accountId);
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const tba = new TbaVerifier({ realm, credentials: options.credentials.tba ?? [], now });
  const oauth2 = new OAuth2Server(options.credentials.m2m ?? [], now);
  const gate = new ConcurrencyGate(options.concurrencyLimit ?? 5);
  let latencyMs = options.latencyMs ?? 0;
  let faults: FaultRates = {};
  let counts = zeroCounters();
  const audit: LoginAuditEntry[] = [];

  function configure(changes: Pick<NetSuiteHostOptions, 'latencyMs' | 'faults' | 'concurrencyLimit'>): void {
    if (changes.faults) {
      for (const [k, v] of Object.entries(changes.faults)) checkRate(k, v);
      faults = { ...changes.faults };
    }
    if (changes.latencyMs !== undefined) {
      if (!(changes.latencyMs >= 0)) throw new Error(`latencyMs must be >= 0, got ${changes.latencyMs}.`);
      latencyMs = changes.latencyMs;
    }
    if (changes.concurrencyLimit !== undefined) {
      if (!Number.isInteger(changes.concurrencyLimit) || changes.concurrencyLimit < 1) {
        throw new Error(`concurrencyLimit must be a positive integer, got ${changes.concurrencyLimit}.`);
      }
      gate.limit = changes.concurrencyLimit;
    }
  }
  configure({ faults: options.faults ?? {} });

  const draw = (rate: number | undefined): boolean => rate !== undefined && rate > 0 && random() < rate;

  function record(entry: Omit<LoginAuditEntry, 'at'>): void {
    audit.push({ at: now().toISOString(), ...entry });
    if (audit.length > 200) audit.shift();
  }

  function authenticate(req: Request, scope: OAuthScope): AuthOutcome {
    const header = req.get('authorization');
    let outcome: AuthOutcome;
    if (!header) {
      outcome = { ok: false, code: 'INVALID_LOGIN_ATTEMPT', detail: 'MissingAuthorization', scheme: 'none' };
    } else if (/^OAuth\s/i.test(header)) {
      const r = tba.verify({ method: req.method, url: receivedUrl(req), authorization: header });
      outcome = r.ok ? { ok: true, caller: { scheme: 'TBA', consumerKey: r.consumerKey, tokenId: r.tokenId } } : { ...r, scheme: 'TBA' };
    } else {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (bearer) {
        const r = oauth2.verifyBearer(bearer[1]!, scope);
        outcome = r.ok ? { ok: true, caller: { scheme: 'OAuth2', clientId: r.clientId } } : { ...r, scheme: 'OAuth2' };
      } else {
        outcome = { ok: false, code: 'INVALID_LOGIN_ATTEMPT', detail: 'UnsupportedScheme', scheme: 'none' };
      }
    }
    if (outcome.ok) record({ scheme: outcome.caller.scheme, ok: true, detail: 'Success' });
    else {
      counts.authFailures += 1;
      record({ scheme: outcome.scheme, ok: false, detail: outcome.detail });
    }
    return outcome;
  }

  /** What an answer to a metered call looks like, whichever service it belongs to. */
  interface Answers {
    limitExceeded(): void;
    serverError(status: 500 | 503): void;
  }

  /**
   * Runs `work` inside an account concurrency slot with latency and faults applied. `work` returns a function that
   * sends the response, so a lost-response fault can drop it after the work (and its writes) completed.
   */
  async function metered(req: Request, answers: Answers, work: () => Promise<() => void>): Promise<void> {
    const release = gate.tryAcquire();
    if (!release) {
      counts.limitRejections += 1;
      answers.limitExceeded();
      return;
    }
    try {
      if (draw(faults.limitErrorRate)) {
        counts.faultsInjected += 1;
        counts.injectedLimitErrors += 1;
        answers.limitExceeded();
        return;
      }
      if (latencyMs > 0) await sleep(latencyMs);
      if (draw(faults.serverErrorRate)) {
        counts.faultsInjected += 1;
        counts.injectedServerErrors += 1;
        answers.serverError(random() < 0.5 ? 503 : 500);
        return;
      }
      const send = await work();
      if (draw(faults.lostResponseRate)) {
        counts.faultsInjected += 1;
        counts.lostResponses += 1;
        req.socket.destroy();
        return;
      }
      send();
    } finally {
      release();
    }
  }

  const app = express();
  app.disable('x-powered-by');

  // ------------------------------------------------------------------------------------------------ RESTlets
  app.all(RESTLET_PATH, express.raw({ type: () => true, limit: '10mb' }), async (req: Request, res: Response) => {
    counts.requests += 1;
    const requestType = req.get('content-type');
    const fail = (status: number, code: string, message: string): void => sendRestletError(res, status, code, message, requestType);

    const auth = authenticate(req, 'restlets');
    if (!auth.ok) {
      if (auth.scheme === 'OAuth2') res.set('WWW-Authenticate', `Bearer realm="${realm}", error="invalid_token"`);
      fail(401, auth.code, MESSAGES[auth.code]);
      return;
    }
    const method = req.method.toUpperCase();
    // The exact body code for these two is UNCONFIRMED (reference 1.4 gives only the statuses).
    if (!RESTLET_METHODS.includes(method)) return fail(405, 'METHOD_NOT_ALLOWED', `RESTlets do not accept ${method}.`);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (method === 'GET' && body.length > 0) return fail(400, 'INVALID_REQUEST', 'A GET request cannot carry a body.');
    const mediaType = requestType?.split(';')[0]!.trim() ?? null;
    if ((method === 'POST' || method === 'PUT') && (mediaType === null || !RESTLET_MEDIA_TYPES.includes(mediaType))) {
      return fail(415, 'UNSUPPORTED_MEDIA_TYPE', `Send Content-Type ${RESTLET_MEDIA_TYPES.join(', ')} (case-sensitive).`);
    }
    const params = new URL(req.originalUrl, 'http://local').searchParams;
    const query: Record<string, string> = {};
    for (const [k, v] of params) if (!(k in query)) query[k] = v;
    const script = query.script;
    const deploy = query.deploy;
    if (!script || !deploy || !options.runner.resolve(script, deploy)) {
      return fail(400, 'SSS_INVALID_SCRIPTLET_ID', MESSAGES.SSS_INVALID_SCRIPTLET_ID);
    }
    await metered(
      req,
      {
        limitExceeded: () => fail(400, 'SSS_REQUEST_LIMIT_EXCEEDED', MESSAGES.SSS_REQUEST_LIMIT_EXCEEDED),
        serverError: (status) => fail(status, 'UNEXPECTED_ERROR', MESSAGES.UNEXPECTED_ERROR),
      },
      async () => {
        const outcome = await options.runner.invoke({
          script,
          deploy,
          method: method as RestletMethod,
          contentType: requestType ?? null,
          body: body.toString('utf8'),
          query,
        });
        counts.scriptRuns += 1;
        counts.unitsUsed += outcome.unitsUsed;
        return () => {
          res.status(outcome.status).set('Content-Type', outcome.contentType).send(outcome.body);
        };
      },
    );
  });

  // ---------------------------------------------------------------------------------- OAuth 2.0 token endpoint
  app.post(TOKEN_PATH, express.urlencoded({ extended: false, limit: '64kb' }), async (req: Request, res: Response) => {
    const self = `${req.protocol}://${req.get('host') ?? ''}${TOKEN_PATH}`;
    const audiences = [self];
    try {
      for (const service of ['suitetalk', 'restlets'] as const) audiences.push(`https://${hostForAccount(realm, service)}${TOKEN_PATH}`);
    } catch {
      // a local account name that is not a NetSuite id has no public host form
    }
    const isForm = req.is('application/x-www-form-urlencoded');
    const result = await oauth2.exchange(isForm ? (req.body as Record<string, unknown>) : undefined, audiences);
    record({ scheme: 'OAuth2', ok: result.ok, detail: result.ok ? 'TokenIssued' : result.body.error });
    res.set('Cache-Control', 'no-store').status(result.ok ? 200 : 400).json(result.body);
  });
  app.all(TOKEN_PATH, (_req: Request, res: Response) => {
    res.status(405).json({ error: 'invalid_request', error_description: 'Use POST.' });
  });

  // ------------------------------------------------------------------------------ REST record service (read)
  app.get(`${RECORD_PATH}/:type/:key`, async (req: Request, res: Response) => {
    counts.requests += 1;
    const auth = authenticate(req, 'rest_webservices');
    if (!auth.ok) {
      if (auth.scheme === 'OAuth2') res.set('WWW-Authenticate', `Bearer realm="${realm}", error="invalid_token"`);
      // The REST web services body for a bad login (NSH/section_156570709583).
      return sendRestWsError(res, 401, 'INVALID_LOGIN', 'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.');
    }
    const records = options.records;
    // REST web services paths name types in camelCase (salesOrder); the record engine uses record.Type ids.
    const type = String(req.params.type).toLowerCase();
    const key = String(req.params.key);
    if (!records || !records.isKnownType(type)) {
      return sendRestWsError(res, 404, 'NONEXISTENT_ID', `Record type '${req.params.type}' does not exist.`);
    }
    await metered(
      req,
      {
        // Over-limit REST web services answer: UNCONFIRMED whether 429 is used (reference 1.4); we answer as RESTlets.
        limitExceeded: () => sendRestWsError(res, 400, 'SSS_REQUEST_LIMIT_EXCEEDED', MESSAGES.SSS_REQUEST_LIMIT_EXCEEDED),
        serverError: (status) => sendRestWsError(res, status, 'UNEXPECTED_ERROR', MESSAGES.UNEXPECTED_ERROR),
      },
      async () => {
        const id = key.startsWith('eid:') ? records.findByExternalId(type, key.slice(4)) : key;
        let found: RecordData | null = null;
        if (id !== null) {
          try {
            found = records.load(type, id);
          } catch (err) {
            if ((err as { code?: unknown }).code !== 'RCRD_DSNT_EXIST') throw err;
          }
        }
        // The detail wording and code are UNCONFIRMED; the 404 status is documented REST behaviour.
        if (!found) {
          return () => sendRestWsError(res, 404, 'NONEXISTENT_ID', `The record instance does not exist. Provide a valid record instance ID.`);
        }
        const json = recordJson(found);
        return () => {
          res.status(200).type('application/vnd.oracle.resource+json; type=singular-resource').send(JSON.stringify(json));
        };
      },
    );
  });
  app.all(`${RECORD_PATH}/:type/:key`, (_req: Request, res: Response) => {
    sendRestWsError(res, 405, 'METHOD_NOT_ALLOWED', 'The local account serves the REST record service read-only (GET).');
  });

  app.use((req: Request, res: Response) => {
    sendRestletError(res, 404, 'NOT_FOUND', `Nothing is served at ${req.path}.`, req.get('content-type'));
  });
  // Body parser failures (too large, aborted) and runner crashes. Nothing internal leaks into the body.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendRestletError(res, status, 'INVALID_REQUEST', (err as Error).message, req.get('content-type'));
    }
    sendRestletError(res, 500, 'UNEXPECTED_ERROR', MESSAGES.UNEXPECTED_ERROR, req.get('content-type'));
  });

  return {
    app,
    accountId: options.accountId,
    realm,
    configure,
    settings: () => ({ latencyMs, faults: { ...faults }, concurrencyLimit: gate.limit }),
    loginAudit: () => [...audit],
    counters: () => ({ ...counts, inFlight: gate.inFlight, maxInFlight: gate.maxInFlight }),
    resetCounters() {
      counts = zeroCounters();
      gate.resetPeak();
    },
    async listen(port = 0, host = '127.0.0.1') {
      const server = http.createServer(app);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const actual = (server.address() as AddressInfo).port;
      const hostPart = host.includes(':') ? `[${host}]` : host;
      return {
        url: `http://${hostPart}:${actual}`,
        port: actual,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    },
  };
}
