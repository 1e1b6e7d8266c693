/** How a flow step's expected failure (FlowError) becomes a sync record outcome; anything else is rethrown. */
import type { ProcessOutcome } from '../sync/sync-worker';
import { FlowError } from './netsuite';

export function flowErrorOutcome(error: unknown): ProcessOutcome {
  if (error instanceof FlowError) return { kind: 'failed', code: error.code, message: error.message, retryable: error.retryable };
  throw error;
}
