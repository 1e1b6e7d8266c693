/**
 * The middleware's client of the bundle's RESTlet, one per NetSuite connection.
 *
 * Every call takes a slot of the account's shared concurrency budget, is signed by the connection's
 * authenticator, and is sent through the one HTTP wrapper. Calls NetSuite did not run (400
 * SSS_REQUEST_LIMIT_EXCEEDED, 429, 5xx before the script, refused connections) are sent again after full-jitter
 * backoff. A batch with writes whose answer was lost (reset, timeout, 5xx that may follow a committed write) is
 * never simply resent: its writes are first looked up by externalId, and only those not found are sent again.
 */
import { RESTLET_API_VERSION } from '../../core/bundle-version';
import type {
  HealthResponse,
  Operation,
  OperationResult,
  OutboxAckResponse,
  OutboxPullResponse,
  RestletAction,
  RestletRequest,
  RestletResponses,
  WriteResult,
} from '../../core/contracts/restlet';
import type { Authenticator } from './auth';
import { DEFAULT_BACKOFF, classifyResponse, fullJitterDelay, retryAfterMs, type BackoffPolicy } from './backoff';
import type { ConcurrencyBudget } from './budget';
import { NetSuiteAuthError, NetSuiteHttpError, NetSuiteUnavailableError, OutcomeUnknownError, RestletApiError, netsuiteErrorOf } from './errors';
import { NetworkError, type HttpClient } from './http';

export interface NetSuiteClientOptions {
  /** Full RESTlet URL including ?script=…&deploy=… (signed as sent). */
  restletUrl: string;
  auth: Authenticator;
  http: HttpClient;
  budget: ConcurrencyBudget;
  backoff?: BackoffPolicy;
  /** Rounds of a batch (not_attempted or retryable operations sent again) before giving up on an operation. */
  maxBatchRounds?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Observability hook: one call per HTTP attempt. */
  onAttempt?: (event: AttemptEvent) => void;
}

export interface AttemptEvent {
  action: RestletAction;
  status: number | null;
  outcome: 'ok' | 'retry' | 'unknown' | 'failed';
  reason?: string;
  ms: number;
}

export interface ClientStats {
  requests: number;
  retries: number;
  limitErrors: number;
  unknownOutcomes: number;
  /** Writes found by externalId after an unknown outcome (not sent again). */
  recoveredByLookup: number;
}

const WRITE_KINDS = ['create', 'transform', 'setFields'];

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The record type and externalId a create/transform writes, for the lookup after an unknown outcome. */
function writtenRecord(op: Operation): { recordType: string; externalId: string } | null {
  if (op.kind === 'create') return { recordType: op.recordType, externalId: op.externalId };
  if (op.kind === 'transform') return { recordType: op.toType, externalId: op.externalId };
  return null;
}

export class NetSuiteClient {
  private readonly options: NetSuiteClientOptions;
  private readonly policy: BackoffPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly stats: ClientStats = { requests: 0, retries: 0, limitErrors: 0, unknownOutcomes: 0, recoveredByLookup: 0 };

  constructor(options: NetSuiteClientOptions) {
    this.options = options;
    this.policy = options.backoff ?? DEFAULT_BACKOFF;
    this.sleep = options.sleep ?? defaultSleep;
  }

  health(): Promise<HealthResponse> {
    return this.call({ action: 'health' });
  }

  pullOutbox(after: string, limit?: number): Promise<OutboxPullResponse> {
    return this.call({ action: 'outbox.pull', after, ...(limit === undefined ? {} : { limit }) });
  }

  ackOutbox(ids: string[]): Promise<OutboxAckResponse> {
    return this.call({ action: 'outbox.ack', ids });
  }

  /**
   * One RESTlet request that is safe to repeat (health, reads, outbox pull and ack, a batch without writes):
   * retried on every transient failure, including lost answers.
   */
  async call<A extends RestletAction>(request: Extract<RestletRequest, { action: A }>): Promise<RestletResponses[A]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(request, false);
      } catch (e) {
        if (!(e instanceof OutcomeUnknownError) || attempt >= this.policy.maxAttempts) throw e;
        this.stats.retries += 1;
        await this.sleep(fullJitterDelay(attempt, this.policy, this.options.random));
      }
    }
  }

  private dispatcher: { submitGroup(operations: Operation[]): Promise<OperationResult[]> } | null = null;

  /**
   * Sends the operations of `run` through a dispatcher that gathers many callers' operations into shared batch
   * calls (the connection's OperationQueue); `runBatch` itself always calls NetSuite directly.
   */
  useDispatcher(dispatcher: { submitGroup(operations: Operation[]): Promise<OperationResult[]> }): void {
    this.dispatcher = dispatcher;
  }

  /**
   * One caller's operations (a sync record's step), with the guarantees of `runBatch`: through the dispatcher
   * when there is one, so they share a RESTlet call with other records' operations, else in calls of their own.
   * Results in the order of `operations`, under their opIds.
   */
  run(operations: Operation[]): Promise<OperationResult[]> {
    return this.dispatcher ? this.dispatcher.submitGroup(operations) : this.runBatch(operations);
  }

  /**
   * Runs operations through `batch` calls until each has a final result: not_attempted operations (the RESTlet
   * stopped for governance) and retryable failures (a lock conflict) are sent again; results come back in the
   * order of `operations`. opIds must be unique.
   */
  async runBatch(operations: Operation[]): Promise<OperationResult[]> {
    const final = new Map<string, OperationResult>();
    let pending = operations.slice();
    const maxRounds = this.options.maxBatchRounds ?? 20;
    for (let round = 1; pending.length > 0; round++) {
      const hasWrites = pending.some((op) => WRITE_KINDS.includes(op.kind));
      let results: OperationResult[];
      try {
        results = (await this.send({ action: 'batch', operations: pending }, hasWrites)).results;
      } catch (e) {
        if (!(e instanceof OutcomeUnknownError)) throw e;
        this.stats.unknownOutcomes += 1;
        // Look before sending again: a create/transform that committed is answered from NetSuite, not repeated.
        for (const found of await this.findWritten(pending)) final.set(found.opId, found);
        pending = pending.filter((op) => !final.has(op.opId));
        if (round >= maxRounds) break;
        await this.sleep(fullJitterDelay(round, this.policy, this.options.random));
        continue;
      }
      const retry: Operation[] = [];
      let backoff = false;
      pending.forEach((op, i) => {
        const result = results[i];
        if (!result || result.opId !== op.opId) throw new RestletApiError('INTERNAL_ERROR', `batch answered out of order at ${i}.`);
        if (result.status === 'not_attempted') retry.push(op);
        else if (result.status === 'error' && result.error.retryable && round < maxRounds) {
          retry.push(op);
          backoff = true;
        } else final.set(op.opId, result);
      });
      pending = retry;
      if (pending.length > 0 && round >= maxRounds) break;
      if (backoff) await this.sleep(fullJitterDelay(round, this.policy, this.options.random));
    }
    for (const op of pending) {
      final.set(op.opId, {
        opId: op.opId,
        status: 'error',
        kind: op.kind,
        error: { code: 'INTERNAL_ERROR', message: `No final answer after ${maxRounds} rounds.`, retryable: true },
      });
    }
    return operations.map((op) => final.get(op.opId) as OperationResult);
  }

  /** Looks up create/transform operations by externalId; answers those NetSuite already has. */
  private async findWritten(operations: Operation[]): Promise<WriteResult[]> {
    const lookups: Operation[] = [];
    const byLookup = new Map<string, Operation>();
    for (const op of operations) {
      const written = writtenRecord(op);
      if (!written) continue;
      const opId = op.opId;
      lookups.push({ opId, kind: 'lookup', recordType: written.recordType, by: { externalId: written.externalId } });
      byLookup.set(opId, op);
    }
    if (lookups.length === 0) return [];
    const found: WriteResult[] = [];
    // A lookup batch writes nothing: safe to resend until every lookup has an answer.
    for (const result of await this.runBatchOfReads(lookups)) {
      const op = byLookup.get(result.opId) as Operation;
      if (result.status === 'ok' && result.kind === 'lookup' && result.found && result.id) {
        found.push({ opId: op.opId, status: 'ok', kind: op.kind as 'create' | 'transform', recordType: result.recordType, id: result.id, created: false });
        this.stats.recoveredByLookup += 1;
      } else if (result.status === 'error') {
        throw new RestletApiError(result.error.code, `lookup before retry failed: ${result.error.message}`);
      }
    }
    return found;
  }

  private async runBatchOfReads(operations: Operation[]): Promise<OperationResult[]> {
    const final = new Map<string, OperationResult>();
    let pending = operations;
    while (pending.length > 0) {
      const { results } = await this.call({ action: 'batch', operations: pending });
      const next: Operation[] = [];
      pending.forEach((op, i) => {
        const r = results[i] as OperationResult;
        if (r.status === 'not_attempted') next.push(op);
        else final.set(op.opId, r);
      });
      if (next.length === pending.length) throw new RestletApiError('INTERNAL_ERROR', 'lookup batch made no progress.');
      pending = next;
    }
    return operations.map((op) => final.get(op.opId) as OperationResult);
  }

  /**
   * Sends one request within the budget, retrying what NetSuite did not run. Throws OutcomeUnknownError when the
   * request may have run but no usable answer came (for `writes`, also on 5xx and unexpected 400s).
   */
  private async send<A extends RestletAction>(request: Extract<RestletRequest, { action: A }>, writes: boolean): Promise<RestletResponses[A]> {
    const body = JSON.stringify({ ...request, apiVersion: RESTLET_API_VERSION });
    let authRetried = false;
    let lastReason = '';
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt++) {
      if (attempt > 1) this.stats.retries += 1;
      const lease = await this.options.budget.acquire();
      const started = Date.now();
      let response;
      try {
        this.stats.requests += 1;
        response = await this.options.http.send({
          method: 'POST',
          url: this.options.restletUrl,
          headers: {
            Authorization: await this.options.auth.authorization('POST', this.options.restletUrl),
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body,
        });
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        lastReason = e.code;
        if (e.maybeDelivered) {
          this.report(request.action, null, 'unknown', e.code, started);
          throw new OutcomeUnknownError(e.code);
        }
        this.report(request.action, null, 'retry', e.code, started);
        continue;
      } finally {
        await lease.release();
      }
      const { status: code, body: text } = response;
      if (code === 200) {
        const parsed = this.parse(text);
        this.report(request.action, code, 'ok', undefined, started);
        if (parsed.ok === false && parsed.error) throw new RestletApiError(String(parsed.error.code), String(parsed.error.message));
        return parsed as unknown as RestletResponses[A];
      }
      if (code === 401 || code === 403) {
        this.report(request.action, code, 'failed', 'auth', started);
        this.options.auth.invalidate();
        // A cached OAuth 2.0 token may have been revoked or expired early: log in once more, then give up.
        if (!authRetried && this.options.auth.scheme === 'OAuth2') {
          authRetried = true;
          attempt -= 1;
          continue;
        }
        const err = netsuiteErrorOf(text);
        throw new NetSuiteAuthError(code, `${err.code}: ${err.message}`);
      }
      const decision = classifyResponse(code, text);
      const err = netsuiteErrorOf(text);
      lastReason = `${code} ${err.code}`;
      if (decision.retry && decision.reason === 'concurrency_limit') this.stats.limitErrors += 1;
      if (decision.retry && decision.reason === 'server_error' && writes) {
        // A 5xx may come after the script committed some writes: treat as unknown, never as "not run".
        this.report(request.action, code, 'unknown', lastReason, started);
        throw new OutcomeUnknownError(lastReason);
      }
      if (!decision.retry) {
        this.report(request.action, code, 'failed', lastReason, started);
        // An unhandled script error (400) may follow committed writes too.
        if (writes && code === 400) throw new OutcomeUnknownError(lastReason);
        throw new NetSuiteHttpError(code, err.code, `NetSuite answered ${code} ${err.code}: ${err.message}`);
      }
      this.report(request.action, code, 'retry', lastReason, started);
      if (attempt < this.policy.maxAttempts) {
        const hinted = retryAfterMs(response.headers['retry-after']);
        await this.sleep(Math.max(hinted ?? 0, fullJitterDelay(attempt, this.policy, this.options.random)));
      }
    }
    throw new NetSuiteUnavailableError(this.policy.maxAttempts, lastReason);
  }

  private parse(text: string): { ok?: unknown; error?: { code?: unknown; message?: unknown } } {
    try {
      const parsed = JSON.parse(text) as unknown;
      // The RESTlet returns a JSON string; NetSuite may wrap it as a JSON string once more.
      const value = typeof parsed === 'string' ? (JSON.parse(parsed) as unknown) : parsed;
      if (typeof value === 'object' && value !== null) return value as { ok?: unknown };
    } catch {
      // fall through
    }
    throw new RestletApiError('INVALID_RESPONSE', `The RESTlet answered something that is not a JSON object: ${text.slice(0, 200)}`);
  }

  private report(action: RestletAction, status: number | null, outcome: AttemptEvent['outcome'], reason: string | undefined, started: number): void {
    this.options.onAttempt?.({ action, status, outcome, ...(reason ? { reason } : {}), ms: Date.now() - started });
  }
}
