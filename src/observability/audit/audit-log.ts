import { createHash } from 'node:crypto';
import { type Clock, defineError, newId, systemClock } from '../../kernel/index.js';
import type { AuditLogTable, Store, Tx } from '../../store/index.js';
import { canonicalJson, digestOf } from './digest.js';

export const AuditErrors = {
  broken: defineError('CD_ERR_AUDIT_CHAIN_BROKEN', { class: 'permanent', title: 'The audit chain does not verify' }),
  bad: defineError('CD_ERR_AUDIT_ENTRY', { class: 'permanent', title: 'Audit entry is not valid' }),
} as const;

/** The `prev_hash` of the first row. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** One change to record. `before`/`after` are digested (never stored); pass digests directly if you have them. */
export interface AuditEntry {
  /** Who: `partner:acme`, `user:alice`, `cli:root`, `system:order-to-cash`. */
  actor: string;
  /** What: `order.create`, `apikey.revoke`, `POST /v1/orders`. */
  action: string;
  /** Which resource: `orders/SO-1001`, `partners/acme/keys/abc123`. */
  resource: string;
  before?: unknown;
  after?: unknown;
  beforeDigest?: string;
  afterDigest?: string;
  /** Small facts (status code, changed field names); no personal data, no secrets. */
  detail?: Record<string, unknown>;
  correlationid?: string;
}

export interface AuditRecord {
  seq: number;
  id: string;
  at: number;
  actor: string;
  action: string;
  resource: string;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: Record<string, unknown>;
  correlationid: string | null;
  prevHash: string;
  hash: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows checked. */
  rows: number;
  /** The first row that does not verify, and why. */
  firstBad?: { seq: number; reason: string };
}

/** The hash a row must carry: over the previous hash and every recorded field, in a fixed order. */
export function rowHash(row: Omit<AuditLogTable, 'hash'>): string {
  const body = canonicalJson([
    row.seq,
    row.id,
    row.at,
    row.actor,
    row.action,
    row.resource,
    row.before_digest,
    row.after_digest,
    row.detail,
    row.correlationid,
  ]);
  return createHash('sha256').update(row.prev_hash).update('\n').update(body).digest('hex');
}

function toRecord(row: AuditLogTable): AuditRecord {
  let detail: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.detail);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) detail = Object.fromEntries(Object.entries(parsed));
  } catch {
    detail = { unreadable: row.detail };
  }
  return {
    seq: Number(row.seq),
    id: row.id,
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    resource: row.resource,
    beforeDigest: row.before_digest,
    afterDigest: row.after_digest,
    detail,
    correlationid: row.correlationid,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The audit log: who changed what, when, with digests of the before and after states. Append-only
 * and hash-chained: each row carries the hash of the one before it, so editing, removing or
 * reordering any row breaks every hash after it, which `verify()` reports.
 *
 * Appends take the chain head's row lock (an UPDATE of `audit_head`) inside the caller's
 * transaction: concurrent writers, in one process or many on PostgreSQL, queue on it and form one
 * chain, and an entry exists if and only if the change it records commits.
 */
export class AuditLog {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Appends an entry; with `tx`, as part of that transaction. */
  async record(entry: AuditEntry, tx?: Tx): Promise<AuditRecord> {
    if (!entry.actor || !entry.action || !entry.resource) throw AuditErrors.bad('an audit entry needs actor, action and resource');
    const beforeDigest = entry.beforeDigest ?? (entry.before !== undefined ? digestOf(entry.before) : null);
    const afterDigest = entry.afterDigest ?? (entry.after !== undefined ? digestOf(entry.after) : null);
    const detail = canonicalJson(entry.detail ?? {});
    return this.store.transaction(async (t) => {
      // The head row lock serialises appenders; RETURNING gives the new seq and the previous hash.
      const [head] = await t.all<{ seq: number | string; hash: string }>(
        'update audit_head set seq = seq + 1 where id = 1 returning seq, hash',
        [],
      );
      if (!head) throw AuditErrors.broken('the audit chain head is missing; the store was not migrated or was tampered with');
      const at = this.clock.now();
      const row: Omit<AuditLogTable, 'hash'> = {
        seq: Number(head.seq),
        id: newId(at),
        at,
        actor: entry.actor,
        action: entry.action,
        resource: entry.resource,
        before_digest: beforeDigest,
        after_digest: afterDigest,
        detail,
        correlationid: entry.correlationid ?? null,
        prev_hash: head.hash,
      };
      const hash = rowHash(row);
      await t.db
        .insertInto('audit_log')
        .values({ ...row, hash })
        .execute();
      await t.run('update audit_head set hash = ? where id = 1', [hash]);
      return toRecord({ ...row, hash });
    }, tx);
  }

  /** Entries, newest first, optionally for one resource or actor. */
  async list(filter: { resource?: string; actor?: string; beforeSeq?: number; limit?: number } = {}): Promise<AuditRecord[]> {
    let q = this.store.db.selectFrom('audit_log').selectAll();
    if (filter.resource !== undefined) q = q.where('resource', '=', filter.resource);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000))
      .execute();
    return rows.map(toRecord);
  }

  /**
   * Walks the whole chain in order: sequence numbers must run 1, 2, 3… without a gap, each row must
   * carry the previous row's hash and its own hash must match its content, and the head must point at
   * the last row (so removing rows from the end is caught too). Stops at the first bad row.
   */
  async verify(options: { pageSize?: number } = {}): Promise<VerifyResult> {
    const pageSize = options.pageSize ?? 1000;
    let expectedSeq = 1;
    let prev = AUDIT_GENESIS;
    let rows = 0;
    for (;;) {
      const page = await this.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const raw of page) {
        const row = { ...raw, seq: Number(raw.seq), at: Number(raw.at) };
        if (row.seq !== expectedSeq) return { ok: false, rows, firstBad: { seq: expectedSeq, reason: `row ${expectedSeq} is missing` } };
        if (row.prev_hash !== prev) {
          return { ok: false, rows, firstBad: { seq: row.seq, reason: `row ${row.seq} does not carry the hash of row ${row.seq - 1}` } };
        }
        if (rowHash(row) !== row.hash) {
          return { ok: false, rows, firstBad: { seq: row.seq, reason: `row ${row.seq} was changed after it was written (hash mismatch)` } };
        }
        prev = row.hash;
        expectedSeq += 1;
        rows += 1;
      }
      if (page.length < pageSize) break;
    }
    const head = await this.store.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (!head) return { ok: false, rows, firstBad: { seq: expectedSeq, reason: 'the chain head is missing' } };
    if (Number(head.seq) !== rows || head.hash !== prev) {
      return {
        ok: false,
        rows,
        firstBad: { seq: rows + 1, reason: `the chain head names row ${head.seq} but the log ends at row ${rows}: rows were removed` },
      };
    }
    return { ok: true, rows };
  }
}
