import { z } from 'zod';
import { type Clock, newId, systemClock } from '../../kernel/index.js';
import type { Store, Tx, WebhookDeliveryTable } from '../../store/index.js';
import { WebhookErrors } from './errors.js';

export const DeliveryStatus = z.enum(['pending', 'delivered', 'dead']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** A delivery as the delivery log shows it. */
export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  replayOf: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function deliveryView(row: WebhookDeliveryTable): WebhookDelivery {
  const status = DeliveryStatus.safeParse(row.status);
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: status.success ? status.data : 'pending',
    attempts: Number(row.attempts),
    lastStatus: row.last_status,
    lastError: row.last_error,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    replayOf: row.replay_of,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    deliveredAt: iso(row.delivered_at),
  };
}

export interface DeliveryQuery {
  subscriptionId?: string;
  eventId?: string;
  status?: DeliveryStatus;
  /** Continue after this delivery id (the `nextCursor` of the previous page). */
  cursor?: string;
  limit?: number;
}

/** The delivery log: every delivery with its status and attempts; replay of any delivery. */
export class WebhookDeliveries {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Newest first; `partnerId` undefined lists every partner's (operators). */
  async list(partnerId: string | undefined, query: DeliveryQuery = {}): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    let q = this.store.db.selectFrom('wh_deliveries').selectAll();
    if (partnerId !== undefined) q = q.where('partner_id', '=', partnerId);
    if (query.subscriptionId !== undefined) q = q.where('subscription_id', '=', query.subscriptionId);
    if (query.eventId !== undefined) q = q.where('event_id', '=', query.eventId);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.cursor !== undefined) q = q.where('id', '<', query.cursor);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    return { items: page.map(deliveryView), nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  private async row(partnerId: string | undefined, id: string, tx?: Tx): Promise<WebhookDeliveryTable> {
    let q = (tx?.db ?? this.store.db).selectFrom('wh_deliveries').selectAll().where('id', '=', id);
    if (partnerId !== undefined) q = q.where('partner_id', '=', partnerId);
    const row = await q.executeTakeFirst();
    if (!row) throw WebhookErrors.deliveryNotFound(`no webhook delivery ${id}`, { path: 'id' });
    return row;
  }

  async get(partnerId: string | undefined, id: string): Promise<WebhookDelivery & { attemptLog: DeliveryAttempt[] }> {
    const row = await this.row(partnerId, id);
    const attempts = await this.store.db.selectFrom('wh_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt').execute();
    return {
      ...deliveryView(row),
      attemptLog: attempts.map((a) => ({
        attempt: Number(a.attempt),
        at: new Date(Number(a.at)).toISOString(),
        statusCode: a.status_code,
        error: a.error,
        durationMs: Number(a.duration_ms),
      })),
    };
  }

  /**
   * Sends a delivery's event again as a new delivery (attempt count from zero, `replayOf` naming
   * the original), whatever the original's status. The body is the same event; the receiver can
   * dedupe on the event id.
   */
  async replay(partnerId: string | undefined, id: string, tx?: Tx): Promise<WebhookDelivery> {
    const original = await this.row(partnerId, id, tx);
    const subscription = await (tx?.db ?? this.store.db)
      .selectFrom('wh_subscriptions')
      .select('id')
      .where('id', '=', original.subscription_id)
      .executeTakeFirst();
    if (!subscription) throw WebhookErrors.subscriptionNotFound(`the subscription of delivery ${id} was deleted`, { path: 'id' });
    const now = this.clock.now();
    const newIdValue = `whd_${newId(now)}`;
    const row: WebhookDeliveryTable = {
      ...original,
      id: newIdValue,
      dedupe_key: `replay:${newIdValue}`,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_owner: null,
      lease_until: null,
      last_status: null,
      last_error: null,
      replay_of: original.id,
      created_at: now,
      updated_at: now,
      delivered_at: null,
    };
    await (tx?.db ?? this.store.db).insertInto('wh_deliveries').values(row).execute();
    return deliveryView(row);
  }

  /**
   * The subscription's dead deliveries that no replay has delivered or is still trying: what an
   * operator's "retry" on a dead-delivery exception sends again.
   */
  async deadUnreplayed(subscriptionId: string, tx?: Tx): Promise<string[]> {
    const rows = await (tx?.db ?? this.store.db)
      .selectFrom('wh_deliveries as d')
      .select('d.id')
      .where('d.subscription_id', '=', subscriptionId)
      .where('d.status', '=', 'dead')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('wh_deliveries as r')
              .select('r.id')
              .whereRef('r.replay_of', '=', 'd.id')
              .where('r.status', 'in', ['pending', 'delivered']),
          ),
        ),
      )
      .orderBy('d.id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Replays every dead delivery of a subscription that is not delivered or being retried already. */
  async replayDead(subscriptionId: string, tx?: Tx): Promise<WebhookDelivery[]> {
    const out: WebhookDelivery[] = [];
    for (const id of await this.deadUnreplayed(subscriptionId, tx)) out.push(await this.replay(undefined, id, tx));
    return out;
  }
}
