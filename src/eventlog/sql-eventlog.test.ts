import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../kernel/index.js';
import { SqliteStore, type Store } from '../store/index.js';
import { freshPostgresStore } from '../store/testing/postgres.js';
import { FRESH_STORES } from '../store/testing/stores.js';
import { eventLogContract } from './eventlog.contract.js';
import { SqlEventLog } from './sql-eventlog.js';
import { happened, testCatalog } from './testing/events.js';

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

describe.each(FRESH_STORES)('sql log inbox on %s', (_name, open) => {
  /** Runs a group over topic `a`, then over topic `b`, recording each event id its handler applied. */
  async function consumeBoth(store: Store, a: ReturnType<typeof happened>[], b: ReturnType<typeof happened>[]): Promise<string[]> {
    const log = new SqlEventLog({ store, catalog: testCatalog(), logger: silentLogger(), pollIntervalMs: 20, defaultPartitions: 4 });
    const applied: string[] = [];
    const handler = async (event: { id: string }) => {
      applied.push(event.id);
    };
    log.subscribe({ group: 'g', topic: 'a', handler });
    await log.publish('a', a);
    await log.start();
    await log.drain();
    log.subscribe({ group: 'g', topic: 'b', handler });
    await log.publish('b', b);
    await log.drain();
    await log.stop();
    return applied;
  }

  it('applies an event once per group, even when its id arrives again on another topic', async () => {
    const { store, drop } = await open();
    try {
      await store.migrate();
      // 100 events on topic a; topic b carries 40 of them again (same ids) amid 90 new ones, so
      // batches mix events the group's inbox holds with fresh ones, and some are all fresh.
      const first = Array.from({ length: 100 }, (_, i) => happened(`k${i % 9}`, i));
      const fresh = Array.from({ length: 90 }, (_, i) => happened(`k${i % 9}`, 100 + i));
      const again = first.filter((_, i) => i % 5 < 2);
      const second = [...fresh.slice(0, 60), ...again, ...fresh.slice(60)];
      const applied = await consumeBoth(store, first, second);
      expect(applied).toHaveLength(190);
      expect(new Set(applied)).toEqual(new Set([...first, ...fresh].map((e) => e.id)));
    } finally {
      await drop();
    }
  });

  it('commits publishes made at once each whole, and one failing publish fails no other', async () => {
    const { store, drop } = await open();
    try {
      await store.migrate();
      const log = new SqlEventLog({ store, catalog: testCatalog(), logger: silentLogger(), defaultPartitions: 4 });
      await log.ensureTopic('good');
      await log.ensureTopic('broken');
      // A topic whose partitions vanished: appending to it fails after validation, inside the commit.
      await store.db.deleteFrom('el_partitions').where('topic', '=', 'broken').execute();
      const singles = Array.from({ length: 40 }, (_, i) => happened(`k${i % 5}`, i));
      const pair = [happened('p', 0), happened('p', 1)];
      const outcomes = await Promise.allSettled([
        ...singles.slice(0, 20).map((e) => log.publish('good', [e])),
        log.publish('broken', [happened('x', 0)]),
        log.publish('good', pair),
        ...singles.slice(20).map((e) => log.publish('good', [e])),
        log.publish('good', [singles[0]!]),
      ]);
      const failed = outcomes.filter((o) => o.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(String((failed[0] as PromiseRejectedResult).reason)).toContain('broken');
      const results = outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
      expect(results.filter((r) => r.created)).toHaveLength(42);
      // The repeated event is stored once; its second publish reports the first copy.
      const repeat = results.filter((r) => r.id === singles[0]!.id);
      expect(repeat.map((r) => r.created).sort()).toEqual([false, true]);
      expect(new Set(repeat.map((r) => `${r.partition}/${r.offset}`)).size).toBe(1);
      // Offsets per partition are dense: 0..n-1, none lost to the failed publish.
      const stored = await log.read('good', { limit: 100 });
      expect(stored).toHaveLength(42);
      for (let p = 0; p < 4; p++) {
        const offsets = stored
          .filter((e) => e.partition === p)
          .map((e) => e.offset)
          .sort((a, b) => a - b);
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }
    } finally {
      await drop();
    }
  });
});
