import { type Clock, CrossdockError, systemClock } from '../../kernel/index.js';
import type { Store } from '../../store/index.js';

export interface Binding {
  externalId: string;
  result: unknown;
}

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

  async get(key: BindingKey): Promise<(Binding & { status: string; externalKey: string }) | undefined> {
    const row = await this.store.db
      .selectFrom('connector_bindings')
      .selectAll()
      .where('connector', '=', key.connector)
      .where('instance', '=', key.instance)
      .where('object_type', '=', key.objectType)
      .where('canonical_id', '=', key.canonicalId)
      .executeTakeFirst();
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
    const row = await this.store.db
      .selectFrom('connector_bindings')
      .select('canonical_id')
      .where('connector', '=', key.connector)
      .where('instance', '=', key.instance)
      .where('object_type', '=', key.objectType)
      .where('external_id', '=', key.externalId)
      .executeTakeFirst();
    return row?.canonical_id;
  }

  async bind(key: BindingKey, externalKey: string, externalId: string, result: unknown): Promise<void> {
    const now = this.clock.now();
    await this.store.db
      .insertInto('connector_bindings')
      .values({
        connector: key.connector,
        instance: key.instance,
        object_type: key.objectType,
        canonical_id: key.canonicalId,
        external_key: externalKey,
        external_id: externalId,
        status: 'bound',
        attempts: 1,
        result: JSON.stringify(result ?? null),
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['connector', 'instance', 'object_type', 'canonical_id']).doUpdateSet({
          external_id: externalId,
          external_key: externalKey,
          status: 'bound',
          result: JSON.stringify(result ?? null),
          updated_at: now,
        }),
      )
      .execute();
  }

  async idempotentCreate<R>(op: IdempotentCreate<R>): Promise<{ externalId: string; result: R; created: boolean }> {
    const existing = await this.get(op);
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
    await this.markPending(op, externalKey);
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

  private async markPending(key: BindingKey, externalKey: string): Promise<void> {
    const now = this.clock.now();
    await this.store.db
      .insertInto('connector_bindings')
      .values({
        connector: key.connector,
        instance: key.instance,
        object_type: key.objectType,
        canonical_id: key.canonicalId,
        external_key: externalKey,
        external_id: null,
        status: 'pending',
        attempts: 1,
        result: null,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['connector', 'instance', 'object_type', 'canonical_id']).doUpdateSet((eb) => ({
          attempts: eb('connector_bindings.attempts', '+', 1),
          updated_at: now,
        })),
      )
      .execute();
  }
}
