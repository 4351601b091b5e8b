import { z } from 'zod';
import { type Clock, defineError, newId, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';

export const ExceptionErrors = {
  notFound: defineError('CD_ERR_EXCEPTION_NOT_FOUND', { class: 'permanent', title: 'No such exception' }),
  closed: defineError('CD_ERR_EXCEPTION_CLOSED', { class: 'business', title: 'The exception is already resolved' }),
  invalid: defineError('CD_ERR_EXCEPTION_INVALID', { class: 'permanent', title: 'Invalid exception' }),
} as const;

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);

/** Something an operator can do about an exception; the console runs it through its action handlers. */
export const ExceptionAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('retry-flow'), flow: z.string(), key: z.string() }),
  z.strictObject({ kind: z.literal('redrive-dead-letter'), id: z.number().int() }),
  z.strictObject({
    kind: z.literal('replay'),
    group: z.string(),
    topic: z.string(),
    fromOffset: z.number().int(),
    partition: z.number().int(),
  }),
  z.strictObject({ kind: z.literal('edit-and-resubmit'), schema: z.string(), payload: z.unknown(), target: z.string() }),
  z.strictObject({ kind: z.literal('release-hold'), flow: z.string(), key: z.string(), signal: z.string() }),
  /** Sends a webhook subscription's dead deliveries again. */
  z.strictObject({ kind: z.literal('replay-webhooks'), subscriptionId: z.string() }),
]);
export type ExceptionAction = z.infer<typeof ExceptionAction>;

export const RaiseInput = z.strictObject({
  category: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'dotted lower-case, e.g. order.price-mismatch'),
  title: z.string().min(1).max(500),
  detail: z.record(z.string(), z.unknown()).default({}),
  severity: Severity.default('medium'),
  source: z.string().min(1),
  subject: z.string().min(1),
  /** The cause: raising again with the same key while open counts an occurrence instead of a new row. */
  dedupeKey: z.string().min(1).optional(),
  partner: z.string().optional(),
  warehouse: z.string().optional(),
  channel: z.string().optional(),
  correlationid: z.string().optional(),
  /** How long operations have to act (the exception's own SLA). */
  dueInMs: z.number().int().positive().optional(),
  actions: z.array(ExceptionAction).default([]),
});
export type RaiseInput = z.input<typeof RaiseInput>;

/** Owner rules: the first rule whose fields all match assigns the owner. */
export const OwnerRule = z.strictObject({
  category: z.string().optional(),
  categoryPrefix: z.string().optional(),
  partner: z.string().optional(),
  warehouse: z.string().optional(),
  channel: z.string().optional(),
  owner: z.string().min(1),
});
export type OwnerRule = z.infer<typeof OwnerRule>;

/** The default SLA of an exception by category: the first rule whose prefix matches sets `dueInMs`. */
export const DueRule = z.strictObject({ categoryPrefix: z.string(), withinMs: z.number().int().positive() });
export type DueRule = z.infer<typeof DueRule>;

export interface ExceptionView {
  id: string;
  category: string;
  severity: z.infer<typeof Severity>;
  status: 'open' | 'resolved';
  title: string;
  detail: Record<string, unknown>;
  source: string;
  subject: string;
  partner: string | null;
  warehouse: string | null;
  channel: string | null;
  owner: string | null;
  occurrences: number;
  actions: ExceptionAction[];
  correlationid: string | null;
  openedAt: number;
  dueAt: number | null;
  /** Milliseconds since opened (at the time of reading). */
  ageMs: number;
  overdue: boolean;
  resolvedAt: number | null;
  resolution: string | null;
  resolvedBy: string | null;
}

export interface ListFilter {
  status?: 'open' | 'resolved';
  category?: string;
  owner?: string;
  partner?: string;
  warehouse?: string;
  channel?: string;
  subject?: string;
  overdueOnly?: boolean;
  severity?: 'low' | 'medium' | 'high' | 'critical';
  /** Categories starting with this prefix (`sla.`). */
  categoryPrefix?: string;
  limit?: number;
  offset?: number;
}

type Row = Awaited<ReturnType<ExceptionQueue['rowById']>>;

/**
 * The exception queue: everything that needs a person. One open exception per cause (dedupe key);
 * owners assigned by rules; an SLA per exception; a history of who did what; and closing by itself
 * when the code that raised it sees the cause clear (`clear`).
 */
export class ExceptionQueue {
  private readonly clock: Clock;
  private rules: OwnerRule[];
  private dueRules: DueRule[];

  constructor(
    private readonly store: Store,
    options: { clock?: Clock; ownerRules?: OwnerRule[]; dueRules?: DueRule[] } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.rules = (options.ownerRules ?? []).map((r) => OwnerRule.parse(r));
    this.dueRules = (options.dueRules ?? []).map((r) => DueRule.parse(r));
  }

  setOwnerRules(rules: OwnerRule[]): void {
    this.rules = rules.map((r) => OwnerRule.parse(r));
  }

  setDueRules(rules: DueRule[]): void {
    this.dueRules = rules.map((r) => DueRule.parse(r));
  }

  /** The owner rules in force, first match wins. */
  ownerRules(): readonly OwnerRule[] {
    return this.rules;
  }

  /** The default time to act for a category, from the due rules (undefined: no SLA). */
  dueFor(category: string): number | undefined {
    return this.dueRules.find((r) => category.startsWith(r.categoryPrefix))?.withinMs;
  }

  ownerFor(e: { category: string; partner?: string | null; warehouse?: string | null; channel?: string | null }): string | null {
    for (const r of this.rules) {
      if (r.category !== undefined && r.category !== e.category) continue;
      if (r.categoryPrefix !== undefined && !e.category.startsWith(r.categoryPrefix)) continue;
      if (r.partner !== undefined && r.partner !== e.partner) continue;
      if (r.warehouse !== undefined && r.warehouse !== e.warehouse) continue;
      if (r.channel !== undefined && r.channel !== e.channel) continue;
      return r.owner;
    }
    return null;
  }

  /** Opens an exception, or counts another occurrence of the open one with the same cause. */
  async raise(input: RaiseInput, tx?: Tx): Promise<{ id: string; created: boolean }> {
    const parsed = RaiseInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw ExceptionErrors.invalid(`exception ${issue?.path.join('.')}: ${issue?.message}`, { path: issue?.path.join('.') ?? '' });
    }
    const e = parsed.data;
    const dedupeKey = e.dedupeKey ?? `${e.category}:${e.subject}`;
    const now = this.clock.now();
    return this.store.transaction(async (t) => {
      const open = await t.db.selectFrom('exceptions').select(['id']).where('open_key', '=', dedupeKey).executeTakeFirst();
      if (open) {
        await t.db
          .updateTable('exceptions')
          .set((eb) => ({ occurrences: eb('occurrences', '+', 1), detail: JSON.stringify(e.detail), updated_at: now }))
          .where('id', '=', open.id)
          .execute();
        await this.history(t, open.id, 'system', 'recurred', e.title);
        return { id: open.id, created: false };
      }
      const id = newId(now);
      await t.db
        .insertInto('exceptions')
        .values({
          id,
          category: e.category,
          severity: e.severity,
          status: 'open',
          title: e.title,
          detail: JSON.stringify(e.detail),
          source: e.source,
          subject: e.subject,
          partner: e.partner ?? null,
          warehouse: e.warehouse ?? null,
          channel: e.channel ?? null,
          owner: this.ownerFor(e),
          dedupe_key: dedupeKey,
          open_key: dedupeKey,
          occurrences: 1,
          actions: JSON.stringify(e.actions),
          correlationid: e.correlationid ?? null,
          opened_at: now,
          due_at: (e.dueInMs ?? this.dueFor(e.category)) !== undefined ? now + (e.dueInMs ?? this.dueFor(e.category) ?? 0) : null,
          resolved_at: null,
          resolution: null,
          resolved_by: null,
          updated_at: now,
        })
        .execute();
      await this.history(t, id, 'system', 'opened', e.title);
      return { id, created: true };
    }, tx);
  }

  /** The cause cleared (the stock arrived, the acknowledgement came): the open exception closes itself. */
  async clear(dedupeKey: string, reason: string, tx?: Tx): Promise<boolean> {
    return this.store.transaction(async (t) => {
      const open = await t.db.selectFrom('exceptions').select('id').where('open_key', '=', dedupeKey).executeTakeFirst();
      if (!open) return false;
      await this.close(t, open.id, reason, 'system');
      return true;
    }, tx);
  }

  async resolve(id: string, reason: string, by: string): Promise<void> {
    if (reason.trim().length === 0) throw ExceptionErrors.invalid('a resolution needs a reason', { path: 'reason' });
    await this.store.transaction(async (t) => {
      const row = await this.rowById(t.db, id);
      if (row.status !== 'open') throw ExceptionErrors.closed(`exception ${id} is already resolved`);
      await this.close(t, id, reason, by);
    });
  }

  async assign(id: string, owner: string, by: string): Promise<void> {
    await this.store.transaction(async (t) => {
      await this.rowById(t.db, id);
      await t.db.updateTable('exceptions').set({ owner, updated_at: this.clock.now() }).where('id', '=', id).execute();
      await this.history(t, id, by, 'assigned', owner);
    });
  }

  /** Records an action an operator took (retry, replay, resubmit) in the exception's history. */
  async note(id: string, actor: string, action: string, note: string): Promise<void> {
    await this.store.transaction(async (t) => {
      await this.rowById(t.db, id);
      await this.history(t, id, actor, action, note);
    });
  }

  async get(id: string): Promise<ExceptionView> {
    return this.view(await this.rowById(this.store.db, id));
  }

  async historyOf(id: string): Promise<Array<{ at: number; actor: string; action: string; note: string | null }>> {
    return this.store.db
      .selectFrom('exception_history')
      .select(['at', 'actor', 'action', 'note'])
      .where('exception_id', '=', id)
      .orderBy('seq')
      .execute();
  }

  async list(filter: ListFilter = {}): Promise<ExceptionView[]> {
    let q = this.store.db
      .selectFrom('exceptions')
      .selectAll()
      .orderBy('opened_at')
      .limit(Math.min(filter.limit ?? 500, 5000));
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.category) q = q.where('category', '=', filter.category);
    if (filter.owner) q = q.where('owner', '=', filter.owner);
    if (filter.partner) q = q.where('partner', '=', filter.partner);
    if (filter.warehouse) q = q.where('warehouse', '=', filter.warehouse);
    if (filter.channel) q = q.where('channel', '=', filter.channel);
    if (filter.subject) q = q.where('subject', '=', filter.subject);
    if (filter.overdueOnly) q = q.where('status', '=', 'open').where('due_at', '<', this.clock.now());
    if (filter.severity) q = q.where('severity', '=', filter.severity);
    if (filter.categoryPrefix) q = q.where('category', 'like', `${filter.categoryPrefix.replace(/[%_]/g, '')}%`);
    if (filter.offset) q = q.offset(filter.offset);
    return (await q.execute()).map((r) => this.view(r));
  }

  /** Open exceptions counted by one dimension (for dashboards). Exceptions without a value count under `(none)`. */
  async openCountsBy(
    dimension: 'category' | 'owner' | 'partner' | 'warehouse' | 'channel' | 'severity',
  ): Promise<Array<{ key: string; open: number; overdue: number }>> {
    const now = this.clock.now();
    const rows = await this.store.db.selectFrom('exceptions').select([dimension, 'due_at']).where('status', '=', 'open').execute();
    const out = new Map<string, { key: string; open: number; overdue: number }>();
    for (const r of rows) {
      const key = r[dimension] ?? '(none)';
      const c = out.get(key) ?? { key, open: 0, overdue: 0 };
      c.open += 1;
      if (r.due_at !== null && r.due_at < now) c.overdue += 1;
      out.set(key, c);
    }
    return [...out.values()].sort((a, b) => b.open - a.open || a.key.localeCompare(b.key));
  }

  /** Open exceptions counted by category (for dashboards and metrics). */
  async countsByCategory(): Promise<Array<{ category: string; open: number; overdue: number }>> {
    const now = this.clock.now();
    const rows = await this.store.db.selectFrom('exceptions').select(['category', 'due_at']).where('status', '=', 'open').execute();
    const out = new Map<string, { category: string; open: number; overdue: number }>();
    for (const r of rows) {
      const c = out.get(r.category) ?? { category: r.category, open: 0, overdue: 0 };
      c.open += 1;
      if (r.due_at !== null && r.due_at < now) c.overdue += 1;
      out.set(r.category, c);
    }
    return [...out.values()].sort((a, b) => a.category.localeCompare(b.category));
  }

  private async close(t: Tx, id: string, reason: string, by: string): Promise<void> {
    const now = this.clock.now();
    await t.db
      .updateTable('exceptions')
      .set({ status: 'resolved', open_key: null, resolved_at: now, resolution: reason, resolved_by: by, updated_at: now })
      .where('id', '=', id)
      .execute();
    await this.history(t, id, by, 'resolved', reason);
  }

  private async history(t: Tx, id: string, actor: string, action: string, note: string | null): Promise<void> {
    const last = await t.db
      .selectFrom('exception_history')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('exception_id', '=', id)
      .executeTakeFirst();
    await t.db
      .insertInto('exception_history')
      .values({ exception_id: id, seq: Number(last?.seq ?? 0) + 1, at: this.clock.now(), actor, action, note })
      .execute();
  }

  private async rowById(db: Tx['db'], id: string) {
    const row = await db.selectFrom('exceptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw ExceptionErrors.notFound(`no exception ${id}`, { path: 'id' });
    return row;
  }

  private view(r: NonNullable<Row>): ExceptionView {
    const now = this.clock.now();
    return {
      id: r.id,
      category: r.category,
      severity: Severity.catch('medium').parse(r.severity),
      status: r.status === 'resolved' ? 'resolved' : 'open',
      title: r.title,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      source: r.source,
      subject: r.subject,
      partner: r.partner,
      warehouse: r.warehouse,
      channel: r.channel,
      owner: r.owner,
      occurrences: r.occurrences,
      actions: z.array(ExceptionAction).catch([]).parse(JSON.parse(r.actions)),
      correlationid: r.correlationid,
      openedAt: r.opened_at,
      dueAt: r.due_at,
      ageMs: (r.resolved_at ?? now) - r.opened_at,
      overdue: r.status === 'open' && r.due_at !== null && r.due_at < now,
      resolvedAt: r.resolved_at,
      resolution: r.resolution,
      resolvedBy: r.resolved_by,
    };
  }
}
