import type { ExceptionQueue } from '../../domains/exceptions/index.js';
import { type Clock, newId, systemClock } from '../../kernel/index.js';
import type { ObsSlaClockTable, Store, Tx } from '../../store/index.js';
import type { EntityKind, SlaRule } from '../config.js';
import { at } from '../timelines/fields.js';
import type { RecordedMilestone } from '../timelines/timelines.js';

/** An SLA clock as the console shows it. */
export interface SlaClockView {
  id: string;
  rule: string;
  kind: EntityKind;
  entityId: string;
  target: string;
  partner: string | null;
  channel: string | null;
  warehouse: string | null;
  startedAt: string;
  dueAt: string;
  status: 'running' | 'met' | 'breached';
  metAt: string | null;
  breachedAt: string | null;
  exceptionId: string | null;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

/** The exception category of a breach: `sla.order.accepted`. */
export function breachCategory(kind: string, target: string): string {
  return `sla.${kind}.${target}`;
}

/** The cause key of a clock's breach exception; the clock closes it when its target finally arrives. */
export function breachKey(clockId: string): string {
  return `sla:${clockId}`;
}

function specificity(r: SlaRule): number {
  return (r.partner ? 1 : 0) + (r.channel ? 1 : 0) + (r.warehouse ? 1 : 0);
}

/**
 * SLA clocks: a milestone starts the clocks of the rules it begins, and stops those it ends. Clocks
 * live in the store, so they survive restarts; `tick` (run by one leader across the cluster) marks
 * the overdue ones breached and raises one exception each, which closes itself when the late
 * milestone arrives.
 */
export class SlaClocks {
  private rules: SlaRule[];
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    private readonly exceptions: ExceptionQueue,
    options: { rules: SlaRule[]; clock?: Clock; onBreach?: (c: SlaClockView) => void },
  ) {
    this.rules = options.rules;
    this.clock = options.clock ?? systemClock;
    this.onBreach = options.onBreach;
  }

  private readonly onBreach: ((c: SlaClockView) => void) | undefined;

  /** The configured rules. */
  listRules(): readonly SlaRule[] {
    return this.rules;
  }

  /** The rules that apply to an entity for a start milestone: the most specific per target. */
  rulesFor(m: Pick<RecordedMilestone, 'kind' | 'milestone' | 'partner' | 'channel' | 'warehouse'>): SlaRule[] {
    const matching = this.rules.filter(
      (r) =>
        r.kind === m.kind &&
        r.from === m.milestone &&
        (r.partner === undefined || r.partner === m.partner) &&
        (r.channel === undefined || r.channel === m.channel) &&
        (r.warehouse === undefined || r.warehouse === m.warehouse),
    );
    const best = new Map<string, SlaRule>();
    for (const r of matching) {
      const current = best.get(r.to);
      if (!current || specificity(r) > specificity(current)) best.set(r.to, r);
    }
    return [...best.values()];
  }

  /** Starts and stops clocks for freshly recorded milestones (in the projection's transaction). */
  async onMilestones(recorded: readonly RecordedMilestone[], tx: Tx): Promise<void> {
    for (const m of recorded) {
      await this.stop(m, tx);
      for (const rule of this.rulesFor(m)) await this.start(rule, m, tx);
    }
  }

  private async stop(m: RecordedMilestone, tx: Tx): Promise<void> {
    const clocks = await tx.db
      .selectFrom('obs_sla_clocks')
      .selectAll()
      .where('kind', '=', m.kind)
      .where('entity_id', '=', m.id)
      .where('to_milestone', '=', m.milestone)
      .where('met_at', 'is', null)
      .execute();
    const now = this.clock.now();
    for (const c of clocks) {
      await tx.db
        .updateTable('obs_sla_clocks')
        .set({ status: c.status === 'breached' ? 'breached' : 'met', met_at: m.at, updated_at: now })
        .where('id', '=', c.id)
        .execute();
      if (c.status === 'breached') {
        const late = Math.max(0, m.at - Number(c.due_at));
        await this.exceptions.clear(
          breachKey(c.id),
          `${m.milestone} reached at ${new Date(m.at).toISOString()}, ${Math.round(late / 1000)} s late`,
          tx,
        );
      }
    }
  }

  private async start(rule: SlaRule, m: RecordedMilestone, tx: Tx): Promise<void> {
    const reached = await tx.db
      .selectFrom('obs_milestones')
      .select('event_id')
      .where('kind', '=', m.kind)
      .where('entity_id', '=', m.id)
      .where('milestone', '=', rule.to)
      .executeTakeFirst();
    if (reached) return;
    let due: number | undefined;
    if (rule.deadlineField !== undefined) {
      const value = at(m.data, rule.deadlineField);
      const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (!Number.isNaN(parsed)) due = parsed;
    }
    if (due === undefined && rule.within !== undefined) due = m.at + rule.within;
    if (due === undefined) return;
    const now = this.clock.now();
    await tx.db
      .insertInto('obs_sla_clocks')
      .values({
        id: newId(now),
        rule: rule.id,
        kind: m.kind,
        entity_id: m.id,
        to_milestone: rule.to,
        partner: m.partner,
        channel: m.channel,
        warehouse: m.warehouse,
        started_at: m.at,
        due_at: due,
        status: 'running',
        met_at: null,
        breached_at: null,
        exception_id: null,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['rule', 'kind', 'entity_id']).doNothing())
      .execute();
  }

  /** Marks overdue clocks breached and raises their exceptions; returns how many breached. */
  async tick(limit = 500): Promise<number> {
    const now = this.clock.now();
    const due = await this.store.db
      .selectFrom('obs_sla_clocks')
      .selectAll()
      .where('status', '=', 'running')
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)
      .execute();
    let breached = 0;
    for (const c of due) {
      const view = await this.store.transaction(async (tx) => {
        const r = await tx.db
          .updateTable('obs_sla_clocks')
          .set({ status: 'breached', breached_at: now, updated_at: now })
          .where('id', '=', c.id)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return undefined;
        const rule = this.rules.find((x) => x.id === c.rule);
        const entity = await tx.db
          .selectFrom('obs_entities')
          .select('label')
          .where('kind', '=', c.kind)
          .where('id', '=', c.entity_id)
          .executeTakeFirst();
        const name = entity?.label ?? c.entity_id;
        const raised = await this.exceptions.raise(
          {
            category: breachCategory(c.kind, c.to_milestone),
            title: `${c.kind} ${name}: not ${c.to_milestone} by ${new Date(Number(c.due_at)).toISOString()} (SLA ${c.rule})`,
            detail: { rule: c.rule, startedAt: iso(c.started_at), dueAt: iso(c.due_at), kind: c.kind, id: c.entity_id },
            severity: rule?.severity ?? 'high',
            source: 'observability/sla',
            subject: `${c.kind}/${c.entity_id}`,
            dedupeKey: breachKey(c.id),
            ...(c.partner ? { partner: c.partner } : {}),
            ...(c.warehouse ? { warehouse: c.warehouse } : {}),
            ...(c.channel ? { channel: c.channel } : {}),
            ...(rule?.resolveWithin ? { dueInMs: rule.resolveWithin } : {}),
          },
          tx,
        );
        await tx.db.updateTable('obs_sla_clocks').set({ exception_id: raised.id }).where('id', '=', c.id).execute();
        return this.view({ ...c, status: 'breached', breached_at: now, exception_id: raised.id });
      });
      if (view) {
        breached += 1;
        this.onBreach?.(view);
      }
    }
    return breached;
  }

  /** Clocks of an entity, or all clocks in a status. */
  async list(
    filter: { kind?: EntityKind; id?: string; status?: 'running' | 'met' | 'breached'; limit?: number } = {},
  ): Promise<SlaClockView[]> {
    let q = this.store.db
      .selectFrom('obs_sla_clocks')
      .selectAll()
      .orderBy('due_at')
      .limit(Math.min(filter.limit ?? 200, 2000));
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.id) q = q.where('entity_id', '=', filter.id);
    if (filter.status) q = q.where('status', '=', filter.status);
    return (await q.execute()).map((r) => this.view(r));
  }

  private view(r: Omit<ObsSlaClockTable, 'updated_at'>): SlaClockView {
    return {
      id: r.id,
      rule: r.rule,
      kind: r.kind === 'purchaseorder' || r.kind === 'return' ? r.kind : 'order',
      entityId: r.entity_id,
      target: r.to_milestone,
      partner: r.partner,
      channel: r.channel,
      warehouse: r.warehouse,
      startedAt: iso(r.started_at) ?? '',
      dueAt: iso(r.due_at) ?? '',
      status: r.status === 'met' || r.status === 'breached' ? r.status : 'running',
      metAt: iso(r.met_at),
      breachedAt: iso(r.breached_at),
      exceptionId: r.exception_id,
    };
  }
}
