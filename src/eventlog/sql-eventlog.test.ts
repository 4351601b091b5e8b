import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../kernel/index.js';
import { SqliteStore } from '../store/index.js';
import { freshPostgresStore } from '../store/testing/postgres.js';
import { eventLogContract } from './eventlog.contract.js';
import { SqlEventLog } from './sql-eventlog.js';
import { testCatalog } from './testing/events.js';

eventLogContract('sql log on sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-el-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  return {
    store,
    makeLog: async (options = {}) =>
      new SqlEventLog({ store, catalog: testCatalog(), logger: silentLogger(), pollIntervalMs: 20, defaultPartitions: 4, ...options }),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

eventLogContract('sql log on postgres', async () => {
  const { store, drop } = await freshPostgresStore();
  await store.migrate();
  return {
    store,
    makeLog: async (options = {}) =>
      new SqlEventLog({ store, catalog: testCatalog(), logger: silentLogger(), pollIntervalMs: 20, defaultPartitions: 4, ...options }),
    cleanup: drop,
  };
});
