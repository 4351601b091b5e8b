import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JetStreamEventLog } from '../src/eventlog/drivers/jetstream/index.js';
import { openJetStreamEventLog } from '../src/eventlog/drivers/jetstream/index.js';
import { deleteStreams, TEST_NATS_URL, uniquePrefixes } from '../src/eventlog/drivers/jetstream/testing/nats.js';
import { happened, testCatalog } from '../src/eventlog/testing/events.js';
import { silentLogger } from '../src/kernel/index.js';
import type { PostgresStore } from '../src/store/index.js';
import { freshPostgresStore, TEST_POSTGRES_URL } from '../src/store/testing/postgres.js';
import { type ClusterNode, spawnClusterNode, stopClusterNode } from './support/cluster-spawn.js';

/**
 * Three hub processes consume one topic on PostgreSQL + NATS JetStream while the test publishes
 * 20,000 events over 250 keys and SIGKILLs a random process five times (restarting it each time).
 * Each handled event writes an effect row (no unique key: a second effect would be a second row)
 * and checks, in its transaction, that its key's previous event was the one before it.
 */
const EVENTS = 20_000;
const KEYS = 250;
const PARTITIONS = 8;
const KILLS = 5;
const TOPIC = 'chaos.events';
const GROUP = 'chaos';

function digest(values: string[]): string {
  return createHash('sha256')
    .update([...values].sort().join('\n'))
    .digest('hex');
}

describe('cluster chaos: SIGKILL hub processes while they consume', () => {
  let store: PostgresStore;
  let schema: string;
  let drop: () => Promise<void>;
  let publisher: JetStreamEventLog;
  const prefixes = uniquePrefixes();
  const nodes: ClusterNode[] = [];
  let generation = 0;

  const spawnNode = (slot: number) =>
    spawnClusterNode({
      postgresUrl: TEST_POSTGRES_URL,
      schema,
      natsUrl: TEST_NATS_URL,
      ...prefixes,
      processId: `chaos-${slot}-${generation++}`,
      topic: TOPIC,
      group: GROUP,
      partitions: PARTITIONS,
      checkOrder: true,
      logLevel: 'error',
    });

  beforeAll(async () => {
    ({ store, schema, drop } = await freshPostgresStore());
    await store.migrate();
    publisher = await openJetStreamEventLog({
      store,
      servers: TEST_NATS_URL,
      catalog: testCatalog(),
      logger: silentLogger(),
      settings: { ...prefixes, defaultPartitions: PARTITIONS },
    });
    await publisher.ensureTopic(TOPIC, PARTITIONS);
    nodes.push(...(await Promise.all([0, 1, 2].map(spawnNode))));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => stopClusterNode(n)));
    await publisher?.close();
    await deleteStreams(prefixes.streamPrefix);
    await drop?.();
  }, 60_000);

  it('applies every event exactly once, in order per key, through five SIGKILLs', async () => {
    const events = Array.from({ length: EVENTS }, (_, i) => happened(`key-${i % KEYS}`, Math.floor(i / KEYS)));
    const expected = events.map((e) => {
      const d = e.data as { key: string; seq: number };
      return `${d.key}:${d.seq}`;
    });

    const publishing = (async () => {
      for (let i = 0; i < events.length; i += 250) {
        await store.transaction((tx) => publisher.publish(TOPIC, events.slice(i, i + 250), { tx }));
        await new Promise((r) => setTimeout(r, 60));
      }
    })();
    const killed: string[] = [];
    const chaos = (async () => {
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 1_000 + Math.random() * 1_500));
        const slot = Math.floor(Math.random() * nodes.length);
        const victim = nodes[slot];
        if (!victim) continue;
        victim.child.kill('SIGKILL');
        expect(await victim.exited).toBe('SIGKILL');
        killed.push(victim.processId);
        nodes[slot] = await spawnNode(slot);
      }
    })();
    await Promise.all([publishing, chaos]);
    expect(killed).toHaveLength(KILLS);

    const count = async () => {
      const row = await store.db
        .selectFrom('kv')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('namespace', '=', 'effect')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const deadline = Date.now() + 120_000;
    while ((await count()) < EVENTS) {
      if (Date.now() > deadline) {
        throw new Error(`only ${await count()} of ${EVENTS} effects; logs:\n${nodes.map((n) => n.output().slice(-2_000)).join('\n---\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // Anything a killed process left half done has had time to come back by now.
    await new Promise((r) => setTimeout(r, 2_000));

    const effects = await store.db.selectFrom('kv').select(['key', 'value']).where('namespace', '=', 'effect').execute();
    expect(effects).toHaveLength(EVENTS);
    expect(new Set(effects.map((e) => e.key.split('#')[0])).size).toBe(EVENTS);
    expect(digest(effects.map((e) => e.value))).toBe(digest(expected));

    const violations = await store.db.selectFrom('kv').select(['key', 'value']).where('namespace', '=', 'violation').execute();
    expect(violations).toEqual([]);
    const last = await store.db.selectFrom('kv').select('value').where('namespace', '=', 'last').execute();
    expect(last).toHaveLength(KEYS);
    expect(new Set(last.map((l) => l.value))).toEqual(new Set([String(EVENTS / KEYS - 1)]));

    expect(await store.db.selectFrom('el_parked').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('el_dead_letters').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('el_outbox').selectAll().execute()).toEqual([]);
  }, 240_000);
});
