import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../kernel/index.js';
import { SqliteStore } from './drivers/sqlite.js';
import { storeContract } from './store.contract.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'crossdock-store-'));
}

storeContract('sqlite', async () => {
  const dir = tempDir();
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store start-up', () => {
  it('refuses a file that is not a database, with a clear error, and leaves it unchanged', () => {
    const dir = tempDir();
    const file = join(dir, 'crossdock.db');
    const garbage = 'this is not a database, it is a text file that someone put here\n'.repeat(100);
    writeFileSync(file, garbage);
    let error: unknown;
    try {
      SqliteStore.open({ file });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CrossdockError);
    expect((error as CrossdockError).code).toBe('CD_ERR_STORE_CORRUPT');
    expect((error as CrossdockError).message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(garbage);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a database locked by another process as locked, not corrupt', async () => {
    const dir = tempDir();
    const file = join(dir, 'crossdock.db');
    const first = SqliteStore.open({ file });
    await first.migrate();
    await first.close();
    // Another connection holding the write lock stands in for another process mid-transaction.
    const holder = new BetterSqlite3(file);
    holder.exec('begin immediate');
    const second = SqliteStore.open({ file, busyTimeoutMs: 50 });
    await expect(second.transaction(async () => {})).rejects.toMatchObject({ code: 'CD_ERR_STORE_LOCKED' });
    holder.exec('rollback');
    holder.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a store migrated by a newer release', async () => {
    const dir = tempDir();
    const file = join(dir, 'crossdock.db');
    const store = SqliteStore.open({ file });
    await store.migrate();
    const raw = new BetterSqlite3(file);
    raw.prepare('insert into cd_migrations (id, applied_at) values (?, ?)').run('9999-from-the-future', Date.now());
    raw.close();
    await expect(store.migrate()).rejects.toMatchObject({ code: 'CD_ERR_MIGRATION' });
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps data across close and reopen (a real file, WAL mode)', async () => {
    const dir = tempDir();
    const file = join(dir, 'crossdock.db');
    const a = SqliteStore.open({ file });
    await a.migrate();
    await a.db.insertInto('kv').values({ namespace: 'n', key: 'k', value: 'v', version: 1, updated_at: 1 }).execute();
    await a.close();
    const b = SqliteStore.open({ file });
    const row = await b.db.selectFrom('kv').selectAll().executeTakeFirst();
    expect(row?.value).toBe('v');
    const mode = new BetterSqlite3(file).pragma('journal_mode', { simple: true });
    expect(mode).toBe('wal');
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('sqlite group commit', () => {
  async function openScratch(): Promise<{ store: SqliteStore; file: string; cleanup: () => Promise<void> }> {
    const dir = tempDir();
    const file = join(dir, 'crossdock.db');
    const store = SqliteStore.open({ file });
    await store.transaction((tx) => tx.run('CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL)', []));
    return {
      store,
      file,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const ids = async (store: SqliteStore) =>
    (await store.transaction((tx) => tx.all<{ id: number }>('SELECT id FROM scratch ORDER BY id', []))).map((r) => r.id);

  it('rolls back only the transaction that failed; the others in its group commit', async () => {
    const { store, cleanup } = await openScratch();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.run('INSERT INTO scratch (id, v) VALUES (?, ?)', [i, 'a']);
          await tx.run('INSERT INTO scratch (id, v) VALUES (?, ?)', [100 + i, 'b']);
          if (i % 3 === 1) throw new Error(`fail ${i}`);
          return i;
        }),
      ),
    );
    const kept = Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 3 !== 1);
    expect(outcomes.map((o) => o.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 3 === 1 ? 'rejected' : 'fulfilled')));
    expect(await ids(store)).toEqual([...kept, ...kept.map((i) => 100 + i)]);
    await cleanup();
  });

  it('counts the transactions of a group once each, and its COMMIT once', async () => {
    const { store, cleanup } = await openScratch();
    const before = store.stats();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.transaction((tx) => tx.run('INSERT INTO scratch (id, v) VALUES (?, ?)', [i, 'a']))),
    );
    const after = store.stats();
    expect(after.transactions - before.transactions).toBe(20);
    // Queued together, they share COMMITs: fewer than one each.
    expect(after.commits - before.commits).toBeLessThan(20);
    expect(after.commits - before.commits).toBeGreaterThanOrEqual(1);
    await cleanup();
  });

  it('runs the group as if one after another: each transaction sees the writes of those before it', async () => {
    const { store, cleanup } = await openScratch();
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.transaction(async (tx) => {
          const before = await tx.all<{ n: number }>('SELECT count(*) AS n FROM scratch', []);
          await tx.run('INSERT INTO scratch (id, v) VALUES (?, ?)', [i, 'x']);
          return before[0]?.n;
        }),
      ),
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await cleanup();
  });

  it('resolves a transaction only once it is committed and visible to another connection', async () => {
    const { store, file, cleanup } = await openScratch();
    const reader = new BetterSqlite3(file, { readonly: true });
    const visible: boolean[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store
          .transaction(async (tx) => {
            await tx.run('INSERT INTO scratch (id, v) VALUES (?, ?)', [i, 'x']);
            tx.afterCommit(() => visible.push(reader.prepare('SELECT id FROM scratch WHERE id = ?').get(i) !== undefined));
          })
          .then(() => visible.push(reader.prepare('SELECT id FROM scratch WHERE id = ?').get(i) !== undefined)),
      ),
    );
    expect(visible).toHaveLength(20);
    expect(visible.every(Boolean)).toBe(true);
    reader.close();
    await cleanup();
  });

  it('fails every transaction of a group that SQLite itself rolled back, and leaves none of their writes', async () => {
    const { store, cleanup } = await openScratch();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.run('INSERT INTO scratch (id, v) VALUES (?, ?)', [i, 'x']);
          // Stands in for an error after which SQLite ends the transaction by itself (a full disk).
          if (i === 3) {
            await tx.run('ROLLBACK', []);
            throw new Error('disk full');
          }
        }),
      ),
    );
    // 0-3 shared the group that was rolled back; 4 and 5 queued behind it and commit in the next.
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await ids(store)).toEqual([4, 5]);
    // The store goes on working.
    await store.transaction((tx) => tx.run('INSERT INTO scratch (id, v) VALUES (?, ?)', [7, 'y']));
    expect(await ids(store)).toEqual([4, 5, 7]);
    await cleanup();
  });
});
