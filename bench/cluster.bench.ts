/**
 * Cluster event log (PostgreSQL + NATS JetStream), end to end, beside raw JetStream.
 *
 *   npm run bench -- cluster [--events 20000] [--keys 1000] [--batch 500] [--partitions 6]
 *
 * 1. baseline: raw JetStream in this process: the same envelopes (JSON) published async to a
 *    stream with one subject per partition and a message id each, PubAcks awaited per window of
 *    `batch`, while a durable pull consumer per partition acks every message. msgs/s = N /
 *    (first publish -> last message received).
 * 2. end to end, with 1 and with 3 hub processes (test/support/cluster-node.ts): this process
 *    publishes N events through the outbox (batches of `batch`, each in its own transaction), the
 *    hub processes consume them (one group, one effect row per event written through ctx.tx, inbox
 *    and position committed with it). events/s = N / (first publish -> N effect rows committed).
 * Needs PostgreSQL (CROSSDOCK_TEST_POSTGRES) and nats-server -js (CROSSDOCK_TEST_NATS).
 */
import { performance } from 'node:perf_hooks';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Envelope } from '../src/canonical/envelope.js';
import { openJetStreamEventLog } from '../src/eventlog/drivers/jetstream/index.js';
import { deleteStreams, TEST_NATS_URL, uniquePrefixes } from '../src/eventlog/drivers/jetstream/testing/nats.js';
import { partitionFor } from '../src/eventlog/index.js';
import { happened, testCatalog } from '../src/eventlog/testing/events.js';
import { silentLogger } from '../src/kernel/index.js';
import { freshPostgresStore, TEST_POSTGRES_URL } from '../src/store/testing/postgres.js';
import { type ClusterNode, spawnClusterNode, stopClusterNode } from '../test/support/cluster-spawn.js';

interface Options {
  events: number;
  keys: number;
  batch: number;
  partitions: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { events: 20_000, keys: 1_000, batch: 500, partitions: 6 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    const value = Number(args[i + 1]);
    if (!name || !(name in options) || !Number.isInteger(value) || value <= 0) {
      throw new Error(`bad argument ${args[i]} ${args[i + 1] ?? ''}: expected --events|--keys|--batch|--partitions <n>`);
    }
    options[name as keyof Options] = value;
  }
  return options;
}

function makeEvents(count: number, keys: number): Envelope[] {
  return Array.from({ length: count }, (_, i) => happened(`key-${i % keys}`, Math.floor(i / keys)));
}

async function baseline(o: Options): Promise<number> {
  const nc = await connect({ servers: TEST_NATS_URL });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const { streamPrefix, subjectPrefix } = uniquePrefixes();
  const stream = `${streamPrefix}raw`;
  try {
    await jsm.streams.add({ name: stream, subjects: [`${subjectPrefix}.raw.*`], duplicate_window: 120_000_000_000 });
    let received = 0;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    const consumers = [];
    for (let p = 0; p < o.partitions; p++) {
      await jsm.consumers.add(stream, {
        durable_name: `raw-${p}`,
        filter_subject: `${subjectPrefix}.raw.${p}`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_ack_pending: 4_096,
      });
      const c = await js.consumers.get(stream, `raw-${p}`);
      consumers.push(
        await c.consume({
          max_messages: 1_000,
          callback: (m) => {
            JSON.parse(m.string());
            m.ack();
            received += 1;
            if (received === o.events) done();
          },
        }),
      );
    }
    const events = makeEvents(o.events, o.keys);
    const start = performance.now();
    for (let i = 0; i < events.length; i += o.batch) {
      await Promise.all(
        events
          .slice(i, i + o.batch)
          .map((e) => js.publish(`${subjectPrefix}.raw.${partitionFor(e.partitionkey, o.partitions)}`, JSON.stringify(e), { msgID: e.id })),
      );
    }
    await all;
    const seconds = (performance.now() - start) / 1000;
    for (const c of consumers) await c.close();
    return o.events / seconds;
  } finally {
    await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  }
}

async function endToEnd(o: Options, processes: number): Promise<{ rate: number; publishRate: number }> {
  const { store, schema, drop } = await freshPostgresStore();
  await store.migrate();
  const prefixes = uniquePrefixes();
  const nodes: ClusterNode[] = [];
  const publisher = await openJetStreamEventLog({
    store,
    servers: TEST_NATS_URL,
    catalog: testCatalog(),
    logger: silentLogger(),
    settings: { ...prefixes, defaultPartitions: o.partitions },
  });
  try {
    await publisher.ensureTopic('bench.things', o.partitions);
    for (let i = 0; i < processes; i++) {
      nodes.push(
        await spawnClusterNode({
          postgresUrl: TEST_POSTGRES_URL,
          schema,
          natsUrl: TEST_NATS_URL,
          ...prefixes,
          processId: `bench-${i}`,
          topic: 'bench.things',
          group: 'bench',
          partitions: o.partitions,
          logLevel: 'error',
        }),
      );
    }
    // Wait until the partitions are dealt and stable (every member owns its share).
    const share = Math.floor(o.partitions / processes);
    for (;;) {
      const owners = await store.db.selectFrom('el_leases').select('owner').where('group', '=', 'bench').execute();
      const counts = new Map<string, number>();
      for (const r of owners) if (r.owner) counts.set(r.owner, (counts.get(r.owner) ?? 0) + 1);
      if (owners.length === o.partitions && counts.size === processes && [...counts.values()].every((n) => n >= share)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const events = makeEvents(o.events, o.keys);
    const start = performance.now();
    // As a hub publishes: each batch in the transaction of its state change; the relay follows.
    for (let i = 0; i < events.length; i += o.batch) {
      await store.transaction((tx) => publisher.publish('bench.things', events.slice(i, i + o.batch), { tx }));
    }
    const published = performance.now();
    for (;;) {
      const row = await store.db
        .selectFrom('kv')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('namespace', '=', 'effect')
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= o.events) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - start) / 1000;
    return { rate: o.events / seconds, publishRate: o.events / ((published - start) / 1000) };
  } finally {
    for (const n of nodes) await stopClusterNode(n);
    await publisher.close();
    await deleteStreams(prefixes.streamPrefix);
    await drop();
  }
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const raw = await baseline(o);
  const one = await endToEnd(o, 1);
  const three = await endToEnd(o, 3);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
  console.log(`cluster event log: ${o.events} events, ${o.keys} keys, ${o.partitions} partitions, publish batches of ${o.batch}`);
  console.log('| run                                   |   events/s | publish events/s |');
  console.log('|---------------------------------------|-----------:|-----------------:|');
  console.log(`| raw JetStream publish + consume       | ${fmt(raw)} |                - |`);
  console.log(`| end to end, 1 process                 | ${fmt(one.rate)} |       ${fmt(one.publishRate)} |`);
  console.log(`| end to end, 3 processes               | ${fmt(three.rate)} |       ${fmt(three.publishRate)} |`);
  console.log(
    `bench cluster: ${Math.round(three.rate)} events/s (3 processes); baseline ${Math.round(raw)} msgs/s; ratio ${(three.rate / raw).toFixed(2)}`,
  );
}
