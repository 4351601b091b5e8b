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

// Raw statements in store transactions: order-to-cash resolves and links a customer per order, and
// on SQLite a transaction shares its COMMIT with whatever else is queued (ADR 8).
const SQL = {
  canonicalId: 'SELECT canonical_id FROM md_xref WHERE kind = ? AND system = ? AND system_id = ?',
  systemId: 'SELECT system_id FROM md_xref WHERE kind = ? AND canonical_id = ? AND system = ?',
  refs: 'SELECT system, system_id FROM md_xref WHERE kind = ? AND canonical_id = ?',
  insertLink: 'INSERT INTO md_xref (kind, system, system_id, canonical_id, updated_at) VALUES (?, ?, ?, ?, ?)',
  record: 'SELECT version, source FROM md_records WHERE kind = ? AND canonical_id = ?',
  recordData: 'SELECT data, source, version FROM md_records WHERE kind = ? AND canonical_id = ?',
  updateRecord: 'UPDATE md_records SET data = ?, source = ?, version = ?, updated_at = ? WHERE kind = ? AND canonical_id = ?',
  insertRecord: 'INSERT INTO md_records (kind, canonical_id, data, source, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
} as const;

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

  /** Runs several reads and writes of the cross-reference in one store transaction (pass `tx` to each). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.transaction(fn);
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
      const [bySystemId] = await t.all<{ canonical_id: string }>(SQL.canonicalId, [link.kind, link.system, link.systemId]);
      if (bySystemId) {
        if (bySystemId.canonical_id === link.canonicalId) return { created: false };
        throw MasterDataErrors.conflict(
          `${link.kind} ${link.system}:${link.systemId} is bound to ${bySystemId.canonical_id}, not ${link.canonicalId}`,
          { path: 'systemId', bound: bySystemId.canonical_id },
        );
      }
      const [byCanonical] = await t.all<{ system_id: string }>(SQL.systemId, [link.kind, link.canonicalId, link.system]);
      if (byCanonical)
        throw MasterDataErrors.conflict(
          `${link.kind} ${link.canonicalId} already has ${link.system} id ${byCanonical.system_id}, not ${link.systemId}`,
          { path: 'canonicalId', bound: byCanonical.system_id },
        );
      await t.run(SQL.insertLink, [link.kind, link.system, link.systemId, link.canonicalId, this.clock.now()]);
      return { created: true };
    }, tx);
  }

  /** The canonical id a system's id stands for. */
  async canonicalId(kind: ObjectKind, system: string, systemId: string, tx?: Tx): Promise<string | undefined> {
    const rows = await this.store.transaction((t) => t.all<{ canonical_id: string }>(SQL.canonicalId, [kind, system, systemId]), tx);
    return rows[0]?.canonical_id;
  }

  /** The id a system knows a canonical object by. */
  async systemId(kind: ObjectKind, canonicalId: string, system: string, tx?: Tx): Promise<string | undefined> {
    const rows = await this.store.transaction((t) => t.all<{ system_id: string }>(SQL.systemId, [kind, canonicalId, system]), tx);
    return rows[0]?.system_id;
  }

  /** Every system's id of a canonical object: `{ netsuite: '123', shopify: '456' }`. */
  async refs(kind: ObjectKind, canonicalId: string, tx?: Tx): Promise<Record<string, string>> {
    const rows = await this.store.transaction((t) => t.all<{ system: string; system_id: string }>(SQL.refs, [kind, canonicalId]), tx);
    return Object.fromEntries(rows.map((r) => [r.system, r.system_id]));
  }

  /** The first canonical id any of `refs` resolves to (refs as carried by canonical objects). */
  async resolveRefs(kind: ObjectKind, refs: Readonly<Record<string, string>>, tx?: Tx): Promise<string | undefined> {
    for (const [system, systemId] of Object.entries(refs)) {
      const found = await this.canonicalId(kind, system, systemId, tx);
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
      const [found] = await t.all<{ version: number | string; source: string }>(SQL.record, [kind, canonicalId]);
      const existing = found ? { version: Number(found.version), source: found.source } : undefined;
      const owner = rule === undefined || rule.system === source || rule.acceptFrom.includes(source);
      if (existing && !owner && existing.source !== source)
        throw MasterDataErrors.notOwner(`${source} may not change ${kind} ${canonicalId}: ${rule?.system} is its system of record`, {
          owner: rule?.system,
        });
      const version = (existing?.version ?? 0) + 1;
      const now = this.clock.now();
      const json = JSON.stringify(data);
      if (existing) await t.run(SQL.updateRecord, [json, source, version, now, kind, canonicalId]);
      else await t.run(SQL.insertRecord, [kind, canonicalId, json, source, version, now]);
      return { kind, canonicalId, data, source, version };
    }, tx);
  }

  /** A canonical record, parsed by the caller's parser (a zod schema's `parse`). */
  async get<T>(kind: ObjectKind, canonicalId: string, parse: (value: unknown) => T, tx?: Tx): Promise<MasterRecord<T> | undefined> {
    const rows = await this.store.transaction(
      (t) => t.all<{ data: string; source: string; version: number | string }>(SQL.recordData, [kind, canonicalId]),
      tx,
    );
    const row = rows[0];
    if (!row) return undefined;
    return { kind, canonicalId, data: parse(JSON.parse(row.data)), source: row.source, version: Number(row.version) };
  }
}
