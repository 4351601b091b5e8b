import { describe, expect, it } from 'vitest';
import type { Envelope } from '../canonical/index.js';
import { silentLogger } from '../kernel/index.js';
import { FRESH_STORES } from '../store/testing/stores.js';
import { SqlEventLog } from './sql-eventlog.js';
import { happened, testCatalog } from './testing/events.js';

describe.each(FRESH_STORES)('sql log append on %s', (_name, open) => {
  it('writes each id of a large publish once, at dense offsets, when some were published before or come twice', async () => {
    const { store, drop } = await open();
    try {
      await store.migrate();
      const log = new SqlEventLog({ store, catalog: testCatalog(), logger: silentLogger(), pollIntervalMs: 20, defaultPartitions: 3 });
      const applied: Envelope[] = [];
      log.subscribe({
        group: 'g',
        topic: 'things',
        handler: async (event) => {
          applied.push(event);
        },
      });
      await log.start();
      const earlier = Array.from({ length: 50 }, (_, i) => happened(`k${i % 7}`, i));
      const before = await log.publish('things', earlier);
      // 120 new events with, spread over the batch (so over several of the log's insert chunks),
      // 20 events of the first publish and a second copy of two new ones.
      const fresh = Array.from({ length: 120 }, (_, i) => happened(`k${i % 7}`, 50 + i));
      const batch: Envelope[] = [];
      for (const [i, e] of fresh.entries()) {
        batch.push(e);
        if (i % 6 === 3) batch.push(earlier[(i * 7) % 50]!);
      }
      batch.splice(40, 0, fresh[5]!);
      batch.push(fresh[100]!);
      const results = await log.publish('things', batch);

      expect(results).toHaveLength(batch.length);
      for (const [i, r] of results.entries()) {
        const e = batch[i]!;
        expect(r.id).toBe(e.id);
        const old = before.find((b) => b.id === e.id);
        const first = results.findIndex((x) => x.id === e.id);
        if (old) expect(r).toMatchObject({ created: false, partition: old.partition, offset: old.offset });
        else if (first < i)
          expect(r).toMatchObject({ created: false, partition: results[first]!.partition, offset: results[first]!.offset });
        else expect(r.created).toBe(true);
      }
      expect(results.filter((r) => r.created)).toHaveLength(120);

      const stored = await log.read('things', { limit: 1000 });
      expect(stored).toHaveLength(170);
      for (let p = 0; p < 3; p++) {
        const offsets = stored
          .filter((e) => e.partition === p)
          .map((e) => e.offset)
          .sort((a, b) => a - b);
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }

      await log.drain();
      await log.stop();
      // Each event once, in order per key, and as the store holds it.
      expect(applied.map((e) => e.id).sort()).toEqual([...earlier, ...fresh].map((e) => e.id).sort());
      const seqs = new Map<string, number[]>();
      for (const e of applied) {
        const { key, seq } = testData(e);
        seqs.set(key, [...(seqs.get(key) ?? []), seq]);
      }
      for (const list of seqs.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
      const byId = new Map(stored.map((s) => [s.envelope.id, s.envelope]));
      for (const e of applied) expect(e).toEqual(byId.get(e.id));
    } finally {
      await drop();
    }
  });
});

function testData(e: Envelope): { key: string; seq: number } {
  const data = e.data;
  if (typeof data !== 'object' || data === null || !('key' in data) || !('seq' in data)) throw new Error(`unexpected data in ${e.id}`);
  return { key: String(data.key), seq: Number(data.seq) };
}
