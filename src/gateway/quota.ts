import { type Clock, systemClock } from '../kernel/index.js';
import type { Store } from '../store/index.js';

export interface Plan {
  /** Requests per window. */
  limit: number;
  windowSeconds: number;
}

export const DEFAULT_PLANS: Record<string, Plan> = {
  standard: { limit: 600, windowSeconds: 60 },
  premium: { limit: 6000, windowSeconds: 60 },
  internal: { limit: 600_000, windowSeconds: 60 },
};

export interface QuotaDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in this window (an estimate across processes; never more than the truth). */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  windowSeconds: number;
}

// A fixed-window counter per partner in the store, handed out in chunks: each process takes a chunk of
// the window's allowance with one atomic conditional UPDATE and spends it locally. Processes together
// can never grant more than the limit; a process may refuse a little early when others hold chunks.
const CLAIM = 'UPDATE gw_quota SET granted = granted + ? WHERE partner_id = ? AND window_start = ? AND granted + ? <= ? RETURNING granted';
const ENSURE =
  'INSERT INTO gw_quota (partner_id, window_start, granted) VALUES (?, ?, 0) ON CONFLICT (partner_id, window_start) DO NOTHING';

export class QuotaService {
  private readonly local = new Map<string, { window: number; allowance: number; granted: number }>();
  private readonly clock: Clock;
  private readonly plans: Record<string, Plan>;

  constructor(
    private readonly store: Store,
    options: { plans?: Record<string, Plan>; clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.plans = { ...DEFAULT_PLANS, ...options.plans };
  }

  plan(name: string): Plan {
    return this.plans[name] ?? this.plans.standard ?? { limit: 600, windowSeconds: 60 };
  }

  async take(partnerId: string, planName: string): Promise<QuotaDecision> {
    const plan = this.plan(planName);
    const now = this.clock.now();
    const windowMs = plan.windowSeconds * 1000;
    const window = Math.floor(now / windowMs) * windowMs;
    const resetSeconds = Math.max(1, Math.ceil((window + windowMs - now) / 1000));
    let state = this.local.get(partnerId);
    if (!state || state.window !== window) {
      state = { window, allowance: 0, granted: 0 };
      this.local.set(partnerId, state);
    }
    if (state.allowance <= 0) {
      const chunk = Math.max(1, Math.floor(plan.limit / 20));
      const got = await this.claim(partnerId, window, plan.limit, chunk);
      state.allowance += got.amount;
      state.granted = got.granted;
    }
    const decision = (allowed: boolean): QuotaDecision => ({
      allowed,
      limit: plan.limit,
      remaining: Math.max(0, state.allowance + (plan.limit - state.granted)),
      resetSeconds,
      windowSeconds: plan.windowSeconds,
    });
    if (state.allowance <= 0) return decision(false);
    state.allowance -= 1;
    return decision(true);
  }

  private async claim(partnerId: string, window: number, limit: number, chunk: number): Promise<{ amount: number; granted: number }> {
    return this.store.transaction(async (tx) => {
      await tx.run(ENSURE, [partnerId, window]);
      // Large chunk first; near the end of the allowance, smaller ones so none of it is stranded.
      for (const size of [chunk, Math.max(1, Math.floor(chunk / 5)), 1]) {
        const rows = await tx.all<{ granted: number }>(CLAIM, [size, partnerId, window, size, limit]);
        if (rows[0]) return { amount: size, granted: Number(rows[0].granted) };
      }
      return { amount: 0, granted: limit };
    });
  }
}
