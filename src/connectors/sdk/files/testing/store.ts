import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { migrations, SqliteStore, type Store } from '../../../../store/index.js';
import { runMigrations } from '../../../../store/migration.js';
import { m0011Files } from '../../../../store/migrations/0011-files.js';

/**
 * A SQLite store in a temporary directory with the file tables. Migration 0011 is applied here too
 * until the store's migration list includes it.
 */
export async function openFilesTestStore(): Promise<{ store: Store; file: string; reopen(): Promise<Store>; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cd-files-'));
  const file = join(dir, 'crossdock.db');
  const all = migrations.some((m) => m.id === m0011Files.id) ? migrations : [...migrations, m0011Files];
  const open = async (): Promise<Store> => {
    const store = SqliteStore.open({ file });
    // The store's own migrate() does the same cast; migrations are written against an untyped database.
    await runMigrations(store.db as Kysely<unknown>, store.dialect, all);
    return store;
  };
  let current = await open();
  return {
    get store() {
      return current;
    },
    file,
    async reopen() {
      await current.close();
      current = await open();
      return current;
    },
    async cleanup() {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
