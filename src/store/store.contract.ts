import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';

/**
 * What every store driver must do. Run by sqlite.test.ts and postgres.test.ts; a new driver adds
 * one more file calling this.
 */
export function storeContract(name: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
    });
    afterAll(async () => {
      await cleanup();
    });

    it('applies migrations once; a second run applies nothing', async () => {
      const again = await store.migrate();
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toContain('0001-eventlog');
    });

    it('commits a transaction and returns its result', async () => {
      const result = await store.transaction(async (tx) => {
        await tx.db.insertInto('kv').values({ namespace: 'c', key: 'a', value: '1', version: 1, updated_at: 1 }).execute();
        return 'done';
      });
      expect(result).toBe('done');
      const row = await store.db.selectFrom('kv').selectAll().where('namespace', '=', 'c').where('key', '=', 'a').executeTakeFirst();
      expect(row?.value).toBe('1');
    });

    it('rolls back everything when the function throws', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.db.insertInto('kv').values({ namespace: 'c', key: 'rollback', value: 'x', version: 1, updated_at: 1 }).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const row = await store.db.selectFrom('kv').selectAll().where('key', '=', 'rollback').executeTakeFirst();
      expect(row).toBeUndefined();
    });

    it('runs afterCommit hooks only after a commit', async () => {
      const seen: string[] = [];
      await store.transaction(async (tx) => {
        tx.afterCommit(() => seen.push('committed'));
        expect(seen).toEqual([]);
      });
      await store
        .transaction(async (tx) => {
          tx.afterCommit(() => seen.push('rolled back'));
          throw new Error('no');
        })
        .catch(() => {});
      expect(seen).toEqual(['committed']);
    });

    it('joins an outer transaction instead of opening a second one', async () => {
      await expect(
        store.transaction(async (outer) => {
          await store.transaction(async (inner) => {
            await inner.db.insertInto('kv').values({ namespace: 'c', key: 'nested', value: 'n', version: 1, updated_at: 1 }).execute();
          }, outer);
          throw new Error('undo both');
        }),
      ).rejects.toThrow('undo both');
      const row = await store.db.selectFrom('kv').selectAll().where('key', '=', 'nested').executeTakeFirst();
      expect(row).toBeUndefined();
    });

    it('serialises concurrent read-modify-write transactions (no lost update)', async () => {
      await store.db.insertInto('kv').values({ namespace: 'c', key: 'counter', value: '0', version: 0, updated_at: 0 }).execute();
      await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            // An atomic increment: the contract is that concurrent transactions never lose an update.
            await tx.db
              .updateTable('kv')
              .set((eb) => ({ version: eb('version', '+', 1) }))
              .where('namespace', '=', 'c')
              .where('key', '=', 'counter')
              .execute();
          }),
        ),
      );
      const row = await store.db.selectFrom('kv').select('version').where('key', '=', 'counter').executeTakeFirstOrThrow();
      expect(row.version).toBe(50);
    });

    it('keeps large integers (epoch ms, offsets) and unicode text exactly', async () => {
      const big = 2 ** 52 + 7;
      const text = 'Büttner 東京 🚚 "quoted" \\ back';
      await store.db.insertInto('kv').values({ namespace: 'c', key: 'big', value: text, version: 1, updated_at: big }).execute();
      const row = await store.db.selectFrom('kv').selectAll().where('key', '=', 'big').executeTakeFirstOrThrow();
      expect(row.updated_at).toBe(big);
      expect(typeof row.updated_at).toBe('number');
      expect(row.value).toBe(text);
    });

    it('counts the transactions it committed and its COMMITs; a rolled-back or a joined one is not counted', async () => {
      const before = store.stats();
      await store.transaction(async (outer) => {
        await store.transaction(async () => undefined, outer);
      });
      await store
        .transaction(async () => {
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      const after = store.stats();
      expect(after.transactions - before.transactions).toBe(1);
      expect(after.commits - before.commits).toBe(1);
    });

    it('reports itself healthy', async () => {
      await expect(store.health()).resolves.toBeUndefined();
    });
  });
}
