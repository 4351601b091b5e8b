import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../drivers/sqlite.js';

/** A store on a new SQLite file in a temporary folder; `drop` closes it and removes the folder. */
export async function freshSqliteStore(): Promise<{ store: SqliteStore; drop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-store-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  return {
    store,
    drop: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
