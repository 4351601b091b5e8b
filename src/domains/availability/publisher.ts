import { type BudgetSpec, createBudget, type RateBudget } from '../../connectors/sdk/index.js';
import { backoffMs, type Clock, CrossdockError, errorMessage, type Logger, sleep, systemClock } from '../../kernel/index.js';
import type { Availability } from './availability.js';
import { PublishPolicy } from './policy.js';

export interface AvailabilityUpdate {
  item: string;
  location?: string;
  available: number;
}

/** Where a channel's availability goes (the Shopify connector's inventory set, a marketplace feed…). */
export interface ChannelSink {
  push(updates: AvailabilityUpdate[]): Promise<void>;
}

export interface ResyncProgress {
  channel: string;
  done: number;
  total: number;
  startedAt: number;
  now: number;
}

export interface PublisherOptions {
  availability: Availability;
  sinks: Record<string, ChannelSink>;
  /** A budget per channel; by default one made from the channel's `publish.budget` policy. */
  budgets?: Record<string, RateBudget>;
  clock?: Clock;
  logger?: Logger;
  /** Called when a channel refuses a batch for good (a permanent error); the batch is not retried. */
  onRefused?: (channel: string, batch: readonly AvailabilityUpdate[], err: CrossdockError) => void;
}

interface ChannelState {
  channel: string;
  sink: ChannelSink;
  budget: RateBudget;
  policy: PublishPolicy;
  /** Last figure the channel accepted, by `item` or `item\0location`. */
  last: Map<string, number>;
  /** Figures being pushed now: a change is weighed against these, not the older accepted ones. */
  inFlight: Map<string, number>;
  pending: Map<string, AvailabilityUpdate>;
  timer: NodeJS.Timeout | undefined;
  flushing: Promise<void> | undefined;
}

interface Refusal {
  batch: AvailabilityUpdate[];
  err: CrossdockError;
}

function keyOf(u: AvailabilityUpdate): string {
  return u.location === undefined ? u.item : `${u.item}\u0000${u.location}`;
}

/**
 * Pushes availability to channels when it matters: a figure crossing zero or the low-stock level,
 * or moving by at least `minChange`. Updates are batched (every `batchMs` or `batchSize` items) and
 * every push spends one unit of the channel's rate budget. A failed push keeps its updates pending
 * and is retried with backoff; the channel's last accepted figures move only on success.
 */
export class AvailabilityPublisher {
  private readonly channels = new Map<string, ChannelState>();
  private readonly clock: Clock;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  /** Cuts a retry's backoff short when the publisher stops. */
  private abort = new AbortController();

  constructor(private readonly options: PublisherOptions) {
    this.clock = options.clock ?? systemClock;
    for (const [channel, sink] of Object.entries(options.sinks)) {
      const policyConfig = options.availability.policies.channel(channel);
      if (!policyConfig) throw new Error(`no availability policy for channel ${channel}`);
      const policy = policyConfig.publish ?? PublishPolicy.parse({});
      const spec: BudgetSpec = { kind: 'token-bucket', perSecond: policy.budget.perSecond, burst: policy.budget.burst };
      this.channels.set(channel, {
        channel,
        sink,
        budget: options.budgets?.[channel] ?? createBudget(`channel:${channel}`, spec, this.clock),
        policy,
        last: new Map(),
        inFlight: new Map(),
        pending: new Map(),
        timer: undefined,
        flushing: undefined,
      });
    }
  }

  start(): void {
    this.stopped = false;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.unsubscribe ??= this.options.availability.readModel.onChange((items) => this.onItemsChanged(items));
  }

  /**
   * Stops listening and pushes what is pending, once: a push that fails now is not retried (a
   * channel that is down must not hold up shutdown; the next start or a resync sends the figures).
   */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.stopped = true;
    this.abort.abort();
    for (const state of this.channels.values()) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
      await this.flush(state);
    }
  }

  /** Figures for one channel now, total or per location as the channel's policy says. */
  private figures(state: ChannelState, items: readonly string[]): AvailabilityUpdate[] {
    const view = this.options.availability.get({ items, channel: state.channel });
    const out: AvailabilityUpdate[] = [];
    for (const it of view.items) {
      if (state.policy.perLocation) for (const l of it.locations) out.push({ item: it.item, location: l.location, available: l.available });
      else out.push({ item: it.item, available: it.available });
    }
    return out;
  }

  private matters(policy: PublishPolicy, before: number | undefined, after: number): boolean {
    if (before === undefined) return true;
    if (before === after) return false;
    if (before > 0 !== after > 0) return true;
    if (before < policy.lowStock !== after < policy.lowStock) return true;
    return Math.abs(after - before) >= policy.minChange;
  }

  private onItemsChanged(items: ReadonlySet<string>): void {
    if (this.stopped) return;
    const list = [...items];
    for (const state of this.channels.values()) {
      for (const update of this.figures(state, list)) {
        const key = keyOf(update);
        const current = state.inFlight.get(key) ?? state.last.get(key);
        if (this.matters(state.policy, current, update.available)) state.pending.set(key, update);
        else state.pending.delete(key);
      }
      if (state.pending.size >= state.policy.batchSize) void this.flush(state);
      else if (state.pending.size > 0 && !state.timer) {
        state.timer = setTimeout(() => {
          state.timer = undefined;
          void this.flush(state);
        }, state.policy.batchMs);
      }
    }
  }

  /** One flush at a time per channel; a flush drains the pending map in batches. */
  private flush(state: ChannelState): Promise<void> {
    if (state.flushing) return state.flushing;
    const run = async () => {
      let attempt = 0;
      while (state.pending.size > 0) {
        const batch = [...state.pending.values()].slice(0, state.policy.batchSize);
        for (const u of batch) state.pending.delete(keyOf(u));
        try {
          const refused = await this.deliver(state, batch);
          attempt = 0;
          for (const { batch: items, err } of refused) {
            // Retrying cannot help (an item the channel does not list, a mapping gap): report and move
            // on, so one bad item does not hold every other figure back. A resync sends it again.
            this.options.logger?.error(
              { channel: state.channel, code: err.code, err: err.message, items: items.map((u) => u.item) },
              'availability push refused; figure dropped',
            );
            this.options.onRefused?.(state.channel, items, err);
          }
        } catch (err) {
          // Newer figures queued meanwhile win over the failed batch's.
          for (const u of batch) if (!state.pending.has(keyOf(u))) state.pending.set(keyOf(u), u);
          attempt += 1;
          this.options.logger?.warn({ channel: state.channel, attempt, err: errorMessage(err) }, 'availability push failed');
          if (this.stopped) return;
          await sleep(backoffMs(attempt, 200, 30_000), this.abort.signal);
        }
      }
    };
    state.flushing = run().finally(() => {
      state.flushing = undefined;
    });
    return state.flushing;
  }

  /**
   * Sends a batch; when the channel refuses it for good, halves it until the refused items stand
   * alone, so the others still get through (an absolute figure sent twice does no harm). Returns
   * what was refused; a retryable failure is thrown.
   */
  private async deliver(state: ChannelState, batch: AvailabilityUpdate[]): Promise<Refusal[]> {
    try {
      await this.send(state, batch);
      return [];
    } catch (err) {
      if (!(err instanceof CrossdockError && err.errorClass === 'permanent')) throw err;
      if (batch.length === 1) return [{ batch, err }];
      const middle = Math.ceil(batch.length / 2);
      return [...(await this.deliver(state, batch.slice(0, middle))), ...(await this.deliver(state, batch.slice(middle)))];
    }
  }

  private async send(state: ChannelState, batch: AvailabilityUpdate[]): Promise<void> {
    for (const u of batch) state.inFlight.set(keyOf(u), u.available);
    try {
      await state.budget.acquire(1);
      try {
        await state.sink.push(batch);
      } finally {
        state.budget.release?.();
      }
      for (const u of batch) state.last.set(keyOf(u), u.available);
    } finally {
      for (const u of batch) if (state.inFlight.get(keyOf(u)) === u.available) state.inFlight.delete(keyOf(u));
    }
  }

  /**
   * Pushes every known item to a channel, in batches within its budget, reporting progress after
   * each batch (the `crossdock availability resync` command renders it with renderProgressLine).
   */
  async resyncChannel(
    channel: string,
    onProgress?: (p: ResyncProgress) => void,
  ): Promise<{ pushed: number; refused: Array<{ item: string; location?: string; code: string; message: string }> }> {
    const state = this.channels.get(channel);
    if (!state) throw new Error(`no sink for channel ${channel}`);
    const items = this.options.availability.readModel.items().sort();
    const startedAt = this.clock.now();
    let done = 0;
    let pushed = 0;
    const refused: Array<{ item: string; location?: string; code: string; message: string }> = [];
    for (let i = 0; i < items.length; i += state.policy.batchSize) {
      const chunk = items.slice(i, i + state.policy.batchSize);
      const batch = this.figures(state, chunk);
      const failed = await this.deliver(state, batch);
      for (const u of batch) state.pending.delete(keyOf(u));
      for (const f of failed) {
        for (const u of f.batch)
          refused.push({ item: u.item, ...(u.location ? { location: u.location } : {}), code: f.err.code, message: f.err.message });
      }
      pushed += batch.length - failed.reduce((n, f) => n + f.batch.length, 0);
      done += chunk.length;
      onProgress?.({ channel, done, total: items.length, startedAt, now: this.clock.now() });
    }
    return { pushed, refused };
  }
}

/** `resync web: 500/2,000 items (25%) · 1,234 items/s · eta 2s` — one line, rewritten in place by the CLI. */
export function renderProgressLine(p: ResyncProgress): string {
  const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
  const seconds = Math.max(0.001, (p.now - p.startedAt) / 1000);
  const rate = p.done / seconds;
  const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0;
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  return `resync ${p.channel}: ${n(p.done)}/${n(p.total)} items (${pct}%) · ${n(rate)} items/s · ${p.done >= p.total ? 'done' : `eta ${eta}s`}`;
}
