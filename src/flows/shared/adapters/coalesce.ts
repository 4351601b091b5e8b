/** One caller's item, waiting for its batch. */
interface Waiting<I> {
  item: I;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface CoalescerOptions<I> {
  /** How long an item waits for others to share its request (ms). */
  windowMs: number;
  /** Items per request at most. */
  max: number;
  /** What may appear once per request (an order id, a record id): a second item with a key already in the batch goes in the next. */
  keys(item: I): readonly string[];
  /** Sends a batch of two or more; answers, per item in order, its error or undefined. Throwing fails the whole batch. */
  sendMany(items: readonly I[]): Promise<ReadonlyArray<unknown>>;
  /** Sends a batch of one. */
  sendOne(item: I): Promise<void>;
}

/**
 * Items asked for within a short window go out together, in requests of at most `max` with each
 * key once per request, and each caller learns its own item's outcome: one refused item rejects
 * only its caller; a failed request rejects every caller in it.
 */
export class Coalescer<I> {
  private waiting: Array<Waiting<I>> = [];
  private scheduled = false;

  constructor(private readonly options: CoalescerOptions<I>) {}

  send(item: I): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  private flush(): void {
    this.scheduled = false;
    let rest = this.waiting;
    this.waiting = [];
    while (rest.length > 0) {
      const batch: Array<Waiting<I>> = [];
      const later: Array<Waiting<I>> = [];
      const taken = new Set<string>();
      for (const w of rest) {
        const keys = this.options.keys(w.item);
        if (batch.length < this.options.max && !keys.some((k) => taken.has(k))) {
          for (const k of keys) taken.add(k);
          batch.push(w);
        } else later.push(w);
      }
      rest = later;
      void this.request(batch);
    }
  }

  private async request(batch: ReadonlyArray<Waiting<I>>): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only) {
      await this.options.sendOne(only.item).then(only.resolve, only.reject);
      return;
    }
    let errors: ReadonlyArray<unknown>;
    try {
      errors = await this.options.sendMany(batch.map((w) => w.item));
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const err = errors[i];
      if (err === undefined) w.resolve();
      else w.reject(err);
    });
  }
}
