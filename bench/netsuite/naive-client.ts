/**
 * The comparison client of the throughput benchmark: what an integration without a shared concurrency budget does
 * (the open-source peers' pattern): `parallelism` loops, each sending its next batch of creates and, when NetSuite
 * refuses it for the concurrency limit (SSS_REQUEST_LIMIT_EXCEEDED, or 429), trying the same call again after a fixed
 * pause, up to `attempts` times; then the batch's operations fail. Same HTTP, signing and batch size as ours.
 */
import type { BatchResponse, Operation } from '../../core/contracts/restlet';
import { RESTLET_API_VERSION } from '../../core/bundle-version';
import { authenticatorFor, restletUrl, type NetSuiteConnectionSettings } from '../../middleware/netsuite/connection';
import { createHttpClient } from '../../middleware/netsuite/http';

export interface NaiveResult {
  ok: number;
  failed: number;
  /** Operations whose batch was still refused for the limit after every attempt (the errors a user sees). */
  operationsFailedByLimitError: number;
  limitRefusals: number;
  calls: number;
  startedAt: number;
  endedAt: number;
}

const isLimit = (status: number, body: string) => status === 429 || body.includes('SSS_REQUEST_LIMIT_EXCEEDED');

export async function runNaive(settings: NetSuiteConnectionSettings, ops: Operation[], options: { parallelism: number; batchSize: number; attempts: number; pauseMs: number }): Promise<NaiveResult> {
  const http = createHttpClient({ timeoutMs: settings.timeoutMs ?? 30_000 });
  const auth = authenticatorFor(settings, http);
  const url = restletUrl(settings);
  const batches: Operation[][] = [];
  for (let i = 0; i < ops.length; i += options.batchSize) batches.push(ops.slice(i, i + options.batchSize));
  const result: NaiveResult = { ok: 0, failed: 0, operationsFailedByLimitError: 0, limitRefusals: 0, calls: 0, startedAt: Date.now(), endedAt: 0 };
  let next = 0;
  async function loop(): Promise<void> {
    for (;;) {
      const batch = batches[next++];
      if (!batch) return;
      let answered = false;
      for (let attempt = 1; attempt <= options.attempts && !answered; attempt++) {
        result.calls += 1;
        const body = JSON.stringify({ action: 'batch', apiVersion: RESTLET_API_VERSION, operations: batch });
        let response;
        try {
          response = await http.send({ method: 'POST', url, headers: { Authorization: await auth.authorization('POST', url), 'Content-Type': 'application/json', Accept: 'application/json' }, body });
        } catch {
          result.failed += batch.length;
          answered = true;
          break;
        }
        if (response.status === 200) {
          const parsed = JSON.parse(response.body) as BatchResponse;
          for (const r of parsed.results) {
            if (r.status === 'ok') result.ok += 1;
            else result.failed += 1;
          }
          answered = true;
        } else if (isLimit(response.status, response.body)) {
          result.limitRefusals += 1;
          await new Promise((r) => setTimeout(r, options.pauseMs));
        } else {
          result.failed += batch.length;
          answered = true;
        }
      }
      if (!answered) {
        result.failed += batch.length;
        result.operationsFailedByLimitError += batch.length;
      }
    }
  }
  await Promise.all(Array.from({ length: options.parallelism }, loop));
  result.endedAt = Date.now();
  return result;
}
