import { CompiledQuery } from 'kysely';
import type { Clock, CrossdockError } from '../../../kernel/index.js';
import type { Store, Tx } from '../../../store/index.js';
import { partitionFor } from '../../partition.js';
import { JetStreamErrors } from './errors.js';

export interface LeaseRow {
  partition: number;
  owner: string | null;
  epoch: number;
}

const SQL = {
  // FOR SHARE: a takeover (UPDATE of the row) waits for this transaction to end, and this one waits
  // for a takeover in progress; either way a former owner's transaction cannot commit after it.
  check: 'SELECT epoch FROM el_leases WHERE "group" = ? AND topic = ? AND "partition" = ? AND owner = ? AND epoch = ? FOR SHARE',
  // A lease is free when nobody holds it, or its owner's heartbeat for this subscription is stale.
  claim:
    'UPDATE el_leases SET owner = ?, epoch = epoch + 1, acquired_at = ? ' +
    'WHERE "group" = ? AND topic = ? AND "partition" = ? AND (owner IS NULL OR owner = ? OR NOT EXISTS (' +
    'SELECT 1 FROM el_members m WHERE m."group" = el_leases."group" AND m.topic = el_leases.topic ' +
    'AND m.process_id = el_leases.owner AND m.heartbeat_at > ?)) RETURNING epoch',
  release: 'UPDATE el_leases SET owner = NULL WHERE "group" = ? AND topic = ? AND "partition" = ? AND owner = ? AND epoch = ?',
  // A rebalance round's reads and its heartbeat in one statement (PostgreSQL placeholders: it runs
  // outside a transaction). The member list is read from the snapshot before the heartbeat; the
  // caller counts itself live in any case.
  round:
    'WITH beat AS (' +
    'INSERT INTO el_members ("group", topic, process_id, heartbeat_at, started_at) VALUES ($1, $2, $3, $4, $4) ' +
    'ON CONFLICT ("group", topic, process_id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at RETURNING process_id' +
    ') ' +
    'SELECT \'m\' AS kind, process_id AS owner, CAST(NULL AS integer) AS "partition", CAST(NULL AS bigint) AS epoch FROM el_members ' +
    'WHERE "group" = $1 AND topic = $2 AND heartbeat_at > $5 ' +
    'UNION ALL SELECT \'l\', owner, "partition", epoch FROM el_leases WHERE "group" = $1 AND topic = $2 ' +
    "UNION ALL SELECT 'b', process_id, NULL, NULL FROM beat",
} as const;

/**
 * Partition ownership across processes, kept in PostgreSQL.
 *
 * A process heartbeats one row per subscription it runs (el_members); its leases are valid while
 * that heartbeat is younger than the TTL, so renewal costs one write per subscription per tick and
 * never waits on a handler's lock of a lease row. Claiming bumps the lease's epoch; every consumer
 * transaction checks (owner, epoch) under FOR SHARE before it commits (fencing).
 */
export class Leases {
  constructor(
    private readonly store: Store,
    readonly processId: string,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async join(group: string, topic: string, partitions: number): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      await tx.db
        .insertInto('el_leases')
        .values(Array.from({ length: partitions }, (_, partition) => ({ group, topic, partition, owner: null, epoch: 0, acquired_at: 0 })))
        .onConflict((oc) => oc.columns(['group', 'topic', 'partition']).doNothing())
        .execute();
      await tx.db
        .insertInto('el_members')
        .values({ group, topic, process_id: this.processId, heartbeat_at: now, started_at: now })
        .onConflict((oc) => oc.columns(['group', 'topic', 'process_id']).doUpdateSet({ heartbeat_at: now }))
        .execute();
    });
  }

  async heartbeat(group: string, topic: string): Promise<void> {
    const now = this.clock.now();
    await this.store.db
      .insertInto('el_members')
      .values({ group, topic, process_id: this.processId, heartbeat_at: now, started_at: now })
      .onConflict((oc) => oc.columns(['group', 'topic', 'process_id']).doUpdateSet({ heartbeat_at: now }))
      .execute();
  }

  /**
   * Heartbeats, then returns what a rebalance needs: the members with a live heartbeat (sorted,
   * this process included) and the leases (by partition). One round trip instead of three.
   */
  async round(group: string, topic: string): Promise<{ live: string[]; leases: LeaseRow[] }> {
    const now = this.clock.now();
    const { rows } = await this.store.db.executeQuery<{
      kind: 'm' | 'l' | 'b';
      owner: string | null;
      partition: number | null;
      epoch: number | null;
    }>(CompiledQuery.raw(SQL.round, [group, topic, this.processId, now, now - this.ttlMs]));
    const live = new Set<string>([this.processId]);
    const leases: LeaseRow[] = [];
    for (const r of rows) {
      if (r.kind === 'm' && r.owner !== null) live.add(r.owner);
      else if (r.kind === 'l' && r.partition !== null) leases.push({ partition: r.partition, owner: r.owner, epoch: Number(r.epoch) });
    }
    leases.sort((a, b) => a.partition - b.partition);
    return { live: [...live].sort(), leases };
  }

  /** Takes the lease if it is free or its owner is gone; returns the new epoch, or undefined. */
  async claim(group: string, topic: string, partition: number): Promise<number | undefined> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      // A former owner stopped inside a transaction holds the row; do not wait for it forever.
      await tx.run(`SET LOCAL lock_timeout = ${Math.max(100, Math.round(this.ttlMs))}`, []);
      const rows = await tx.all<{ epoch: number }>(SQL.claim, [
        this.processId,
        now,
        group,
        topic,
        partition,
        this.processId,
        now - this.ttlMs,
      ]);
      return rows[0] ? Number(rows[0].epoch) : undefined;
    });
  }

  async release(group: string, topic: string, partition: number, epoch: number): Promise<void> {
    await this.store.transaction((tx) => tx.run(SQL.release, [group, topic, partition, this.processId, epoch]));
  }

  /** Leaves the subscription: others see this process gone at once instead of after the TTL. */
  async leave(group: string, topic: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.db
        .updateTable('el_leases')
        .set({ owner: null })
        .where('group', '=', group)
        .where('topic', '=', topic)
        .where('owner', '=', this.processId)
        .execute();
      await tx.db
        .deleteFrom('el_members')
        .where('group', '=', group)
        .where('topic', '=', topic)
        .where('process_id', '=', this.processId)
        .execute();
    });
  }

  /** Fencing: throws CD_ERR_EVENTLOG_LEASE_LOST unless this process still holds the lease at `epoch`. */
  async check(tx: Tx, group: string, topic: string, partition: number, epoch: number): Promise<void> {
    const rows = await tx.all<{ epoch: number }>(SQL.check, [group, topic, partition, this.processId, epoch]);
    if (rows.length === 0) throw this.lost(group, topic, partition, epoch);
  }

  /** The CD_ERR_EVENTLOG_LEASE_LOST a fencing check raises. */
  lost(group: string, topic: string, partition: number, epoch: number): CrossdockError {
    return JetStreamErrors.leaseLost(`${this.processId} no longer owns ${group}/${topic}/${partition} at epoch ${epoch}`, {
      group,
      topic,
      partition,
      epoch,
    });
  }
}

/**
 * Which live member should own a partition: members sorted, partitions dealt round-robin from an
 * offset that depends on the subscription, so several groups do not all land on the same process.
 */
export function desiredOwner(members: readonly string[], group: string, topic: string, partition: number): string | undefined {
  if (members.length === 0) return undefined;
  const rotation = partitionFor(`${group}\u0000${topic}`, members.length);
  return members[(partition + rotation) % members.length];
}
