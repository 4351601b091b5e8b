import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { MasterDataErrors } from './errors.js';
import type { ObjectKind, SystemOfRecordRule, SystemOfRecordRules } from './rules.js';

/** One system's id of a canonical object. */
export interface XrefLink {
  kind: ObjectKind;
  canonicalId: string;
  system: string;
  systemId: string;
}

/** A canonical master-data record with the system that last wrote it. */
export interface MasterRecord<T = unknown> {
  kind: ObjectKind;
  canonicalId: string;
  data: T;
  source: string;
  version: number;
}

/**
 * The master-data cross-reference (ARCHITECTURE §2 domains/masterdata): system ids <-> canonical ids
 * per object kind, and the canonical records under system-of-record rules. A system id belongs to
 * one canonical object; a canonical object has at most one id per system.
 */
export class MasterData {
  private readonly clock: Clock;
  private rules: SystemOfRecordRules;

  constructor(
    private readonly store: Store,
    options: { rules?: SystemOfRecordRules; clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.rules = options.rules ?? {};
  }

  /** The rule of a kind, or undefined when no system owns it (crossdock keeps it). */
  ruleFor(kind: ObjectKind): SystemOfRecordRule | undefined {
    return this.rules[kind];
  }

  setRules(rules: SystemOfRecordRules): void {
    this.rules = rules;
  }

  /**
   * Binds a system id to a canonical id. Repeating the same link is harmless; binding a system id
   * that already names another object, or a second id of the same system, is a conflict.
   */
  async link(link: XrefLink, tx?: Tx): Promise<{ created: boolean }> {
    if (!link.canonicalId || !link.system || !link.systemId)
      throw MasterDataErrors.invalid('a link needs canonicalId, system and systemId');
    return this.store.transaction(async (t) => {
      const bySystemId = await t.db
        .selectFrom('md_xref')
        .select('canonical_id')
        .where('kind', '=', link.kind)
        .where('system', '=', link.system)
        .where('system_id', '=', link.systemId)
        .executeTakeFirst();
      if (bySystemId) {
        if (bySystemId.canonical_id === link.canonicalId) return { created: false };
        throw MasterDataErrors.conflict(
          `${link.kind} ${link.system}:${link.systemId} is bound to ${bySystemId.canonical_id}, not ${link.canonicalId}`,
          { path: 'systemId', bound: bySystemId.canonical_id },
        );
      }
      const byCanonical = await t.db
        .selectFrom('md_xref')
        .select('system_id')
        .where('kind', '=', link.kind)
        .where('canonical_id', '=', link.canonicalId)
        .where('system', '=', link.system)
        .executeTakeFirst();
      if (byCanonical)
        throw MasterDataErrors.conflict(
          `${link.kind} ${link.canonicalId} already has ${link.system} id ${byCanonical.system_id}, not ${link.systemId}`,
          { path: 'canonicalId', bound: byCanonical.system_id },
        );
      await t.db
        .insertInto('md_xref')
        .values({
          kind: link.kind,
          system: link.system,
          system_id: link.systemId,
          canonical_id: link.canonicalId,
          updated_at: this.clock.now(),
        })
        .execute();
      return { created: true };
    }, tx);
  }

  /** The canonical id a system's id stands for. */
  async canonicalId(kind: ObjectKind, system: string, systemId: string): Promise<string | undefined> {
    const row = await this.store.db
      .selectFrom('md_xref')
      .select('canonical_id')
      .where('kind', '=', kind)
      .where('system', '=', system)
      .where('system_id', '=', systemId)
      .executeTakeFirst();
    return row?.canonical_id;
  }

  /** The id a system knows a canonical object by. */
  async systemId(kind: ObjectKind, canonicalId: string, system: string): Promise<string | undefined> {
    const row = await this.store.db
      .selectFrom('md_xref')
      .select('system_id')
      .where('kind', '=', kind)
      .where('canonical_id', '=', canonicalId)
      .where('system', '=', system)
      .executeTakeFirst();
    return row?.system_id;
  }

  /** Every system's id of a canonical object: `{ netsuite: '123', shopify: '456' }`. */
  async refs(kind: ObjectKind, canonicalId: string): Promise<Record<string, string>> {
    const rows = await this.store.db
      .selectFrom('md_xref')
      .select(['system', 'system_id'])
      .where('kind', '=', kind)
      .where('canonical_id', '=', canonicalId)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.system, r.system_id]));
  }

  /** The first canonical id any of `refs` resolves to (refs as carried by canonical objects). */
  async resolveRefs(kind: ObjectKind, refs: Readonly<Record<string, string>>): Promise<string | undefined> {
    for (const [system, systemId] of Object.entries(refs)) {
      const found = await this.canonicalId(kind, system, systemId);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Stores a canonical record written by `source`. The system of record (or a system it accepts)
   * replaces the record; a record crossdock created before the owner knew it may be replaced by
   * anyone; another system's write is refused (CD_ERR_MASTERDATA_NOT_OWNER, class business).
   */
  async put<T>(kind: ObjectKind, canonicalId: string, data: T, source: string, tx?: Tx): Promise<MasterRecord<T>> {
    const rule = this.ruleFor(kind);
    return this.store.transaction(async (t) => {
      const existing = await t.db
        .selectFrom('md_records')
        .select(['version', 'source'])
        .where('kind', '=', kind)
        .where('canonical_id', '=', canonicalId)
        .executeTakeFirst();
      const owner = rule === undefined || rule.system === source || rule.acceptFrom.includes(source);
      if (existing && !owner && existing.source !== source)
        throw MasterDataErrors.notOwner(`${source} may not change ${kind} ${canonicalId}: ${rule?.system} is its system of record`, {
          owner: rule?.system,
        });
      const version = (existing?.version ?? 0) + 1;
      const now = this.clock.now();
      const json = JSON.stringify(data);
      if (existing) {
        await t.db
          .updateTable('md_records')
          .set({ data: json, source, version, updated_at: now })
          .where('kind', '=', kind)
          .where('canonical_id', '=', canonicalId)
          .execute();
      } else {
        await t.db
          .insertInto('md_records')
          .values({ kind, canonical_id: canonicalId, data: json, source, version, updated_at: now })
          .execute();
      }
      return { kind, canonicalId, data, source, version };
    }, tx);
  }

  /** A canonical record, parsed by the caller's parser (a zod schema's `parse`). */
  async get<T>(kind: ObjectKind, canonicalId: string, parse: (value: unknown) => T): Promise<MasterRecord<T> | undefined> {
    const row = await this.store.db
      .selectFrom('md_records')
      .selectAll()
      .where('kind', '=', kind)
      .where('canonical_id', '=', canonicalId)
      .executeTakeFirst();
    if (!row) return undefined;
    return { kind, canonicalId, data: parse(JSON.parse(row.data)), source: row.source, version: row.version };
  }
}
