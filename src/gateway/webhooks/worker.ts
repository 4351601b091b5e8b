import { backoffMs, type Clock, type Logger, newId, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { signatureHeader } from './signature.js';
import type { WebhookSubscriptions } from './subscriptions.js';

export interface DeliveryPolicy {
  /** Attempts before a delivery is dead (the first one counts). */
  maxAttempts: number;
  /** Backoff after the n-th failure: exponential from baseMs, capped at maxMs, with jitter. */
  baseMs: number;
  maxMs: number;
  /** Time a receiver has to answer. */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 8, baseMs: 30_000, maxMs: 6 * 3600_000, timeoutMs: 10_000 };

export interface WebhookWorkerOptions {
  store: Store;
  subscriptions: WebhookSubscriptions;
  logger: Logger;
  policy?: Partial<DeliveryPolicy>;
  /** Deliveries in flight at once, per process. */
  concurrency?: number;
  /** How often to look for due deliveries when not woken. */
  pollMs?: number;
  clock?: Clock;
  random?: () => number;
  fetch?: typeof fetch;
  /**
   * Told, in the transaction that records it, when a delivery dies and when a replay is delivered,
   * so the hub can open (and close) an exception for people to act on.
   */
  outcomes?: {
    dead(delivery: DeliveryFacts, tx: Tx): Promise<void>;
    replayDelivered(delivery: DeliveryFacts, tx: Tx): Promise<void>;
  };
}

/** What the worker knows of a delivery it just sent. */
export interface DeliveryFacts {
  id: string;
  subscriptionId: string;
  partnerId: string;
  eventId: string;
  eventType: string;
  url: string;
  attempts: number;
  replayOf: string | null;
  statusCode: number | null;
  error: string | null;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Sends pending deliveries: claims due rows with a lease (so several hub processes share the work
 * and never send one attempt twice at the same time), POSTs the signed event, and records the
 * attempt. A 2xx answer delivers; anything else (another status, a refused connection, a timeout)
 * schedules the next attempt with exponential backoff and jitter, until the last attempt makes the
 * delivery dead. Dead deliveries stay in the log and can be replayed.
 */
export class WebhookWorker {
  private readonly policy: DeliveryPolicy;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly owner = `wk_${newId()}`;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private scanning = false;
  private rescan = false;

  constructor(private readonly options: WebhookWorkerOptions) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
    this.concurrency = options.concurrency ?? 8;
    this.pollMs = options.pollMs ?? 1000;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.fetchFn = options.fetch ?? fetch;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops claiming and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks for due deliveries now (after a fan-out or a replay committed). */
  wake(): void {
    if (this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.scan(), ms);
    this.timer.unref();
  }

  private async scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    try {
      do {
        this.rescan = false;
        await this.claimAndSend();
      } while (this.rescan && this.running);
    } catch (err) {
      this.options.logger.warn({ err }, 'webhook delivery scan failed');
    } finally {
      this.scanning = false;
      if (this.running) this.schedule(this.pollMs);
    }
  }

  /** Claims what is due (up to the free concurrency) and starts sending; returns how many were claimed. */
  async claimAndSend(): Promise<number> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const now = this.clock.now();
    const due = await this.options.store.db
      .selectFrom('wh_deliveries as d')
      .innerJoin('wh_subscriptions as s', 's.id', 'd.subscription_id')
      .select([
        'd.id',
        'd.subscription_id',
        'd.partner_id',
        'd.replay_of',
        'd.payload',
        'd.attempts',
        'd.event_id',
        'd.event_type',
        's.url',
      ])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
      .where('s.status', '=', 'active')
      .orderBy('d.next_attempt_at')
      .limit(free)
      .execute();
    let claimed = 0;
    for (const d of due) {
      const leaseUntil = now + this.policy.timeoutMs + 30_000;
      const r = await this.options.store.db
        .updateTable('wh_deliveries')
        .set({ lease_owner: this.owner, lease_until: leaseUntil })
        .where('id', '=', d.id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) continue;
      claimed += 1;
      const job = this.deliver({ ...d, attempts: Number(d.attempts) + 1 })
        .catch((err: unknown) => this.options.logger.warn({ err, delivery: d.id }, 'webhook delivery bookkeeping failed'))
        .finally(() => {
          this.inFlight.delete(job);
          // A slot came free: more may be waiting.
          this.wake();
        });
      this.inFlight.add(job);
    }
    return claimed;
  }

  private async deliver(d: {
    id: string;
    subscription_id: string;
    partner_id: string;
    replay_of: string | null;
    payload: string;
    attempts: number;
    event_id: string;
    event_type: string;
    url: string;
  }): Promise<void> {
    const secrets = await this.options.subscriptions.signingSecrets(d.subscription_id);
    const outcome: Outcome = secrets ? await this.post(d, secrets) : { statusCode: null, error: 'subscription deleted', durationMs: 0 };
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const now = this.clock.now();
    const dead = !ok && (d.attempts >= this.policy.maxAttempts || !secrets);
    await this.options.store.transaction(async (tx) => {
      await tx.db
        .insertInto('wh_attempts')
        .values({
          delivery_id: d.id,
          attempt: d.attempts,
          at: now,
          status_code: outcome.statusCode,
          error: outcome.error,
          duration_ms: outcome.durationMs,
        })
        .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
        .execute();
      const recorded = await tx.db
        .updateTable('wh_deliveries')
        .set({
          status: ok ? 'delivered' : dead ? 'dead' : 'pending',
          attempts: d.attempts,
          next_attempt_at: ok || dead ? now : now + backoffMs(d.attempts, this.policy.baseMs, this.policy.maxMs, this.random),
          last_status: outcome.statusCode,
          last_error: outcome.error,
          lease_owner: null,
          lease_until: null,
          updated_at: now,
          delivered_at: ok ? now : null,
        })
        .where('id', '=', d.id)
        // Fencing: if our lease ran out and another process took the delivery, its result wins.
        .where('lease_owner', '=', this.owner)
        .executeTakeFirst();
      const outcomes = this.options.outcomes;
      if (!outcomes || Number(recorded.numUpdatedRows) !== 1) return;
      const facts: DeliveryFacts = {
        id: d.id,
        subscriptionId: d.subscription_id,
        partnerId: d.partner_id,
        eventId: d.event_id,
        eventType: d.event_type,
        url: d.url,
        attempts: d.attempts,
        replayOf: d.replay_of,
        statusCode: outcome.statusCode,
        error: outcome.error,
      };
      if (dead) await outcomes.dead(facts, tx);
      else if (ok && d.replay_of !== null) await outcomes.replayDelivered(facts, tx);
    });
    if (dead) this.options.logger.warn({ delivery: d.id, event: d.event_id, error: outcome.error }, 'webhook delivery dead');
  }

  private async post(
    d: { id: string; payload: string; attempts: number; event_id: string; event_type: string; url: string },
    secrets: string[],
  ) {
    const started = performance.now();
    const timestamp = Math.floor(this.clock.now() / 1000);
    try {
      const response = await this.fetchFn(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.policy.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'crossdock-webhooks/1',
          'crossdock-webhook-id': d.id,
          'crossdock-event-id': d.event_id,
          'crossdock-event-type': d.event_type,
          'crossdock-webhook-attempt': String(d.attempts),
          'crossdock-signature': signatureHeader(secrets, timestamp, d.payload),
        },
        body: d.payload,
      });
      // Read (and drop) the body so the connection can be reused; a receiver's answer is not kept.
      await response.arrayBuffer().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      return {
        statusCode: response.status,
        error: ok ? null : `HTTP ${response.status}`,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      const error =
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${this.policy.timeoutMs} ms`
          : `${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`.slice(0, 500);
      return { statusCode: null, error, durationMs: Math.round(performance.now() - started) };
    }
  }
}
