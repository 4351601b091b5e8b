import type { Envelope } from '../../canonical/index.js';
import type { Store, Tx } from '../../store/index.js';
import type { EntityKind } from '../config.js';
import { type ExtractedMilestone, extractMilestones } from './milestones.js';

/** One step of an entity's journey as the console shows it. */
export interface MilestoneView {
  milestone: string;
  system: string;
  at: string;
  /** Milliseconds since the previous milestone of this entity; null for the first. */
  latencyMs: number | null;
  eventType: string;
  eventId: string;
  correlationid: string | null;
  detail: Record<string, unknown>;
}

/** An order, purchase order or return with every milestone recorded for it, oldest first. */
export interface TimelineView {
  kind: EntityKind;
  id: string;
  label: string | null;
  partner: string | null;
  channel: string | null;
  warehouse: string | null;
  correlationid: string | null;
  lastMilestone: string;
  milestones: MilestoneView[];
  keys: Array<{ type: string; value: string }>;
}

/** A search hit: an entity one of whose business keys equals the searched value. */
export interface SearchHit {
  kind: EntityKind;
  id: string;
  label: string | null;
  matchedKey: string;
  lastMilestone: string;
  lastAt: string;
}

/** What was recorded for one entity (the SLA clocks start and stop on these). */
export interface RecordedMilestone {
  kind: EntityKind;
  id: string;
  milestone: string;
  at: number;
  partner: string | null;
  channel: string | null;
  warehouse: string | null;
  /** The event's data, for deadline fields (requestedDeliveryDate…). */
  data: unknown;
}

function toKind(kind: string): EntityKind {
  return kind === 'purchaseorder' || kind === 'return' ? kind : 'order';
}

function parseDetail(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
}

/**
 * The timeline projection's store: entities, their milestones and an index of every business key
 * they are known by. Recording is idempotent per (entity, event), so replaying the log is harmless.
 */
export class TimelineService {
  constructor(private readonly store: Store) {}

  /** Records the milestones an event marks, inside the consumer's transaction. */
  async record(envelope: Envelope, tx: Tx): Promise<RecordedMilestone[]> {
    const out: RecordedMilestone[] = [];
    for (const m of extractMilestones(envelope)) {
      const recorded = await this.recordOne(envelope, m, tx);
      if (recorded) out.push(recorded);
    }
    return out;
  }

  private async recordOne(envelope: Envelope, m: ExtractedMilestone, tx: Tx): Promise<RecordedMilestone | undefined> {
    const kind = m.entity.kind;
    let id: string;
    if ('id' in m.entity) id = m.entity.id;
    else {
      const hit = await tx.db
        .selectFrom('obs_keys')
        .select('entity_id')
        .where('value', '=', m.entity.key)
        .where('kind', '=', kind)
        .executeTakeFirst();
      // Not seen yet: the key stands in as the id until the entity's own events arrive.
      id = hit?.entity_id ?? m.entity.key;
    }
    const inserted = await tx.db
      .insertInto('obs_milestones')
      .values({
        kind,
        entity_id: id,
        event_id: envelope.id,
        milestone: m.milestone,
        system: m.system,
        at: m.at,
        event_type: envelope.type,
        source: envelope.source,
        correlationid: envelope.correlationid,
        partner: m.partner ?? null,
        channel: m.channel ?? null,
        warehouse: m.warehouse ?? null,
        detail: JSON.stringify(m.detail),
      })
      .onConflict((oc) => oc.columns(['kind', 'entity_id', 'event_id', 'milestone']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return undefined;

    await tx.db
      .insertInto('obs_entities')
      .values({
        kind,
        id,
        label: m.label ?? null,
        partner: m.partner ?? null,
        channel: m.channel ?? null,
        warehouse: m.warehouse ?? null,
        correlationid: envelope.correlationid,
        first_at: m.at,
        last_at: m.at,
        last_milestone: m.milestone,
      })
      .onConflict((oc) => oc.columns(['kind', 'id']).doNothing())
      .execute();
    const entity = await tx.db
      .selectFrom('obs_entities')
      .selectAll()
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const later = m.at >= entity.last_at;
    await tx.db
      .updateTable('obs_entities')
      .set({
        label: entity.label ?? m.label ?? null,
        partner: entity.partner ?? m.partner ?? null,
        channel: entity.channel ?? m.channel ?? null,
        warehouse: entity.warehouse ?? m.warehouse ?? null,
        first_at: Math.min(entity.first_at, m.at),
        last_at: Math.max(entity.last_at, m.at),
        last_milestone: later ? m.milestone : entity.last_milestone,
      })
      .where('kind', '=', kind)
      .where('id', '=', id)
      .execute();
    const keys = [{ type: 'id', value: id }, ...m.keys];
    for (const k of keys) {
      await tx.db
        .insertInto('obs_keys')
        .values({ value: k.value, kind, entity_id: id, key_type: k.type })
        .onConflict((oc) => oc.columns(['value', 'kind', 'entity_id', 'key_type']).doNothing())
        .execute();
    }
    return {
      kind,
      id,
      milestone: m.milestone,
      at: m.at,
      partner: entity.partner ?? m.partner ?? null,
      channel: entity.channel ?? m.channel ?? null,
      warehouse: entity.warehouse ?? m.warehouse ?? null,
      data: envelope.data,
    };
  }

  /** An order's timeline by its id (or, failing that, by any of its business keys). */
  async forOrder(idOrKey: string): Promise<TimelineView | undefined> {
    return this.forEntity('order', idOrKey);
  }

  async forEntity(kind: EntityKind, idOrKey: string): Promise<TimelineView | undefined> {
    let entity = await this.store.db
      .selectFrom('obs_entities')
      .selectAll()
      .where('kind', '=', kind)
      .where('id', '=', idOrKey)
      .executeTakeFirst();
    if (!entity) {
      const hit = await this.store.db
        .selectFrom('obs_keys')
        .select('entity_id')
        .where('value', '=', idOrKey)
        .where('kind', '=', kind)
        .executeTakeFirst();
      if (!hit) return undefined;
      entity = await this.store.db
        .selectFrom('obs_entities')
        .selectAll()
        .where('kind', '=', kind)
        .where('id', '=', hit.entity_id)
        .executeTakeFirst();
      if (!entity) return undefined;
    }
    const rows = await this.store.db
      .selectFrom('obs_milestones')
      .selectAll()
      .where('kind', '=', kind)
      .where('entity_id', '=', entity.id)
      .orderBy('at')
      .orderBy('event_id')
      .execute();
    const keys = await this.store.db
      .selectFrom('obs_keys')
      .select(['key_type', 'value'])
      .where('kind', '=', kind)
      .where('entity_id', '=', entity.id)
      .orderBy('key_type')
      .execute();
    let previous: number | undefined;
    const milestones = rows.map((r) => {
      const view: MilestoneView = {
        milestone: r.milestone,
        system: r.system,
        at: new Date(Number(r.at)).toISOString(),
        latencyMs: previous === undefined ? null : Number(r.at) - previous,
        eventType: r.event_type,
        eventId: r.event_id,
        correlationid: r.correlationid,
        detail: parseDetail(r.detail),
      };
      previous = Number(r.at);
      return view;
    });
    return {
      kind,
      id: entity.id,
      label: entity.label,
      partner: entity.partner,
      channel: entity.channel,
      warehouse: entity.warehouse,
      correlationid: entity.correlationid,
      lastMilestone: entity.last_milestone,
      milestones,
      keys: keys.map((k) => ({ type: k.key_type, value: k.value })),
    };
  }

  /** Entities known by this exact business key (order number, channel id, ERP id, PO, tracking, EDI control number). */
  async search(key: string, limit = 50): Promise<SearchHit[]> {
    const value = key.trim();
    if (value.length === 0) return [];
    const rows = await this.store.db
      .selectFrom('obs_keys')
      .innerJoin('obs_entities', (j) =>
        j.onRef('obs_entities.kind', '=', 'obs_keys.kind').onRef('obs_entities.id', '=', 'obs_keys.entity_id'),
      )
      .select([
        'obs_keys.kind',
        'obs_keys.entity_id',
        'obs_keys.key_type',
        'obs_entities.label',
        'obs_entities.last_milestone',
        'obs_entities.last_at',
      ])
      .where('obs_keys.value', '=', value)
      .orderBy('obs_entities.last_at', 'desc')
      .limit(Math.min(limit, 500))
      .execute();
    const seen = new Set<string>();
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const k = `${r.kind}/${r.entity_id}`;
      if (seen.has(k)) continue;
      seen.add(k);
      hits.push({
        kind: toKind(r.kind),
        id: r.entity_id,
        label: r.label,
        matchedKey: r.key_type,
        lastMilestone: r.last_milestone,
        lastAt: new Date(Number(r.last_at)).toISOString(),
      });
    }
    return hits;
  }

  /** The most recently active entities (the console's landing list). */
  async recent(kind: EntityKind, limit = 50): Promise<SearchHit[]> {
    const rows = await this.store.db
      .selectFrom('obs_entities')
      .selectAll()
      .where('kind', '=', kind)
      .orderBy('last_at', 'desc')
      .limit(Math.min(limit, 500))
      .execute();
    return rows.map((r) => ({
      kind,
      id: r.id,
      label: r.label,
      matchedKey: 'id',
      lastMilestone: r.last_milestone,
      lastAt: new Date(Number(r.last_at)).toISOString(),
    }));
  }
}
