import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvent } from '../canonical/index.js';
import { CrossdockError, defineError, silentLogger } from '../kernel/index.js';
import type { Store } from '../store/index.js';
import type { EventLog, Handler, HandlerContext, RetryPolicy } from './eventlog.js';
import { happened, testCatalog, testHappened } from './testing/events.js';

export interface EventLogHarness {
  store: Store;
  /** A new event log on the same store and bus (as a restarted process would have). */
  makeLog(options?: { retry?: Partial<RetryPolicy>; batchSize?: number }): Promise<EventLog>;
  cleanup(): Promise<void>;
}

const flaky = defineError('CD_ERR_TEST_FLAKY', { class: 'retryable', title: 'Test: transient failure' });
const bad = defineError('CD_ERR_TEST_BAD', { class: 'permanent', title: 'Test: bad data' });

interface Applied {
  key: string;
  seq: number;
}

/** A handler whose effect is a row per event in the store's kv table, written through ctx.tx. */
function recordingHandler(hook?: (key: string, seq: number, ctx: HandlerContext) => void | Promise<void>): Handler {
  return async (event, ctx) => {
    const data = testHappened.schema.parse(event.data);
    await hook?.(data.key, data.seq, ctx);
    await ctx.tx.db
      .insertInto('kv')
      .values({
        namespace: 'applied',
        key: `${data.key}#${data.seq}#${event.id}`,
        value: `${data.key}:${data.seq}`,
        version: 1,
        updated_at: Date.now(),
      })
      .execute();
  };
}

async function appliedRows(store: Store): Promise<Applied[]> {
  // rowid order on SQLite / insertion order is not portable; the kv key embeds the order we need.
  const rows = await store.db.selectFrom('kv').select(['value', 'key', 'updated_at']).where('namespace', '=', 'applied').execute();
  return rows.map((r) => {
    const [key, seq] = r.value.split(':');
    return { key: key ?? '', seq: Number(seq) };
  });
}

export function eventLogContract(name: string, open: () => Promise<EventLogHarness>): void {
  describe(`event log contract: ${name}`, () => {
    let h: EventLogHarness;
    const logs: EventLog[] = [];
    const make = async (options?: Parameters<EventLogHarness['makeLog']>[0]) => {
      const log = await h.makeLog(options);
      logs.push(log);
      return log;
    };

    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      for (const log of logs.splice(0)) await log.stop();
      await h.cleanup();
    });

    it('refuses a malformed envelope, an unknown type and bad data, naming the field, and writes nothing', async () => {
      const log = await make();
      const good = happened('k', 1);
      const noKey = { ...happened('k', 2), partitionkey: '' };
      await expect(log.publish('things', [good, noKey])).rejects.toMatchObject({
        code: 'CD_ERR_VALIDATION',
        details: { path: 'partitionkey' },
      });
      const unknown = makeEvent({ type: 'crossdock.nobody.knows.v1', source: 's', partitionkey: 'k', data: {} });
      await expect(log.publish('things', [unknown])).rejects.toMatchObject({ code: 'CD_ERR_UNKNOWN_EVENT_TYPE' });
      const badData = { ...happened('k', 3), data: { key: 'k', seq: -1 } };
      await expect(log.publish('things', [badData])).rejects.toMatchObject({ code: 'CD_ERR_VALIDATION', details: { path: 'data.seq' } });
      expect(await log.read('things', {})).toEqual([]);
    });

    it('stores an event id once per topic, however often it is published', async () => {
      const log = await make();
      const e = happened('k', 1);
      const [first] = await log.publish('things', [e]);
      const [second] = await log.publish('things', [e]);
      expect(first?.created).toBe(true);
      expect(second).toMatchObject({ created: false, partition: first?.partition, offset: first?.offset });
      expect(await log.read('things', {})).toHaveLength(1);
    });

    it('publishes with a state change or not at all (transactional outbox)', async () => {
      const log = await make();
      await h.store
        .transaction(async (tx) => {
          await tx.db.insertInto('kv').values({ namespace: 'state', key: 'order-1', value: 'x', version: 1, updated_at: 1 }).execute();
          await log.publish('things', [happened('order-1', 1)], { tx });
          throw new Error('the state change failed');
        })
        .catch(() => {});
      expect(await log.read('things', {})).toEqual([]);
      await h.store.transaction(async (tx) => {
        await tx.db.insertInto('kv').values({ namespace: 'state', key: 'order-1', value: 'x', version: 1, updated_at: 1 }).execute();
        await log.publish('things', [happened('order-1', 1)], { tx });
      });
      expect(await log.read('things', {})).toHaveLength(1);
    });

    it('delivers every event once, in order per key, across partitions', async () => {
      const log = await make();
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
      const events = [];
      for (let seq = 0; seq < 25; seq++) for (const key of keys) events.push(happened(key, seq));
      for (let i = 0; i < events.length; i += 200) await log.publish('things', events.slice(i, i + 200));
      const order = new Map<string, number[]>();
      log.subscribe({
        group: 'g',
        topic: 'things',
        handler: recordingHandler((key, seq) => {
          order.set(key, [...(order.get(key) ?? []), seq]);
        }),
      });
      await log.start();
      await log.drain({ timeoutMs: 20_000 });
      const applied = await appliedRows(h.store);
      expect(applied).toHaveLength(1000);
      for (const key of keys) expect(order.get(key)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    });

    it('loses nothing and repeats nothing across a restart', async () => {
      const first = await make({ batchSize: 10 });
      const events = Array.from({ length: 300 }, (_, i) => happened(`k${i % 7}`, Math.floor(i / 7)));
      await first.publish('things', events);
      let seen = 0;
      first.subscribe({
        group: 'g',
        topic: 'things',
        handler: recordingHandler(async () => {
          seen += 1;
        }),
      });
      await first.start();
      while (seen < 50) await new Promise((r) => setTimeout(r, 2));
      await first.stop();
      const second = await make({ batchSize: 10 });
      second.subscribe({ group: 'g', topic: 'things', handler: recordingHandler() });
      await second.start();
      await second.drain({ timeoutMs: 20_000 });
      const applied = await appliedRows(h.store);
      expect(applied).toHaveLength(300);
      expect(new Set(applied.map((a) => `${a.key}:${a.seq}`)).size).toBe(300);
    });

    it('rolls back a failing handler’s effects and parks its key while other keys flow', async () => {
      const log = await make({ retry: { maxAttempts: 5, baseMs: 20, maxMs: 40 } });
      let failuresLeft = 2;
      const order: string[] = [];
      log.subscribe({
        group: 'g',
        topic: 'things',
        handler: recordingHandler(async (key, seq, ctx) => {
          if (key === 'stuck' && seq === 0 && failuresLeft > 0) {
            // Write first, then fail: the write must not survive.
            await ctx.tx.db
              .insertInto('kv')
              .values({ namespace: 'leak', key: `${failuresLeft}`, value: '', version: 1, updated_at: 1 })
              .execute();
            failuresLeft -= 1;
            throw flaky('downstream timed out', { retryAfterMs: 10 });
          }
          order.push(`${key}:${seq}`);
        }),
      });
      await log.publish('things', [happened('stuck', 0), happened('stuck', 1), happened('stuck', 2)]);
      await log.publish('things', [happened('free', 0), happened('free', 1)]);
      await log.start();
      await log.drain({ timeoutMs: 10_000 });
      expect(order.filter((o) => o.startsWith('stuck'))).toEqual(['stuck:0', 'stuck:1', 'stuck:2']);
      expect(order.indexOf('free:1')).toBeLessThan(order.indexOf('stuck:0'));
      expect(await h.store.db.selectFrom('kv').selectAll().where('namespace', '=', 'leak').execute()).toEqual([]);
      expect(await appliedRows(h.store)).toHaveLength(5);
    });

    it('dead-letters a permanent failure at once, with its error, and lets the key flow on', async () => {
      const log = await make({ retry: { maxAttempts: 5, baseMs: 10, maxMs: 20 } });
      log.subscribe({
        group: 'g',
        topic: 'things',
        handler: recordingHandler((key, seq) => {
          if (key === 'poison' && seq === 1) throw bad('quantity "abc" is not a number', { path: 'lines.0.quantity' });
        }),
      });
      await log.publish('things', [happened('poison', 0), happened('poison', 1), happened('poison', 2)]);
      await log.start();
      await log.drain({ timeoutMs: 10_000 });
      const dead = await log.listDeadLetters({ group: 'g' });
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ key: 'poison', errorCode: 'CD_ERR_TEST_BAD', errorClass: 'permanent', attempts: 1 });
      expect(dead[0]?.envelope.data).toEqual({ key: 'poison', seq: 1 });
      expect((await appliedRows(h.store)).map((a) => a.seq).sort()).toEqual([0, 2]);
      const stats = await log.stats();
      expect(stats.groups.find((g) => g.group === 'g')).toMatchObject({ lag: 0, parked: 0, deadLetters: 1 });
    });

    it('retries a retryable failure with backoff up to maxAttempts, then dead-letters it with its history', async () => {
      const log = await make({ retry: { maxAttempts: 3, baseMs: 5, maxMs: 10 } });
      let calls = 0;
      log.subscribe({
        group: 'g',
        topic: 'things',
        handler: recordingHandler((key) => {
          if (key === 'down') {
            calls += 1;
            throw flaky(`attempt ${calls} failed`);
          }
        }),
      });
      await log.publish('things', [happened('down', 0)]);
      await log.start();
      await log.drain({ timeoutMs: 10_000 });
      const [dead] = await log.listDeadLetters({ group: 'g' });
      expect(calls).toBe(3);
      expect(dead?.attempts).toBe(3);
      expect(dead?.history.map((a) => a.message)).toEqual(['attempt 1 failed', 'attempt 2 failed', 'attempt 3 failed']);
    });

    it('re-drives dead letters once the cause is fixed, exactly once', async () => {
      const log = await make({ retry: { maxAttempts: 1, baseMs: 5, maxMs: 5 } });
      let broken = true;
      log.subscribe({
        group: 'g',
        topic: 'things',
        handler: recordingHandler(() => {
          if (broken) throw bad('mapping missing');
        }),
      });
      await log.publish('things', [happened('a', 0), happened('b', 0)]);
      await log.start();
      await log.drain({ timeoutMs: 10_000 });
      expect(await log.listDeadLetters({ group: 'g' })).toHaveLength(2);
      broken = false;
      expect(await log.redrive({ group: 'g' })).toBe(2);
      await log.drain({ timeoutMs: 10_000 });
      expect(await log.listDeadLetters({ group: 'g' })).toEqual([]);
      expect(await log.listDeadLetters({ group: 'g', includeRedriven: true })).toHaveLength(2);
      expect(await appliedRows(h.store)).toHaveLength(2);
      expect(await log.redrive({ group: 'g' })).toBe(0);
    });

    it('replays a partition from an offset and a topic from a time, running the handler again', async () => {
      const log = await make();
      const runs = new Map<number, number>();
      log.subscribe({
        group: 'g',
        topic: 'things',
        handler: async (event) => {
          const { seq } = testHappened.schema.parse(event.data);
          runs.set(seq, (runs.get(seq) ?? 0) + 1);
        },
      });
      const results = await log.publish('things', [happened('r', 0), happened('r', 1), happened('r', 2)]);
      await log.start();
      await log.drain();
      expect([...runs.values()]).toEqual([1, 1, 1]);
      const partition = results[0]!.partition;
      const replay = await log.replay({ group: 'g', topic: 'things', partition, fromOffset: results[1]!.offset });
      expect(replay.events).toBe(2);
      await log.drain();
      expect(Object.fromEntries(runs)).toEqual({ 0: 1, 1: 2, 2: 2 });
      const all = await log.replay({ group: 'g', topic: 'things', fromTime: 0 });
      expect(all.events).toBe(3);
      await log.drain();
      expect(Object.fromEntries(runs)).toEqual({ 0: 2, 1: 3, 2: 3 });
    });

    it('runs only the types a group asks for, and a new group can start at the end', async () => {
      const log = await make();
      await log.publish('things', [happened('t', 0)]);
      const seen: string[] = [];
      log.subscribe({
        group: 'only-other',
        topic: 'things',
        types: ['crossdock.test.other.v1'],
        handler: async (e) => {
          seen.push(`other:${e.type}`);
        },
      });
      log.subscribe({
        group: 'late',
        topic: 'things',
        startAt: 'latest',
        handler: async (e) => {
          seen.push(`late:${(e.data as { seq: number }).seq}`);
        },
      });
      await log.start();
      await log.drain();
      await log.publish('things', [happened('t', 1)]);
      await log.drain();
      expect(seen).toEqual(['late:1']);
    });

    it('reports lag per group before consumption', async () => {
      const log = await make();
      await log.publish('things', [happened('a', 0), happened('b', 0), happened('c', 0)]);
      log.subscribe({ group: 'g', topic: 'things', handler: recordingHandler() });
      const before = await log.stats();
      expect(before.topics.find((t) => t.name === 'things')?.events).toBe(3);
      await log.start();
      await log.drain();
      const after = await log.stats();
      expect(after.groups.find((g) => g.group === 'g')?.lag).toBe(0);
    });

    it('errors it raises are crossdock errors', async () => {
      const log = await make();
      await expect(log.replay({ group: 'g', topic: 'nope', fromTime: 0 })).rejects.toBeInstanceOf(CrossdockError);
      await expect(log.replay({ group: 'g', topic: 'things', fromOffset: 1 })).rejects.toMatchObject({
        code: 'CD_ERR_EVENTLOG_BAD_REQUEST',
      });
    });
  });
}

export const contractLogger = silentLogger();
export { testCatalog };
