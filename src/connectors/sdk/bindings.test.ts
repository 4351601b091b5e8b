import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { FRESH_STORES } from '../../store/testing/stores.js';
import { Bindings } from './bindings.js';
import { ConnectorErrors } from './errors.js';

/** A remote system that may commit a create and then time out. */
function remote() {
  const records = new Map<string, { id: string; key: string }>();
  let creates = 0;
  let timeoutAfterCommit = false;
  return {
    records,
    get creates() {
      return creates;
    },
    armTimeout() {
      timeoutAfterCommit = true;
    },
    async create(key: string) {
      creates += 1;
      const id = `EXT-${records.size + 1}`;
      records.set(key, { id, key });
      if (timeoutAfterCommit) {
        timeoutAfterCommit = false;
        throw ConnectorErrors.timeout('no answer within 30000 ms');
      }
      return { externalId: id, result: { id } };
    },
    async lookup(key: string) {
      const r = records.get(key);
      return r ? { externalId: r.id, result: { id: r.id } } : undefined;
    },
  };
}

describe.each(FRESH_STORES)('idempotent create on %s', (_name, open) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ store, drop } = await open());
    await store.migrate();
  });
  afterEach(async () => drop());

  const key = { connector: 'erp', instance: 'main', objectType: 'salesOrder', canonicalId: 'SO-1' };

  it('creates once; a second call returns the saved binding without calling the system', async () => {
    const r = remote();
    const bindings = new Bindings(store);
    const first = await bindings.idempotentCreate({ ...key, externalKey: 'SO-1', lookup: r.lookup, create: r.create });
    const second = await bindings.idempotentCreate({ ...key, externalKey: 'SO-1', lookup: r.lookup, create: r.create });
    expect(first).toMatchObject({ externalId: 'EXT-1', created: true });
    expect(second).toMatchObject({ externalId: 'EXT-1', created: false });
    expect(r.creates).toBe(1);
    expect(await bindings.canonicalIdOf({ ...key, externalId: 'EXT-1' })).toBe('SO-1');
  });

  it('after a timeout that committed remotely, the retry finds the record instead of creating a second', async () => {
    const r = remote();
    r.armTimeout();
    const bindings = new Bindings(store);
    await expect(bindings.idempotentCreate({ ...key, externalKey: 'SO-1', lookup: r.lookup, create: r.create })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_TIMEOUT',
    });
    expect((await bindings.get(key))?.status).toBe('pending');
    // A new process (new Bindings) retries, as after a crash.
    const retry = await new Bindings(store).idempotentCreate({ ...key, externalKey: 'SO-1', lookup: r.lookup, create: r.create });
    expect(retry).toMatchObject({ externalId: 'EXT-1', created: false });
    expect(r.records.size).toBe(1);
    expect(r.creates).toBe(1);
  });

  it('after a failure that did not commit, the retry creates', async () => {
    const r = remote();
    const bindings = new Bindings(store);
    const failing = async () => {
      throw ConnectorErrors.unavailable('503');
    };
    await expect(bindings.idempotentCreate({ ...key, externalKey: 'SO-1', lookup: r.lookup, create: failing })).rejects.toThrow();
    const retry = await bindings.idempotentCreate({ ...key, externalKey: 'SO-1', lookup: r.lookup, create: r.create });
    expect(retry).toMatchObject({ externalId: 'EXT-1', created: true });
    // Both attempts were recorded as sent before the binding was saved.
    const rows = await store.transaction((tx) =>
      tx.all<{ attempts: number | string; status: string }>(
        'SELECT attempts, status FROM connector_bindings WHERE connector = ? AND canonical_id = ?',
        ['erp', 'SO-1'],
      ),
    );
    expect(rows.map((row) => [Number(row.attempts), row.status])).toEqual([[2, 'bound']]);
  });

  it('saves several bindings in one call, and a second call rebinds rather than duplicates', async () => {
    const bindings = new Bindings(store);
    const account = { connector: 'crm', instance: 'main', objectType: 'Account', canonicalId: 'C-1' };
    const order = { connector: 'crm', instance: 'main', objectType: 'Order', canonicalId: 'SO-1' };
    await bindings.bindAll([
      { key: account, externalKey: 'C-1', externalId: '001A', result: { id: '001A' } },
      { key: order, externalKey: 'SO-1', externalId: '801A', result: { id: '801A' } },
    ]);
    expect(await bindings.get(account)).toEqual({ externalId: '001A', result: { id: '001A' }, status: 'bound', externalKey: 'C-1' });
    await bindings.bindAll([{ key: order, externalKey: 'SO-1', externalId: '801B', result: { id: '801B' } }]);
    expect((await bindings.get(order))?.externalId).toBe('801B');
    expect(await bindings.canonicalIdOf({ ...order, externalId: '801B' })).toBe('SO-1');
    expect(await bindings.canonicalIdOf({ ...order, externalId: '801A' })).toBeUndefined();
  });

  it('treats a conflict on the external key as "already there"', async () => {
    const r = remote();
    r.records.set('SO-1', { id: 'EXT-9', key: 'SO-1' });
    const conflict = async () => {
      throw ConnectorErrors.conflict('duplicate external id');
    };
    const out = await new Bindings(store).idempotentCreate({ ...key, externalKey: 'SO-1', lookup: r.lookup, create: conflict });
    expect(out).toMatchObject({ externalId: 'EXT-9', created: false });
  });
});
