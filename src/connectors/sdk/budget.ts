import { type Clock, sleep, systemClock, TokenBucket } from '../../kernel/index.js';
import { ConnectorErrors } from './errors.js';

/**
 * A rate budget for one target system: every call acquires its cost first. Budgets are shared by
 * everything in the process that calls the same target (see BudgetRegistry), so two flows never
 * add up to more than the vendor allows.
 */
export interface RateBudget {
  readonly target: string;
  /** Waits until `cost` units may be spent, then spends them. */
  acquire(cost?: number, signal?: AbortSignal): Promise<void>;
  /** What the server said about the budget after a call (cost-based APIs report their bucket). */
  observe?(feedback: BudgetFeedback): void;
  /** Called when a call has ended (concurrency budgets free their slot). */
  release?(): void;
}

export interface BudgetFeedback {
  /** Units the call really cost, when the server says (GraphQL actualQueryCost). */
  actualCost?: number;
  /** Units the call was charged up front (our estimate or the server's requestedQueryCost). */
  requestedCost?: number;
  /** The server's view of what is left now. */
  currentlyAvailable?: number;
  /** The server asked us to wait this long (Retry-After, 429). */
  retryAfterMs?: number;
}

export type BudgetSpec =
  /** Requests per second with a burst: most REST APIs. */
  | { kind: 'token-bucket'; perSecond: number; burst: number }
  /** A cost bucket that the server reports on each response: Shopify Admin GraphQL. */
  | { kind: 'cost'; capacity: number; restorePerSecond: number }
  /** At most N calls in flight at once: NetSuite's account concurrency limit. */
  | { kind: 'concurrency'; max: number }
  | { kind: 'unlimited' };

/** Token bucket (or cost bucket): waits for tokens; server feedback corrects the level. */
export class BucketBudget implements RateBudget {
  private readonly bucket: TokenBucket;
  private pausedUntil = 0;
  // Waiters are served in arrival order so a large request is not starved by small ones.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly target: string,
    capacity: number,
    perSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.bucket = new TokenBucket({ capacity, refillPerSecond: perSecond, clock });
  }

  acquire(cost = 1, signal?: AbortSignal): Promise<void> {
    if (cost > this.bucket.capacity) {
      return Promise.reject(
        ConnectorErrors.budgetExceeded(`a call costing ${cost} can never fit ${this.target}'s budget of ${this.bucket.capacity}`, {
          cost,
        }),
      );
    }
    const turn = this.queue.then(async () => {
      for (;;) {
        signal?.throwIfAborted();
        const pause = this.pausedUntil - this.clock.now();
        if (pause > 0) {
          await sleep(pause, signal);
          continue;
        }
        if (this.bucket.tryTake(cost)) return;
        await sleep(Math.max(1, this.bucket.msUntil(cost)), signal);
      }
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  observe(feedback: BudgetFeedback): void {
    // A reported level is already stale by the calls still in flight; trusting a higher one would
    // spend the same capacity twice, so only a lower report corrects our own count.
    if (feedback.currentlyAvailable !== undefined) this.bucket.set(Math.min(this.bucket.available(), feedback.currentlyAvailable));
    else if (feedback.actualCost !== undefined && feedback.requestedCost !== undefined && feedback.actualCost < feedback.requestedCost) {
      this.bucket.give(feedback.requestedCost - feedback.actualCost);
    }
    if (feedback.retryAfterMs !== undefined) {
      this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + feedback.retryAfterMs);
    }
  }

  /** Tokens left now (for metrics and tests). */
  available(): number {
    return this.bucket.available();
  }
}

/** At most `max` calls in flight; `release` is called by the transport when a call ends. */
export class ConcurrencyBudget implements RateBudget {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    readonly target: string,
    private readonly max: number,
  ) {}

  async acquire(_cost = 1, signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.max) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight += 1;
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.waiting.shift()?.();
  }
}

export class UnlimitedBudget implements RateBudget {
  constructor(readonly target: string) {}
  async acquire(): Promise<void> {}
}

/**
 * One budget per target system per process. Targets are named by the connector instance
 * (e.g. `shopify:store-eu`), so two stores of one vendor have two budgets, and every flow calling
 * the same store shares one.
 */
export class BudgetRegistry {
  private readonly budgets = new Map<string, RateBudget>();
  constructor(private readonly clock: Clock = systemClock) {}

  get(target: string, spec: BudgetSpec): RateBudget {
    let budget = this.budgets.get(target);
    if (!budget) {
      budget = createBudget(target, spec, this.clock);
      this.budgets.set(target, budget);
    }
    return budget;
  }
}

export function createBudget(target: string, spec: BudgetSpec, clock: Clock = systemClock): RateBudget {
  switch (spec.kind) {
    case 'token-bucket':
      return new BucketBudget(target, spec.burst, spec.perSecond, clock);
    case 'cost':
      return new BucketBudget(target, spec.capacity, spec.restorePerSecond, clock);
    case 'concurrency':
      return new ConcurrencyBudget(target, spec.max);
    case 'unlimited':
      return new UnlimitedBudget(target);
  }
}
