import { type Clock, CrossdockError, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';

export interface Binding {
  externalId: string;
  result: unknown;
}

export type StoredBinding = Binding & { status: string; externalKey: string };

export interface BindingKey {
  connector: string;
  instance: string;
  /** The external system's record type: `salesOrder`, `Account`, `sale.order`. */
  objectType: string;
  /** The crossdock id of the object being written. */
  canonicalId: string;
}

export interface IdempotentCreate<R> extends BindingKey {
  /**
   * The key the external system can find the record by: an external id field, the order number,
   * a client reference. Derived before the call, so a retry can always look the record up.
   */
  externalKey: string;
  /** Finds a record by externalKey in the external system (undefined when there is none). */
  lookup(externalKey: string): Promise<{ externalId: string; result: R } | undefined>;
  create(externalKey: string): Promise<{ externalId: string; result: R }>;
}

/**
 * The external-id bindings of connector writes (ARCHITECTURE §5.6). A create is made idempotent:
 * 1. a `bound` binding returns the saved result without calling the system;
 * 2. the binding is written `pending` (with its external key) before the create is sent;
 * 3. a `pending` binding found at the start means an earlier attempt may have committed remotely
 *    (timeout, crash): the record is looked up by its external key before anything is created;
 * 4. the result is saved with the binding, `bound`.
 * A timeout after the remote side committed therefore never produces a second record.
 */
export class Bindings {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  // Raw statements in store transactions: a create makes two (the read with its pending binding,
  // then the bound one), and on SQLite a transaction shares its COMMIT with whatever else is queued
  // (ADR 8) where a statement on `store.db` would commit alone.

  async get(key: BindingKey): Promise<StoredBinding | undefined> {
    return this.store.transaction((tx) => this.read(tx, key));
  }

  /** Several bindings read in one transaction, in the order of `keys` (undefined where there is none). */
  async getAll(keys: readonly BindingKey[]): Promise<Array<StoredBinding | undefined>> {
    return this.store.transaction(async (tx) => {
      const out: Array<StoredBinding | undefined> = [];
      for (const key of keys) out.push(await this.read(tx, key));
      return out;
    });
  }

  private async read(tx: Tx, key: BindingKey): Promise<StoredBinding | undefined> {
    const rows = await tx.all<{ external_id: string | null; result: string | null; status: string; external_key: string }>(
      `SELECT external_id, result, status, external_key FROM connector_bindings
       WHERE connector = ? AND instance = ? AND object_type = ? AND canonical_id = ?`,
      [key.connector, key.instance, key.objectType, key.canonicalId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      externalId: row.external_id ?? '',
      result: row.result === null ? undefined : JSON.parse(row.result),
      status: row.status,
      externalKey: row.external_key,
    };
  }

  /** The canonical id bound to an external id (for inbound mapping: which order is this?). */
  async canonicalIdOf(key: Omit<BindingKey, 'canonicalId'> & { externalId: string }): Promise<string | undefined> {
    const rows = await this.store.transaction((tx) =>
      tx.all<{ canonical_id: string }>(
        `SELECT canonical_id FROM connector_bindings
         WHERE connector = ? AND instance = ? AND object_type = ? AND external_id = ? LIMIT 1`,
        [key.connector, key.instance, key.objectType, key.externalId],
      ),
    );
    return rows[0]?.canonical_id;
  }

  async bind(key: BindingKey, externalKey: string, externalId: string, result: unknown): Promise<void> {
    await this.bindAll([{ key, externalKey, externalId, result }]);
  }

  /** Saves several bindings in one transaction (the records of one request: an Account and its Order). */
  async bindAll(bindings: ReadonlyArray<{ key: BindingKey; externalKey: string; externalId: string; result: unknown }>): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      for (const b of bindings) {
        await tx.run(
          `INSERT INTO connector_bindings
             (connector, instance, object_type, canonical_id, external_key, external_id, status, attempts, result, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'bound', 1, ?, ?)
           ON CONFLICT (connector, instance, object_type, canonical_id) DO UPDATE SET
             external_id = excluded.external_id, external_key = excluded.external_key, status = 'bound',
             result = excluded.result, updated_at = excluded.updated_at`,
          [
            b.key.connector,
            b.key.instance,
            b.key.objectType,
            b.key.canonicalId,
            b.externalKey,
            b.externalId,
            JSON.stringify(b.result ?? null),
            now,
          ],
        );
      }
    });
  }

  async idempotentCreate<R>(op: IdempotentCreate<R>): Promise<{ externalId: string; result: R; created: boolean }> {
    // A first attempt reads and writes its pending binding in one transaction.
    const existing = await this.store.transaction(async (tx) => {
      const found = await this.read(tx, op);
      if (found === undefined) await this.pending(tx, op, op.externalKey);
      return found;
    });
    if (existing?.status === 'bound') {
      return { externalId: existing.externalId, result: existing.result as R, created: false };
    }
    if (existing?.status === 'pending') {
      // An earlier attempt was sent and its outcome is unknown: look before creating again.
      const found = await op.lookup(existing.externalKey);
      if (found) {
        await this.bind(op, existing.externalKey, found.externalId, found.result);
        return { ...found, created: false };
      }
    }
    const externalKey = existing?.externalKey ?? op.externalKey;
    if (existing !== undefined) await this.store.transaction((tx) => this.pending(tx, op, externalKey));
    let created: { externalId: string; result: R };
    try {
      created = await op.create(externalKey);
    } catch (err) {
      // A conflict on the external key means the record exists (an earlier attempt committed).
      if (err instanceof CrossdockError && err.code === 'CD_ERR_CONNECTOR_CONFLICT') {
        const found = await op.lookup(externalKey);
        if (found) {
          await this.bind(op, externalKey, found.externalId, found.result);
          return { ...found, created: false };
        }
      }
      throw err;
    }
    await this.bind(op, externalKey, created.externalId, created.result);
    return { ...created, created: true };
  }

  /** Written before a create is sent; a repeat counts the attempt. */
  private async pending(tx: Tx, key: BindingKey, externalKey: string): Promise<void> {
    await tx.run(
      `INSERT INTO connector_bindings
         (connector, instance, object_type, canonical_id, external_key, external_id, status, attempts, result, updated_at)
       VALUES (?, ?, ?, ?, ?, NULL, 'pending', 1, NULL, ?)
       ON CONFLICT (connector, instance, object_type, canonical_id) DO UPDATE SET
         attempts = connector_bindings.attempts + 1, updated_at = excluded.updated_at`,
      [key.connector, key.instance, key.objectType, key.canonicalId, externalKey, this.clock.now()],
    );
  }
}
