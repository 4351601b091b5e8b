import { z } from 'zod';
import { EVENT_TYPE_PATTERN } from '../../canonical/index.js';
import { type Clock, newId, systemClock } from '../../kernel/index.js';
import type { Store, Tx, WebhookSubscriptionTable } from '../../store/index.js';
import { randomToken } from '../auth/secrets.js';
import { WebhookErrors } from './errors.js';
import type { SecretSealer } from './sealer.js';

/** `*` or a crossdock event type with its major version. */
export const EventTypeFilter = z.union([
  z.literal('*'),
  z.string().max(200).regex(EVENT_TYPE_PATTERN, 'expected crossdock.<name>.v<major> or *'),
]);

export const SubscriptionInput = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  eventTypes: z.array(EventTypeFilter).min(1).max(100),
  description: z.string().max(500).optional(),
});
export type SubscriptionInput = z.infer<typeof SubscriptionInput>;

export const SubscriptionPatch = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  eventTypes: z.array(EventTypeFilter).min(1).max(100).optional(),
  description: z.string().max(500).optional(),
  status: z.enum(['active', 'paused']).optional(),
});
export type SubscriptionPatch = z.infer<typeof SubscriptionPatch>;

/** A subscription as the API shows it (never with its secret). */
export interface WebhookSubscription {
  id: string;
  partnerId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  status: 'active' | 'paused';
  createdAt: string;
  updatedAt: string;
}

const Types = z.array(z.string());

function view(row: WebhookSubscriptionTable): WebhookSubscription {
  const types = Types.safeParse(JSON.parse(row.event_types));
  return {
    id: row.id,
    partnerId: row.partner_id,
    url: row.url,
    eventTypes: types.success ? types.data : [],
    description: row.description,
    status: row.status === 'paused' ? 'paused' : 'active',
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** How long the secret replaced by a rotation keeps signing, so receivers can switch without a gap. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

/**
 * Webhook subscriptions of partners. Every read and change is scoped by partner id: a partner
 * reaches only its own subscriptions (another's id answers "not found").
 */
export class WebhookSubscriptions {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    private readonly sealer: SecretSealer,
    options: { clock?: Clock; allowUrl?: (url: URL) => boolean } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.allowUrl = options.allowUrl ?? (() => true);
  }
  private readonly allowUrl: (url: URL) => boolean;

  private checkUrl(url: string): void {
    if (!this.allowUrl(new URL(url))) throw WebhookErrors.badUrl(`webhooks may not be sent to ${new URL(url).host}`, { path: 'url' });
  }

  async create(partnerId: string, input: SubscriptionInput, tx?: Tx): Promise<WebhookSubscription> {
    this.checkUrl(input.url);
    const now = this.clock.now();
    const { keyId, sealed } = this.sealer.seal(`whsec_${randomToken(32)}`);
    const row: WebhookSubscriptionTable = {
      id: `whs_${newId(now)}`,
      partner_id: partnerId,
      url: input.url,
      event_types: JSON.stringify([...new Set(input.eventTypes)]),
      description: input.description ?? null,
      status: 'active',
      secret_key_id: keyId,
      secret_sealed: sealed,
      prev_secret_key_id: null,
      prev_secret_sealed: null,
      prev_secret_until: null,
      created_at: now,
      updated_at: now,
    };
    await (tx?.db ?? this.store.db).insertInto('wh_subscriptions').values(row).execute();
    return view(row);
  }

  async list(partnerId: string | undefined): Promise<WebhookSubscription[]> {
    let q = this.store.db.selectFrom('wh_subscriptions').selectAll();
    if (partnerId !== undefined) q = q.where('partner_id', '=', partnerId);
    return (await q.orderBy('id').execute()).map(view);
  }

  private async row(partnerId: string | undefined, id: string, tx?: Tx): Promise<WebhookSubscriptionTable> {
    let q = (tx?.db ?? this.store.db).selectFrom('wh_subscriptions').selectAll().where('id', '=', id);
    if (partnerId !== undefined) q = q.where('partner_id', '=', partnerId);
    const row = await q.executeTakeFirst();
    if (!row) throw WebhookErrors.subscriptionNotFound(`no webhook subscription ${id}`, { path: 'id' });
    return row;
  }

  async get(partnerId: string | undefined, id: string): Promise<WebhookSubscription> {
    return view(await this.row(partnerId, id));
  }

  async update(
    partnerId: string,
    id: string,
    patch: SubscriptionPatch,
    tx?: Tx,
  ): Promise<{ before: WebhookSubscription; after: WebhookSubscription }> {
    if (patch.url !== undefined) this.checkUrl(patch.url);
    const row = await this.row(partnerId, id, tx);
    const next: WebhookSubscriptionTable = {
      ...row,
      url: patch.url ?? row.url,
      event_types: patch.eventTypes ? JSON.stringify([...new Set(patch.eventTypes)]) : row.event_types,
      description: patch.description ?? row.description,
      status: patch.status ?? row.status,
      updated_at: this.clock.now(),
    };
    await (tx?.db ?? this.store.db)
      .updateTable('wh_subscriptions')
      .set({
        url: next.url,
        event_types: next.event_types,
        description: next.description,
        status: next.status,
        updated_at: next.updated_at,
      })
      .where('id', '=', id)
      .execute();
    return { before: view(row), after: view(next) };
  }

  async remove(partnerId: string, id: string, tx?: Tx): Promise<WebhookSubscription> {
    const row = await this.row(partnerId, id, tx);
    const db = tx?.db ?? this.store.db;
    await db.deleteFrom('wh_subscriptions').where('id', '=', id).execute();
    // Nothing will send them any more; they stay in the delivery log as dead.
    await db
      .updateTable('wh_deliveries')
      .set({ status: 'dead', last_error: 'subscription deleted', lease_owner: null, lease_until: null, updated_at: this.clock.now() })
      .where('subscription_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    return view(row);
  }

  /** The signing secret, for the owning partner to configure its receiver. */
  async secret(partnerId: string | undefined, id: string): Promise<string> {
    const row = await this.row(partnerId, id);
    return this.sealer.open(row.secret_key_id, row.secret_sealed);
  }

  /** A new secret; the old one keeps signing (a second `v1=`) for SECRET_OVERLAP_MS. */
  async rotateSecret(partnerId: string, id: string, tx?: Tx): Promise<{ secret: string; previousValidUntil: string }> {
    const row = await this.row(partnerId, id, tx);
    const now = this.clock.now();
    const plain = `whsec_${randomToken(32)}`;
    const { keyId, sealed } = this.sealer.seal(plain);
    const until = now + SECRET_OVERLAP_MS;
    await (tx?.db ?? this.store.db)
      .updateTable('wh_subscriptions')
      .set({
        secret_key_id: keyId,
        secret_sealed: sealed,
        prev_secret_key_id: row.secret_key_id,
        prev_secret_sealed: row.secret_sealed,
        prev_secret_until: until,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    return { secret: plain, previousValidUntil: new Date(until).toISOString() };
  }

  /**
   * Reseals with the active master key every signing secret (current and previous) that another
   * key sealed, so the old key can be dropped. Returns how many subscriptions changed.
   */
  async reseal(): Promise<number> {
    const active = this.sealer.activeKeyId;
    const rows = await this.store.db
      .selectFrom('wh_subscriptions')
      .selectAll()
      .where((eb) => eb.or([eb('secret_key_id', '!=', active), eb('prev_secret_key_id', '!=', active)]))
      .execute();
    let changed = 0;
    for (const row of rows) {
      const current = row.secret_key_id === active ? undefined : this.sealer.seal(this.sealer.open(row.secret_key_id, row.secret_sealed));
      const previous =
        row.prev_secret_key_id !== null && row.prev_secret_sealed !== null && row.prev_secret_key_id !== active
          ? this.sealer.seal(this.sealer.open(row.prev_secret_key_id, row.prev_secret_sealed))
          : undefined;
      if (!current && !previous) continue;
      await this.store.db
        .updateTable('wh_subscriptions')
        .set({
          ...(current ? { secret_key_id: current.keyId, secret_sealed: current.sealed } : {}),
          ...(previous ? { prev_secret_key_id: previous.keyId, prev_secret_sealed: previous.sealed } : {}),
          updated_at: this.clock.now(),
        })
        .where('id', '=', row.id)
        // Unchanged since read: a secret rotated meanwhile was sealed with the active key already.
        .where('secret_sealed', '=', row.secret_sealed)
        .execute();
      changed += 1;
    }
    return changed;
  }

  /** The secrets that sign a delivery now: the current one, then the previous one during its overlap. */
  async signingSecrets(id: string): Promise<string[] | undefined> {
    const row = await this.store.db.selectFrom('wh_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const secrets = [this.sealer.open(row.secret_key_id, row.secret_sealed)];
    if (
      row.prev_secret_sealed &&
      row.prev_secret_key_id &&
      row.prev_secret_until !== null &&
      Number(row.prev_secret_until) > this.clock.now()
    ) {
      secrets.push(this.sealer.open(row.prev_secret_key_id, row.prev_secret_sealed));
    }
    return secrets;
  }

  /** Active subscriptions of a partner that want this event type. */
  async matching(partnerId: string, eventType: string, tx?: Tx): Promise<Array<{ id: string; url: string }>> {
    const rows = await (tx?.db ?? this.store.db)
      .selectFrom('wh_subscriptions')
      .select(['id', 'url', 'event_types'])
      .where('partner_id', '=', partnerId)
      .where('status', '=', 'active')
      .execute();
    return rows.filter((r) => {
      const types = Types.safeParse(JSON.parse(r.event_types));
      return types.success && (types.data.includes('*') || types.data.includes(eventType));
    });
  }
}
