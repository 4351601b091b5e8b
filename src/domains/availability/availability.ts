import type { Envelope } from '../../canonical/index.js';
import type { HandlerContext, Subscription } from '../../eventlog/index.js';
import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { commitInTx, type ReserveRequest, type ReserveResult, releaseInTx, reserveInTx, type SettleResult } from './allocation.js';
import { applyInventoryEvent, INVENTORY_EVENT_TYPES } from './apply-event.js';
import { type AtpContext, computeAtp, type ExplainStep, utcToday } from './atp.js';
import { addDays } from './calendar.js';
import { collectExceptions, type ExceptionInput } from './ledger.js';
import { type AvailabilityConfigInput, loadPolicies, Policies, type ShipTo } from './policy.js';
import type { PositionChange, PositionState } from './position.js';
import { computePromise, type PromiseResult } from './promise.js';
import { ReadModel } from './read-model.js';
import { Issues, isPositiveInt, MAX_ITEMS } from './validate.js';

/** How far behind the newest write seen a catch-up looks again (commit order, clock skew between processes). */
export const CATCH_UP_SLACK_MS = 5_000;

export interface AvailabilityQuery {
  items: readonly string[];
  channel: string;
  customer?: string;
  /** Only these of the channel's locations (all of them by default). */
  locations?: readonly string[];
  explain?: boolean;
}

export interface LocationAvailability {
  location: string;
  available: number;
  explain?: ExplainStep[];
}

export interface ItemAvailability {
  item: string;
  available: number;
  locations: LocationAvailability[];
}

export interface AvailabilityView {
  channel: string;
  customer?: string;
  asOf: string;
  items: ItemAvailability[];
}

export interface PromiseRequest {
  lines: ReadonlyArray<{ item: string; qty: number }>;
  shipTo: ShipTo;
  channel: string;
  customer?: string;
  /** When the order would be released; now by default. */
  at?: number | string;
}

/**
 * Where the ledger's exceptions go besides `availability_exceptions` (the hub's exception queue),
 * called inside the transaction that applied the event.
 */
export type ExceptionSink = (exception: ExceptionInput, event: Envelope, tx: Tx) => Promise<void>;

export interface AvailabilityOptions {
  store: Store;
  policies: Policies | AvailabilityConfigInput;
  clock?: Clock;
  exceptions?: ExceptionSink;
}

/**
 * Available to promise, per item, location and channel (ARCHITECTURE §7). Reads come from the
 * in-memory read model; writes (events, reservations) go through the store and reach the read model
 * after they commit.
 */
export class Availability {
  readonly readModel: ReadModel;
  readonly policies: Policies;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly exceptions: ExceptionSink | undefined;
  private lastNow = Number.NaN;
  private caughtUpTo = 0;
  private lastIso = '';
  private lastToday = '';
  /** `today + N days` per expiry window, for today (cleared when the date changes). */
  private readonly expiryLimits = new Map<number, string>();

  private constructor(options: AvailabilityOptions) {
    this.store = options.store;
    this.policies = options.policies instanceof Policies ? options.policies : loadPolicies(options.policies);
    this.readModel = new ReadModel(this.policies.fenceParties);
    this.clock = options.clock ?? systemClock;
    this.exceptions = options.exceptions;
  }

  /** Loads the policies and rebuilds the read model from the store (migrated beforehand). */
  static async open(options: AvailabilityOptions): Promise<Availability> {
    const availability = new Availability(options);
    availability.caughtUpTo = availability.clock.now() - CATCH_UP_SLACK_MS;
    await availability.readModel.rebuild(availability.store);
    return availability;
  }

  /** Re-reads every position (another process's writes reach this one's memory this way). */
  refresh(): Promise<void> {
    return this.readModel.rebuild(this.store);
  }

  /**
   * Applies what other processes wrote since the last catch-up. The window looks back
   * `CATCH_UP_SLACK_MS` behind the newest write seen, for a transaction that committed after a
   * newer one or a writer whose clock runs slightly behind; versions make re-reading harmless.
   */
  async catchUp(): Promise<void> {
    const since = this.caughtUpTo;
    const newest = await this.readModel.catchUp(this.store, since);
    this.caughtUpTo = Math.max(since, newest - CATCH_UP_SLACK_MS);
  }

  /** Polls `catchUp` every `intervalMs` (cluster mode); returns the function that stops it. */
  followStore(intervalMs: number, onError?: (err: unknown) => void): () => Promise<void> {
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    const tick = (): void => {
      if (stopped) return;
      running = this.catchUp()
        .catch((err: unknown) => onError?.(err))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    let timer: NodeJS.Timeout | undefined = setTimeout(tick, intervalMs);
    return async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    };
  }

  /** A known item: it has a position somewhere, or the policy lists it. */
  knowsItem(item: string): boolean {
    return this.readModel.hasItem(item) || this.policies.knownItems.has(item);
  }

  get(query: AvailabilityQuery): AvailabilityView {
    const policy = this.policies.resolve(query.channel, query.customer);
    // Checked without allocating on the happy path: this is the hot read.
    let valid = policy !== undefined && Array.isArray(query.items) && query.items.length > 0 && query.items.length <= MAX_ITEMS;
    for (let i = 0; valid && i < query.items.length; i++) valid = this.knowsItem(query.items[i] ?? '');
    if (valid && policy && query.locations !== undefined)
      valid = query.locations.length > 0 && query.locations.every((l) => policy.locations.includes(l));
    if (!valid || !policy) throw this.queryError(query);
    const sites = query.locations ?? policy.locations;

    const now = this.clock.now();
    if (now !== this.lastNow) {
      this.lastNow = now;
      this.lastIso = new Date(now).toISOString();
      const today = utcToday(now);
      if (today !== this.lastToday) this.expiryLimits.clear();
      this.lastToday = today;
    }
    const within = policy.excludeExpiringWithinDays;
    let expiryLimit: string | undefined;
    if (within !== undefined) {
      expiryLimit = this.expiryLimits.get(within);
      if (expiryLimit === undefined) {
        expiryLimit = addDays(this.lastToday, within);
        this.expiryLimits.set(within, expiryLimit);
      }
    }
    const ctx: AtpContext = { policies: this.policies, policy, now, today: this.lastToday, expiryLimit, includeInTransit: true };
    const items: ItemAvailability[] = [];
    for (const item of query.items) {
      let total = 0;
      const locations: LocationAvailability[] = [];
      const positions = this.readModel.positionsOf(item);
      for (const location of sites) {
        const pos = positions?.get(location);
        if (query.explain) {
          const explain: ExplainStep[] = [];
          const available = computeAtp(pos, ctx, explain);
          total += available;
          locations.push({ location, available, explain });
        } else {
          const available = computeAtp(pos, ctx);
          total += available;
          locations.push({ location, available });
        }
      }
      items.push({ item, available: total, locations });
    }
    return { channel: query.channel, ...(query.customer !== undefined ? { customer: query.customer } : {}), asOf: this.lastIso, items };
  }

  private queryError(query: AvailabilityQuery): Error {
    const issues = new Issues();
    if (!Array.isArray(query.items) || query.items.length === 0) issues.add('items', 'name at least one item');
    else if (query.items.length > MAX_ITEMS) issues.add('items', `at most ${MAX_ITEMS} items per request, got ${query.items.length}`);
    else {
      query.items.forEach((item, i) => {
        if (!this.knowsItem(item)) issues.add(`items[${i}]`, `unknown item ${item}`);
      });
    }
    const policy = this.policies.resolve(query.channel, query.customer);
    if (!policy) issues.add('channel', `unknown channel ${query.channel}; known: ${this.policies.channels().join(', ')}`);
    else if (query.locations?.length === 0) issues.add('locations', 'name at least one location');
    else {
      query.locations?.forEach((location, i) => {
        if (!this.policies.location(location)) issues.add(`locations[${i}]`, `unknown location ${location}`);
        else if (!policy.locations.includes(location))
          issues.add(`locations[${i}]`, `location ${location} is not one of channel ${query.channel}'s (${policy.locations.join(', ')})`);
      });
    }
    return issues.toError('availability query');
  }

  promise(request: PromiseRequest): PromiseResult {
    const issues = new Issues();
    if (!Array.isArray(request.lines) || request.lines.length === 0) issues.add('lines', 'name at least one line');
    else if (request.lines.length > MAX_ITEMS) issues.add('lines', `at most ${MAX_ITEMS} lines per request`);
    else {
      request.lines.forEach((line, i) => {
        if (!this.knowsItem(line.item)) issues.add(`lines[${i}].item`, `unknown item ${line.item}`);
        if (!isPositiveInt(line.qty)) issues.add(`lines[${i}].qty`, `expected a positive whole number, got ${JSON.stringify(line.qty)}`);
      });
    }
    const policy = this.policies.resolve(request.channel, request.customer);
    if (!policy) issues.add('channel', `unknown channel ${request.channel}`);
    const region = this.policies.region(request.shipTo ?? {});
    if (region === undefined) issues.add('shipTo', 'the ship-to matches no configured region (give region, or country and postalCode)');
    const at = request.at === undefined ? this.clock.now() : typeof request.at === 'number' ? request.at : Date.parse(request.at);
    if (Number.isNaN(at)) issues.add('at', 'expected an RFC 3339 timestamp');
    issues.throwIfAny('promise request');
    if (!policy || region === undefined) throw new Error('unreachable');
    return computePromise(request.lines, region, at, this.policies, policy, (item, location) => this.readModel.position(item, location));
  }

  /** With `tx`, the reservation is part of that transaction (and the read model sees it once it commits). */
  async reserve(request: ReserveRequest, options: { tx?: Tx } = {}): Promise<ReserveResult> {
    const issues = new Issues();
    if (typeof request.order !== 'string' || request.order === '') issues.add('order', 'name the order');
    const policy = this.policies.resolve(request.channel, request.customer);
    if (!policy) issues.add('channel', `unknown channel ${request.channel}`);
    const seen = new Set<string>();
    request.lines.forEach((line, i) => {
      if (seen.has(line.line)) issues.add(`lines[${i}].line`, `line ${line.line} appears twice`);
      seen.add(line.line);
      if (!isPositiveInt(line.qty)) issues.add(`lines[${i}].qty`, `expected a positive whole number, got ${JSON.stringify(line.qty)}`);
      if (line.location !== undefined && !this.policies.location(line.location))
        issues.add(`lines[${i}].location`, `unknown location ${line.location}`);
    });
    issues.throwIfAny('reservation');
    if (!policy) throw new Error('unreachable');
    return this.write((tx, collect) => reserveInTx(tx, this.policies, policy, request, this.clock.now(), collect), options.tx);
  }

  release(request: { order: string; lines?: readonly string[] }, options: { tx?: Tx } = {}): Promise<SettleResult> {
    return this.write(
      (tx, collect) => releaseInTx(tx, this.policies.fenceParties, request.order, request.lines, this.clock.now(), collect),
      options.tx,
    );
  }

  /** Reserved becomes allocated (the order was released to the warehouse). */
  commit(request: { order: string; lines?: readonly string[] }, options: { tx?: Tx } = {}): Promise<SettleResult> {
    return this.write(
      (tx, collect) => commitInTx(tx, this.policies.fenceParties, request.order, request.lines, this.clock.now(), collect),
      options.tx,
    );
  }

  /**
   * Applies an inventory event inside the caller's transaction; the read model sees the change once
   * that transaction commits.
   */
  async applyInventoryEvent(envelope: Envelope, tx: Tx): Promise<PositionChange[]> {
    const raised = this.exceptions ? collectExceptions(tx) : undefined;
    const changes = await applyInventoryEvent(envelope, tx, this.policies.fenceParties, this.clock);
    // In the same transaction: the exception exists exactly when the change that caused it does.
    for (const e of raised ?? []) await this.exceptions?.(e, envelope, tx);
    if (changes.length > 0) tx.afterCommit(() => this.readModel.apply(changes));
    return changes;
  }

  /** An event-log handler. */
  readonly handler = async (event: Envelope, ctx: HandlerContext): Promise<void> => {
    await this.applyInventoryEvent(event, ctx.tx);
  };

  subscription(topic: string, group = 'availability'): Subscription {
    return { group, topic, handler: this.handler, types: INVENTORY_EVENT_TYPES };
  }

  /** Positions as the read model holds them (for tests, tools and the console). */
  position(item: string, location: string): PositionState | undefined {
    return this.readModel.position(item, location);
  }

  /** Runs a change in its own transaction, or in `outer`; the read model applies it once that commits. */
  private async write<T>(fn: (tx: Tx, collect: (c: PositionChange) => void) => Promise<T>, outer?: Tx): Promise<T> {
    return this.store.transaction(async (tx) => {
      const changes: PositionChange[] = [];
      const result = await fn(tx, (c) => changes.push(c));
      if (changes.length > 0) tx.afterCommit(() => this.readModel.apply(changes));
      return result;
    }, outer);
  }
}
