/**
 * The account's concurrency limit (reference netsuite-platform.md 1.4): requests in flight are counted across
 * RESTlets and REST web services; one past the limit is refused at once (HTTP 400 SSS_REQUEST_LIMIT_EXCEEDED),
 * never queued.
 */
export class ConcurrencyGate {
  private inFlightCount = 0;
  private peak = 0;

  constructor(public limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrencyLimit must be a positive integer, got ${limit}.`);
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** The highest number of requests in flight at once so far. */
  get maxInFlight(): number {
    return this.peak;
  }

  /** Takes a slot, or returns null when the account is at its limit. The release function is idempotent. */
  tryAcquire(): (() => void) | null {
    if (this.inFlightCount >= this.limit) return null;
    this.inFlightCount += 1;
    this.peak = Math.max(this.peak, this.inFlightCount);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlightCount -= 1;
    };
  }

  resetPeak(): void {
    this.peak = this.inFlightCount;
  }
}
