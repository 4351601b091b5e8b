import { type Clock, sleep, systemClock, TokenBucket } from '../../kernel/index.js';
import type { Store } from '../../store/index.js';
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

// Calls handed out per (target, window) in the store; one atomic conditional UPDATE per claim, so
// processes together never exceed a window's allowance.
const ENSURE_WINDOW =
  'INSERT INTO connector_budget_windows (target, window_start, granted) VALUES (?, ?, 0) ON CONFLICT (target, window_start) DO NOTHING';
const CLAIM_WINDOW =
  'UPDATE connector_budget_windows SET granted = granted + ? WHERE target = ? AND window_start = ? AND granted + ? <= ? RETURNING granted';

/**
 * A rate budget shared by every hub process of a cluster: time is cut into short windows (250 ms by
 * default) whose allowance (rate x window) lives in the store; a process claims a part of the current
 * window's allowance, spends it locally, and waits for the next window when it is used up. In any
 * window the processes together make at most rate x window calls.
 */
export class SharedWindowBudget implements RateBudget {
  private readonly perWindow: number;
  private local = { window: -1, tokens: 0 };
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly target: string,
    private readonly store: Store,
    perSecond: number,
    private readonly windowMs = 250,
    private readonly clock: Clock = systemClock,
  ) {
    this.perWindow = Math.max(1, Math.floor((perSecond * windowMs) / 1000));
  }

  acquire(cost = 1, signal?: AbortSignal): Promise<void> {
    if (cost > this.perWindow) {
      return Promise.reject(
        ConnectorErrors.budgetExceeded(`a call costing ${cost} can never fit ${this.target}'s ${this.perWindow} per ${this.windowMs} ms`, {
          cost,
        }),
      );
    }
    const turn = this.queue.then(async () => {
      for (;;) {
        signal?.throwIfAborted();
        const now = this.clock.now();
        if (this.pausedUntil > now) {
          await sleep(this.pausedUntil - now, signal);
          continue;
        }
        const window = Math.floor(now / this.windowMs) * this.windowMs;
        if (this.local.window !== window) this.local = { window, tokens: 0 };
        if (this.local.tokens >= cost) {
          this.local.tokens -= cost;
          return;
        }
        const got = await this.claim(window, Math.max(cost, Math.ceil(this.perWindow / 4)));
        if (got > 0) {
          this.local.tokens += got;
          continue;
        }
        await sleep(Math.max(1, window + this.windowMs - this.clock.now()), signal);
      }
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  observe(feedback: BudgetFeedback): void {
    if (feedback.retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + feedback.retryAfterMs);
  }

  private async claim(window: number, chunk: number): Promise<number> {
    return this.store.transaction(async (tx) => {
      await tx.run(ENSURE_WINDOW, [this.target, window]);
      for (const size of [chunk, 1]) {
        const rows = await tx.all<{ granted: number }>(CLAIM_WINDOW, [size, this.target, window, size, this.perWindow]);
        if (rows[0]) return size;
      }
      return 0;
    });
  }
}

/**
 * One budget per target system per process. Targets are named by the connector instance
 * (e.g. `shopify:store-eu`), so two stores of one vendor have two budgets, and every flow calling
 * the same store shares one.
 */
export class BudgetRegistry {
  private readonly budgets = new Map<string, RateBudget>();
  private readonly clock: Clock;
  private readonly shared: Store | undefined;

  /**
   * With `shared`, request-rate budgets are held across every process on that store (cluster mode).
   * Cost budgets follow the vendor's own report of its bucket, which all processes see alike;
   * concurrency budgets stay per process (give each process its share of the vendor's limit).
   */
  constructor(options: Clock | { clock?: Clock; shared?: Store } = {}) {
    const o = 'now' in options ? { clock: options } : options;
    this.clock = o.clock ?? systemClock;
    this.shared = o.shared;
  }

  get(target: string, spec: BudgetSpec): RateBudget {
    let budget = this.budgets.get(target);
    if (!budget) {
      budget =
        this.shared && spec.kind === 'token-bucket'
          ? new SharedWindowBudget(target, this.shared, spec.perSecond, 250, this.clock)
          : createBudget(target, spec, this.clock);
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
