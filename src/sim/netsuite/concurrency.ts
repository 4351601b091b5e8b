/**
 * Account concurrency governance: at most `limit` requests in flight per account; the next one is
 * refused at once, not queued (NetSuite help, "Web Services and RESTlet Concurrency Governance").
 */
export class ConcurrencyGate {
  inFlight = 0;
  peak = 0;
  rejected = 0;

  constructor(public limit: number) {}

  async run<T>(work: () => Promise<T>, refuse: () => T): Promise<T> {
    if (this.inFlight >= this.limit) {
      this.rejected += 1;
      return refuse();
    }
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
    }
  }
}
