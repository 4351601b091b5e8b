/**
 * Event log on embedded SQLite, end to end, beside raw better-sqlite3 writing the same rows.
 *
 *   npm run bench -- eventlog [--events 100000] [--keys 1000] [--batch 500] [--partitions 8]
 *                             [--rate 2000] [--seconds 5]
 *
 * 1. throughput: events are published in batches while one consumer group (a handler writing one
 *    small effect row per event through ctx.tx) consumes them in the same process; events/s is
 *    N / (first publish call -> commit of the last handler's transaction).
 * 2. latency: single events published on a timer at a fixed rate; latency is the time from the
 *    publish call to the handler starting on that event.
 * 3. baseline: raw better-sqlite3 inserting the same rows (el_events columns, same envelope JSON,
 *    serialised in the loop as the log must) in transactions of the same batch size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import type { Envelope } from '../src/canonical/envelope.js';
import { type EventLog, partitionFor, SqlEventLog } from '../src/eventlog/index.js';
import { happened, testCatalog } from '../src/eventlog/testing/events.js';
import { silentLogger } from '../src/kernel/index.js';
import { SqliteStore } from '../src/store/index.js';

interface Options {
  events: number;
  keys: number;
  batch: number;
  partitions: number;
  rate: number;
  seconds: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { events: 100_000, keys: 1_000, batch: 500, partitions: 8, rate: 2_000, seconds: 5 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    const value = Number(args[i + 1]);
    if (!name || !(name in options) || !Number.isFinite(value) || value <= 0) {
      throw new Error(`bad argument ${args[i]} ${args[i + 1] ?? ''}: expected --events|--keys|--batch|--partitions|--rate|--seconds <n>`);
    }
    options[name as keyof Options] = value;
  }
  return options;
}

const TOPIC = 'bench.things';
const EFFECT = 'INSERT INTO kv (namespace, "key", value, version, updated_at) VALUES (?, ?, ?, ?, ?)';

/** Events of `keys` keys, interleaved (key 0 seq 0, key 1 seq 0, …), as publishers would send them. */
function makeEvents(count: number, keys: number): Envelope[] {
  const out: Envelope[] = [];
  for (let i = 0; i < count; i++) out.push(happened(`key-${i % keys}`, Math.floor(i / keys)));
  return out;
}

async function freshStore(dir: string, name: string): Promise<SqliteStore> {
  const store = SqliteStore.open({ file: join(dir, `${name}.db`) });
  await store.migrate();
  return store;
}

function newLog(store: SqliteStore, partitions: number): EventLog {
  return new SqlEventLog({ store, catalog: testCatalog(), logger: silentLogger(), defaultPartitions: partitions });
}

async function throughput(dir: string, o: Options): Promise<{ eventsPerSec: number; publishMs: number; totalMs: number }> {
  const store = await freshStore(dir, 'throughput');
  const log = newLog(store, o.partitions);
  const events = makeEvents(o.events, o.keys);
  let committed = 0;
  let lastCommit = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const onCommit = () => {
    committed += 1;
    if (committed === o.events) {
      lastCommit = performance.now();
      finish();
    }
  };
  log.subscribe({
    group: 'bench',
    topic: TOPIC,
    handler: async (event, ctx) => {
      await ctx.tx.run(EFFECT, ['effect', event.id, 'ok', 1, 0]);
      ctx.tx.afterCommit(onCommit);
    },
  });
  await log.ensureTopic(TOPIC);
  await log.start();
  const start = performance.now();
  for (let i = 0; i < events.length; i += o.batch) await log.publish(TOPIC, events.slice(i, i + o.batch));
  const published = performance.now();
  await done;
  await log.stop();
  await store.close();
  const totalMs = lastCommit - start;
  return { eventsPerSec: o.events / (totalMs / 1000), publishMs: published - start, totalMs };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function latency(dir: string, o: Options): Promise<{ p50: number; p99: number; max: number; count: number; achievedRate: number }> {
  const store = await freshStore(dir, 'latency');
  const log = newLog(store, o.partitions);
  const total = Math.round(o.rate * o.seconds);
  const events = makeEvents(total, o.keys);
  const publishedAt = new Map<string, number>();
  const latencies: number[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  log.subscribe({
    group: 'bench',
    topic: TOPIC,
    handler: async (event, ctx) => {
      const t0 = publishedAt.get(event.id);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
      await ctx.tx.run(EFFECT, ['effect', event.id, 'ok', 1, 0]);
      if (latencies.length === total) finish();
    },
  });
  await log.ensureTopic(TOPIC);
  await log.start();
  const start = performance.now();
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  // Node timers tick at ~1 ms, so each tick publishes whatever the fixed rate says is due, one
  // publish call per event.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * o.rate));
      while (sent < due) {
        const event = events[sent++]!;
        publishedAt.set(event.id, performance.now());
        pending.push(log.publish(TOPIC, [event]));
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    setTimeout(tick, 1);
  });
  const sendMs = performance.now() - start;
  await Promise.all(pending);
  await done;
  await log.stop();
  await store.close();
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    count: latencies.length,
    achievedRate: total / (sendMs / 1000),
  };
}

/**
 * With `checkpoints` false, SQLite never checkpoints during the run (the WAL only grows): the
 * insert rate without the fsyncs of checkpoints, which the store moves off the event loop.
 */
async function baseline(dir: string, o: Options, checkpoints: boolean): Promise<number> {
  // The schema comes from the same migration; then raw better-sqlite3 with the store's pragmas.
  const name = checkpoints ? 'baseline' : 'baseline-nockpt';
  const store = await freshStore(dir, name);
  await store.close();
  const raw = new BetterSqlite3(join(dir, `${name}.db`));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  if (!checkpoints) raw.pragma('wal_autocheckpoint = 0');
  const insert = raw.prepare(
    'INSERT INTO el_events (topic, "partition", "offset", id, type, "key", correlationid, published_at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const events = makeEvents(o.events, o.keys);
  const offsets = new Array<number>(o.partitions).fill(0);
  const insertBatch = raw.transaction((batch: Envelope[]) => {
    const now = Date.now();
    for (const e of batch) {
      const partition = partitionFor(e.partitionkey, o.partitions);
      const offset = offsets[partition] ?? 0;
      offsets[partition] = offset + 1;
      insert.run(TOPIC, partition, offset, e.id, e.type, e.partitionkey, e.correlationid, now, JSON.stringify(e));
    }
  });
  const start = performance.now();
  for (let i = 0; i < events.length; i += o.batch) insertBatch(events.slice(i, i + o.batch));
  const ms = performance.now() - start;
  raw.close();
  return o.events / (ms / 1000);
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-el-'));
  const loadBefore = loadavg()[0] ?? 0;
  try {
    const base = await baseline(dir, o, true);
    const baseNoCheckpoints = await baseline(dir, o, false);
    const tp = await throughput(dir, o);
    const lat = await latency(dir, o);
    const ratio = tp.eventsPerSec / base;
    const rows: Array<[string, string, string]> = [
      [
        'durable publish+consume (end to end)',
        `${fmt(tp.eventsPerSec)} events/s`,
        `${fmt(o.events)} events, ${fmt(o.keys)} keys, batches of ${o.batch}, ${o.partitions} partitions, ${fmt(tp.totalMs)} ms`,
      ],
      [
        '  of which publishing',
        `${fmt(o.events / (tp.publishMs / 1000))} events/s`,
        `${fmt(tp.publishMs)} ms until the last publish returned (consumer running alongside)`,
      ],
      ['baseline: raw better-sqlite3 insert', `${fmt(base)} rows/s`, `same el_events rows and envelope JSON, transactions of ${o.batch}`],
      ['  same, WAL never checkpointed', `${fmt(baseNoCheckpoints)} rows/s`, 'for reference: the raw rate without checkpoint fsyncs'],
      [
        'ratio (end to end / baseline)',
        fmt(ratio, 2),
        `target >= 0.15; ${fmt(tp.eventsPerSec / baseNoCheckpoints, 2)} against the rate without checkpoints`,
      ],
      [
        'publish-to-handler latency p50',
        `${fmt(lat.p50, 2)} ms`,
        `${fmt(lat.count)} single-event publishes at ${fmt(lat.achievedRate)}/s (asked ${fmt(o.rate)}/s)`,
      ],
      ['publish-to-handler latency p99', `${fmt(lat.p99, 2)} ms`, 'target < 10 ms'],
      ['publish-to-handler latency max', `${fmt(lat.max, 2)} ms`, ''],
      [
        'machine load (1-minute average)',
        `${fmt(loadBefore, 1)} -> ${fmt(loadavg()[0] ?? 0, 1)}`,
        `${cpus().length} cores; figures are wall-clock, so other work on the machine lowers them`,
      ],
    ];
    const widths = [0, 1, 2].map((c) =>
      Math.max(...rows.map((r) => r[c]?.length ?? 0), ['measure', 'value', 'conditions'][c]?.length ?? 0),
    );
    const line = (r: readonly string[]) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join(' | ')
        .trimEnd();
    console.log(line(['measure', 'value', 'conditions']));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of rows) console.log(line(r));
    console.log(
      `bench eventlog: ${Math.round(tp.eventsPerSec)} events/s; baseline ${Math.round(base)} rows/s; ratio ${ratio.toFixed(2)}; p99 ${lat.p99.toFixed(2)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
