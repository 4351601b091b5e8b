import type { Clock } from './clock.js';

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
  clock: Clock;
  /** Tokens at start; full by default. */
  initial?: number;
}

/**
 * A bucket that refills continuously up to its capacity (a "leaky bucket" in some vendors' words;
 * the arithmetic is the same). Servers refuse when it is empty; clients wait `msUntil`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly options: TokenBucketOptions) {
    this.tokens = options.initial ?? options.capacity;
    this.last = options.clock.now();
  }

  get capacity(): number {
    return this.options.capacity;
  }

  get refillPerSecond(): number {
    return this.options.refillPerSecond;
  }

  available(): number {
    const now = this.options.clock.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.options.capacity, this.tokens + elapsed * this.options.refillPerSecond);
    this.last = now;
    return this.tokens;
  }

  tryTake(amount: number): boolean {
    if (this.available() < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Returns tokens (a cost-based API refunds the difference between requested and actual cost). */
  give(amount: number): void {
    this.tokens = Math.min(this.options.capacity, this.available() + amount);
  }

  /** Sets the level from what the server reports (it knows better than our estimate). */
  set(level: number): void {
    this.available();
    this.tokens = Math.max(0, Math.min(this.options.capacity, level));
  }

  /** Milliseconds until `amount` tokens are available. */
  msUntil(amount: number): number {
    const missing = amount - this.available();
    if (missing <= 0) return 0;
    return Math.ceil((missing / this.options.refillPerSecond) * 1000);
  }

  drain(): void {
    this.available();
    this.tokens = 0;
  }
}
