/**
 * Smart batching, shared by the intake's channel lookups and its group commit: items asked for while nothing runs
 * start a batch at the next turn of the event loop (items asked for in the same turn share it); items asked for
 * while batches run wait and go together in the next one. No timer, so light load adds no delay, and under load
 * batches grow by themselves. Every item settles with its own result, after its batch ran; a batch that throws
 * rejects every item in it.
 */
export interface BatcherOptions {
  /** Most items in one batch. */
  maxBatch: number;
  /** Batches running at once. */
  maxInFlight: number;
  /** Called with each batch's size once it succeeded. */
  onBatch?: (size: number) => void;
}

export interface Batcher<I, O> {
  add(item: I): Promise<O>;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/** `run` gets the batch's items and returns one result per item, in order. */
export function createBatcher<I, O>(run: (items: I[]) => Promise<O[]>, options: BatcherOptions): Batcher<I, O> {
  const maxBatch = Math.max(1, Math.floor(options.maxBatch));
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight));
  const waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        schedule();
      });
    }
  }

  async function runBatch(batch: Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await run(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} returned ${results.length} results`);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    options.onBatch?.(batch.length);
    for (const [i, w] of batch.entries()) w.resolve(results[i] as O);
  }

  return {
    add(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}
