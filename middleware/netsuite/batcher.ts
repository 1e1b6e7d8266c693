/**
 * Collects operations submitted one by one (by sync jobs) into RESTlet batch calls: a batch leaves when it holds
 * maxOps operations or its request would pass maxBytes, or maxWaitMs after its first operation arrived. While
 * maxInFlight batches are out, operations keep accumulating, so under load batches grow toward maxOps and each
 * of the account's few concurrent calls carries as much work as it can.
 */
import type { Operation, OperationResult } from '../../core/contracts/restlet';
import { SAFE_REQUEST_BYTES } from '../../core/netsuite/restlet-api/limits';

/** An operation as a caller submits it: the queue assigns the batch-unique opId. */
export type QueuedOperation = Operation extends infer O ? (O extends Operation ? Omit<O, 'opId'> : never) : never;

export interface BatchRunner {
  runBatch(operations: Operation[]): Promise<OperationResult[]>;
}

export interface OperationQueueOptions {
  client: BatchRunner;
  maxOps?: number;
  maxWaitMs?: number;
  maxBytes?: number;
  /** Batches out at once from this queue (the account budget still caps the calls across processes). */
  maxInFlight?: number;
}

interface Waiting {
  op: Operation;
  bytes: number;
  resolve(result: OperationResult): void;
  reject(error: unknown): void;
}

export class OperationQueue {
  private readonly client: BatchRunner;
  private readonly maxOps: number;
  private readonly maxWaitMs: number;
  private readonly maxBytes: number;
  private readonly maxInFlight: number;
  private queue: Waiting[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private sequence = 0;
  private idle: Array<() => void> = [];

  constructor(options: OperationQueueOptions) {
    this.client = options.client;
    this.maxOps = options.maxOps ?? 50;
    this.maxWaitMs = options.maxWaitMs ?? 5;
    this.maxBytes = options.maxBytes ?? SAFE_REQUEST_BYTES;
    this.maxInFlight = options.maxInFlight ?? 5;
  }

  /** Queues one operation; resolves with its own result once its batch has a final answer for it. */
  submit(operation: QueuedOperation): Promise<OperationResult> {
    const op = { ...operation, opId: `q${(this.sequence += 1)}` } as Operation;
    const bytes = JSON.stringify(op).length + 1;
    return new Promise<OperationResult>((resolve, reject) => {
      this.queue.push({ op, bytes, resolve, reject });
      this.queuedBytes += bytes;
      this.pump();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  drained(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const full = this.queue.length >= this.maxOps || this.queuedBytes >= this.maxBytes;
      if (!full) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.flush();
        }, this.maxWaitMs);
        return;
      }
      this.dispatch();
    }
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) this.dispatch();
  }

  private dispatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch: Waiting[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && batch.length < this.maxOps) {
      const next = this.queue[0] as Waiting;
      if (batch.length > 0 && bytes + next.bytes > this.maxBytes) break;
      batch.push(this.queue.shift() as Waiting);
      bytes += next.bytes;
    }
    this.queuedBytes -= bytes;
    this.inFlight += 1;
    this.client
      .runBatch(batch.map((w) => w.op))
      .then(
        (results) => batch.forEach((w, i) => w.resolve(results[i] as OperationResult)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.inFlight -= 1;
        // Work that piled up while every slot was busy leaves at once, in full batches.
        this.flush();
        if (this.queue.length === 0 && this.inFlight === 0) this.idle.splice(0).forEach((f) => f());
      });
  }
}
