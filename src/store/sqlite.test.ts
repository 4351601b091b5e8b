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
