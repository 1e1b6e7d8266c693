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
  /** The group's operations with the queue's opIds, in the caller's order. */
  ops: Operation[];
  bytes: number;
  resolve(results: OperationResult[]): void;
  reject(error: unknown): void;
}

export class OperationQueue {
  private readonly client: BatchRunner;
  private readonly maxOps: number;
  private readonly maxWaitMs: number;
  private readonly maxBytes: number;
  private readonly maxInFlight: number;
  private queue: Waiting[] = [];
  private queuedOps = 0;
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private sequence = 0;
  private idle: Array<() => void> = [];
  /** Calls made and operations they carried (how well batching works: operations per call). */
  readonly stats = { calls: 0, operations: 0, groups: 0 };

  constructor(options: OperationQueueOptions) {
    this.client = options.client;
    this.maxOps = options.maxOps ?? 50;
    this.maxWaitMs = options.maxWaitMs ?? 5;
    this.maxBytes = options.maxBytes ?? SAFE_REQUEST_BYTES;
    this.maxInFlight = options.maxInFlight ?? 5;
  }

  /** Queues one operation; resolves with its own result (under the opId the queue gave it) once its batch has a final answer for it. */
  async submit(operation: QueuedOperation): Promise<OperationResult> {
    const [result] = await this.enqueue([{ ...operation, opId: this.nextId() } as Operation]);
    return result as OperationResult;
  }

  /**
   * Queues one caller's operations (one sync record's step) as a group: the group travels in one RESTlet call, in
   * its order, beside other callers' groups; resolves with the group's results in its order under the caller's
   * opIds. A group larger than maxOps travels alone.
   */
  async submitGroup(operations: Operation[]): Promise<OperationResult[]> {
    if (operations.length === 0) return [];
    const results = await this.enqueue(operations.map((op) => ({ ...op, opId: this.nextId() }) as Operation));
    return results.map((r, i) => ({ ...r, opId: (operations[i] as Operation).opId }));
  }

  private nextId(): string {
    return `q${(this.sequence += 1)}`;
  }

  private enqueue(ops: Operation[]): Promise<OperationResult[]> {
    const bytes = ops.reduce((n, op) => n + JSON.stringify(op).length + 1, 0);
    return new Promise<OperationResult[]>((resolve, reject) => {
      this.queue.push({ ops, bytes, resolve, reject });
      this.queuedOps += ops.length;
      this.queuedBytes += bytes;
      this.stats.groups += 1;
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
      const full = this.queuedOps >= this.maxOps || this.queuedBytes >= this.maxBytes;
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
    let ops = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Waiting;
      if (batch.length > 0 && (ops + next.ops.length > this.maxOps || bytes + next.bytes > this.maxBytes)) break;
      batch.push(this.queue.shift() as Waiting);
      ops += next.ops.length;
      bytes += next.bytes;
    }
    this.queuedOps -= ops;
    this.queuedBytes -= bytes;
    this.inFlight += 1;
    this.stats.calls += 1;
    this.stats.operations += ops;
    this.client
      .runBatch(batch.flatMap((w) => w.ops))
      .then(
        (results) => {
          let at = 0;
          for (const w of batch) {
            w.resolve(results.slice(at, at + w.ops.length));
            at += w.ops.length;
          }
        },
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
