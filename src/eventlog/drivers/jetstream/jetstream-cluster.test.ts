import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, silentLogger } from '../../../kernel/index.js';
import type { PostgresStore } from '../../../store/index.js';
import { freshPostgresStore } from '../../../store/testing/postgres.js';
import type { Handler } from '../../eventlog.js';
import { happened, testCatalog, testHappened } from '../../testing/events.js';
import { connectJetStream } from './connect.js';
import type { JetStreamEventLog } from './jetstream-eventlog.js';
import { Leases } from './leases.js';
import { type OpenJetStreamEventLogOptions, openJetStreamEventLog } from './open.js';
import type { JetStreamSettingsInput } from './settings.js';
import { deleteStreams, TEST_NATS_URL, uniquePrefixes } from './testing/nats.js';

async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Handler whose effect is one kv row per event id (the effect a duplicate would repeat). */
const recording: Handler = async (event, ctx) => {
  const { key, seq } = testHappened.schema.parse(event.data);
  await ctx.tx.db
    .insertInto('kv')
    .values({ namespace: 'effect', key: `${event.id}#${Math.random()}`, value: `${key}:${seq}`, version: 1, updated_at: 0 })
    .execute();
};

describe('JetStream event log in a cluster', () => {
  let store: PostgresStore;
  let drop: () => Promise<void>;
  let prefixes: ReturnType<typeof uniquePrefixes>;
  const logs: JetStreamEventLog[] = [];

  const open = async (settings: JetStreamSettingsInput = {}, extra: Partial<OpenJetStreamEventLogOptions> = {}) => {
    const log = await openJetStreamEventLog({
      store,
      servers: TEST_NATS_URL,
      catalog: testCatalog(),
      logger: silentLogger(),
      retries: 2,
      settings: {
        ...prefixes,
        defaultPartitions: 6,
        pollIntervalMs: 20,
        heartbeatMs: 100,
        leaseTtlMs: 1_000,
        relayPollMs: 50,
        ...settings,
      },
      ...extra,
    });
    logs.push(log);
    return log;
  };
  const effects = async () => {
    const rows = await store.db.selectFrom('kv').select('value').where('namespace', '=', 'effect').execute();
    return rows.map((r) => r.value).sort();
  };

  beforeEach(async () => {
    ({ store, drop } = await freshPostgresStore());
    await store.migrate();
    prefixes = uniquePrefixes();
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    await deleteStreams(prefixes.streamPrefix);
    await drop();
  });

  it('a relay that dies after the PubAck, before deleting the outbox row, causes no second effect', async () => {
    // A short dedupe window, so the re-send after the "restart" lands beyond it: JetStream then
    // stores a second copy and the consumer inbox is what keeps the effect single.
    let crashed!: () => void;
    const crash = new Promise<void>((r) => (crashed = r));
    const dying = await open(
      { duplicateWindowMs: 100, relayPollMs: 10_000 },
      {
        hooks: {
          afterPubAck: () => {
            crashed();
            throw new Error('process killed');
          },
        },
      },
    );
    const event = happened('order-1', 1);
    await store.transaction(async (tx) => {
      await dying.publish('orders', [event], { tx });
    });
    await crash;
    await dying.close();
    await new Promise((r) => setTimeout(r, 300));

    const restarted = await open({ duplicateWindowMs: 100 });
    restarted.subscribe({ group: 'billing', topic: 'orders', handler: recording });
    await restarted.start();
    await restarted.drain({ timeoutMs: 10_000 });
    const topic = (await restarted.stats()).topics.find((t) => t.name === 'orders');
    expect(topic?.events).toBe(2);
    expect(await effects()).toEqual(['order-1:1']);
    expect(await store.db.selectFrom('el_outbox').selectAll().execute()).toEqual([]);
  });

  it('within the dedupe window, the re-sent message is dropped by JetStream itself', async () => {
    let crashed!: () => void;
    const crash = new Promise<void>((r) => (crashed = r));
    const dying = await open(
      { relayPollMs: 10_000 },
      {
        hooks: {
          afterPubAck: () => {
            crashed();
            throw new Error('process killed');
          },
        },
      },
    );
    await store.transaction((tx) => dying.publish('orders', [happened('order-2', 1)], { tx }));
    await crash;
    await dying.close();
    const restarted = await open();
    const [again] = await restarted.publish('orders', [happened('order-3', 1)]);
    expect(again?.offset).toBe(2);
    const stored = await restarted.read('orders', {});
    expect(stored.map((e) => [e.offset, (e.envelope.data as { key: string }).key])).toEqual([
      [1, 'order-2'],
      [2, 'order-3'],
    ]);
  });

  it('reports a copy still waiting in the outbox as not created, with its partition', async () => {
    const log = await open({ relayPollMs: 10_000 });
    const e = happened('order-4', 1);
    const results = await store.transaction(async (tx) => {
      const first = await log.publish('orders', [e, e], { tx });
      const again = await log.publish('orders', [e], { tx });
      return [...first, ...again];
    });
    expect(results[0]).toMatchObject({ id: e.id, created: true, offset: -1 });
    expect(results[1]).toMatchObject({ id: e.id, created: false, partition: results[0]?.partition, offset: -1 });
    expect(results[2]).toMatchObject({ id: e.id, created: false, partition: results[0]?.partition, offset: -1 });
    const stored = await log.read('orders', {});
    expect(stored.map((s) => s.envelope.id)).toEqual([e.id]);
    const [relayed] = await log.publish('orders', [e]);
    expect(relayed).toMatchObject({ created: false, partition: results[0]?.partition, offset: stored[0]?.offset });
  });

  it('handles an event whose id and key hold a lone surrogate once, and knows it when published again', async () => {
    const log = await open();
    const keys: string[] = [];
    log.subscribe({
      group: 'g',
      topic: 'odd',
      handler: async (event, ctx) => {
        keys.push(event.partitionkey);
        await recording(event, ctx);
      },
    });
    await log.start();
    const odd = happened('k\ud800', 0, { id: 'id-\udc00-1' });
    const [first] = await log.publish('odd', [odd]);
    await log.drain({ timeoutMs: 10_000 });
    expect(first?.created).toBe(true);
    expect(keys).toEqual(['k\ud800']);
    expect(await effects()).toEqual(['k\ufffd:0']);
    const [again] = await log.publish('odd', [odd]);
    expect(again).toMatchObject({ created: false, partition: first?.partition, offset: first?.offset });
    await log.drain({ timeoutMs: 10_000 });
    expect(keys).toHaveLength(1);
  });

  it('spreads partitions over the processes, one owner each, and moves them when one stops', async () => {
    const members = [await open(), await open(), await open()];
    for (const m of members) m.subscribe({ group: 'wms', topic: 'moves', handler: recording });
    await Promise.all(members.map((m) => m.start()));
    const owners = () => members.map((m) => m.ownedPartitions().map((p) => p.partition));
    await until('each of 3 members owns 2 of 6 partitions', () => owners().every((o) => o.length === 2));
    expect(
      owners()
        .flat()
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5]);

    const events = Array.from({ length: 120 }, (_, i) => happened(`sku-${i % 12}`, Math.floor(i / 12)));
    await members[0]?.publish('moves', events);
    await members[0]?.drain({ timeoutMs: 10_000 });
    expect(await effects()).toHaveLength(120);

    const stoppedAt = Date.now();
    await members[2]?.close();
    const rest = members.slice(0, 2);
    await until('the 2 remaining members own 3 partitions each', () => rest.every((m) => m.ownedPartitions().length === 3), 5_000);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    const leases = await store.db.selectFrom('el_leases').select(['partition', 'owner']).where('group', '=', 'wms').execute();
    expect(new Set(leases.map((l) => l.owner))).toEqual(new Set(rest.map((m) => m.processId)));

    await rest[0]?.publish('moves', [happened('sku-0', 10), happened('sku-5', 10)]);
    await rest[0]?.drain({ timeoutMs: 10_000 });
    expect(await effects()).toHaveLength(122);
  });

  it('fences a former owner: after its lease is taken it commits nothing more', async () => {
    // Rebalancing every 3 s: within the next second only the commit-time lease check can stop it.
    const log = await open({ defaultPartitions: 1, heartbeatMs: 3_000, leaseTtlMs: 10_000 });
    log.subscribe({ group: 'g', topic: 'solo', handler: recording });
    await log.start();
    await log.publish('solo', [happened('k', 0)]);
    await log.drain();
    expect(await effects()).toEqual(['k:0']);

    // Another process takes the lease (as after this one's heartbeat expired) and stays alive.
    const rival = 'rival-process';
    await store.db
      .insertInto('el_members')
      .values({ group: 'g', topic: 'solo', process_id: rival, heartbeat_at: Date.now() + 3_600_000, started_at: 0 })
      .execute();
    await store.db.updateTable('el_leases').set({ owner: rival, epoch: 99 }).where('group', '=', 'g').execute();
    const offsetBefore = await store.db.selectFrom('el_offsets').select('next_offset').where('group', '=', 'g').executeTakeFirstOrThrow();

    await log.publish('solo', [happened('k', 1)]);
    await new Promise((r) => setTimeout(r, 600));
    expect(await effects()).toEqual(['k:0']);
    const offsetAfter = await store.db.selectFrom('el_offsets').select('next_offset').where('group', '=', 'g').executeTakeFirstOrThrow();
    expect(offsetAfter.next_offset).toBe(offsetBefore.next_offset);
    // The worker found out by being refused at its commit, and stopped.
    expect(log.ownedPartitions()).toEqual([]);

    // The rival goes away: the lease expires with its heartbeat and this process takes it back.
    await store.db.deleteFrom('el_members').where('process_id', '=', rival).execute();
    await log.drain({ timeoutMs: 10_000 });
    expect(await effects()).toEqual(['k:0', 'k:1']);
  });

  it('rejects a commit under an expired lease that another process has claimed', async () => {
    const clock = new ManualClock();
    const a = new Leases(store, 'process-a', clock, 1_000);
    const b = new Leases(store, 'process-b', clock, 1_000);
    await a.join('g', 't', 1);
    await b.join('g', 't', 1);
    const epochA = await a.claim('g', 't', 0);
    expect(epochA).toBe(1);
    expect(await b.claim('g', 't', 0)).toBeUndefined();
    clock.advance(1_500);
    await b.heartbeat('g', 't');
    expect(await b.claim('g', 't', 0)).toBe(2);
    const zombie = store.transaction(async (tx) => {
      await tx.db.insertInto('kv').values({ namespace: 'zombie', key: 'x', value: 'x', version: 1, updated_at: 0 }).execute();
      await a.check(tx, 'g', 't', 0, epochA ?? 0);
    });
    await expect(zombie).rejects.toMatchObject({ code: 'CD_ERR_EVENTLOG_LEASE_LOST' });
    expect(await store.db.selectFrom('kv').selectAll().where('namespace', '=', 'zombie').execute()).toEqual([]);
  });

  it('fails start-up with a clear error when NATS is unreachable', async () => {
    const started = Date.now();
    await expect(connectJetStream('nats://127.0.0.1:1', { retries: 2 })).rejects.toMatchObject({
      code: 'CD_ERR_BUS_UNAVAILABLE',
      message: expect.stringContaining('nats://127.0.0.1:1'),
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
