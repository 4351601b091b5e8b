/**
 * Availability (ATP), each figure beside its baseline in the same run.
 *
 *   npm run bench -- availability [--items 10000] [--rate 2000] [--seconds 5]
 *
 * 1. lookups: in-process `availability.get` of one item for the `web` channel (two locations,
 *    buffer, lot exclusion and in-transit policies on), served from the read model.
 * 2. http: GET /v1/availability at a fixed rate, open loop (each request has a scheduled send time;
 *    latency counts from it, so a stall is not hidden by the client waiting), from a worker thread
 *    with an undici pool; beside a bare Fastify route returning the same JSON. Two alternating
 *    rounds of each; the best p99 of each side is reported (all rounds are printed).
 * 3. allocation: reserve calls of one unit on 4 items from 64 concurrent callers (all contend on
 *    the same rows), SQLite store.
 * 4. propagation: inventory events applied at a fixed rate, each moving a different item enough to
 *    be pushed; latency from applying the event to the simulated channel receiving the figure,
 *    through the publisher's batching and a 20 calls/s rate budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { BucketBudget } from '../src/connectors/sdk/index.js';
import {
  Availability,
  type AvailabilityConfigInput,
  AvailabilityPublisher,
  type AvailabilityUpdate,
} from '../src/domains/availability/index.js';
import { movement, snapshot } from '../src/domains/availability/testing/fixtures.js';
import { availabilityRoutes } from '../src/gateway/routes/v1/availability.route.js';
import { silentLogger } from '../src/kernel/index.js';
import { SqliteStore } from '../src/store/index.js';

interface Options {
  items: number;
  rate: number;
  seconds: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { items: 10_000, rate: 2_000, seconds: 5 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    const value = Number(args[i + 1]);
    if (name !== 'items' && name !== 'rate' && name !== 'seconds')
      throw new Error(`unknown argument ${args[i]}: expected --items|--rate|--seconds <n>`);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`bad value for ${args[i]}: ${args[i + 1]}`);
    options[name] = value;
  }
  return options;
}

const config: AvailabilityConfigInput = {
  locations: [
    { code: 'DAL', timeZone: 'America/Chicago', calendar: { cutOffTime: '15:00' } },
    { code: 'RNO', timeZone: 'America/Los_Angeles', calendar: { cutOffTime: '14:00' } },
  ],
  channels: {
    web: {
      locations: ['DAL', 'RNO'],
      buffer: { kind: 'absolute', units: 2 },
      excludeExpiringWithinDays: 30,
      inTransit: { horizonDays: 7 },
      publish: { lowStock: 5, minChange: 10, batchMs: 100, batchSize: 250, budget: { perSecond: 20, burst: 5 } },
    },
  },
  transit: [
    { from: 'DAL', region: 'south', days: 1 },
    { from: 'RNO', region: 'west', days: 1 },
  ],
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The load generator runs in its own thread so that its timers and parsing do not share the event
 * loop with the server it measures. Plain CommonJS evaluated by the worker (no TypeScript loader).
 */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
// An evaluated worker may start without the performance global that undici reads at load.
globalThis.performance ??= performance;
const { Pool } = require(workerData.undici);
async function main() {
  const { url, path, rate, seconds, warmupSeconds } = workerData;
  const pool = new Pool(url, { connections: 32, pipelining: 1, keepAliveTimeout: 30000 });
  const interval = 1000 / rate;
  const total = Math.round(rate * (seconds + warmupSeconds));
  const warmup = Math.round(rate * warmupSeconds);
  const latencies = [];
  let errors = 0;
  const start = performance.now() + 50;
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Timers wake at millisecond grain: a send up to 1 ms early is timed from the send, never from
    // the (later) schedule; a late one from the schedule, as an open-loop client must.
    const from = Math.min(due, performance.now());
    inflight.push(
      pool.request({ path, method: 'GET' }).then(async (res) => {
        await res.body.text();
        if (res.statusCode !== 200) errors++;
        if (i >= warmup) latencies.push(performance.now() - from);
      }, () => { errors++; }),
    );
  }
  await Promise.all(inflight);
  await pool.close();
  parentPort.postMessage({ latencies, errors });
}
main().catch((err) => parentPort.postMessage({ latencies: [], errors: -1, message: String(err) }));
`;

async function openLoop(
  url: string,
  path: string,
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; errors: number; n: number }> {
  const worker = new Worker(CLIENT_SOURCE, {
    eval: true,
    workerData: { url, path, rate, seconds, warmupSeconds: 1, undici: createRequire(import.meta.url).resolve('undici') },
  });
  const result = await new Promise<{ latencies: number[]; errors: number; message?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (result.errors < 0) throw new Error(`load generator failed: ${result.message}`);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors: result.errors, n: sorted.length };
}

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const dir = mkdtempSync(join(tmpdir(), 'cd-bench-av-'));
  const store = SqliteStore.open({ file: join(dir, 'bench.db') });
  try {
    await store.migrate();
    const av = await Availability.open({ store, policies: config });
    const skus = Array.from({ length: options.items }, (_, i) => `SKU-${String(i).padStart(6, '0')}`);
    for (let i = 0; i < skus.length; i += 1000) {
      const chunk = skus.slice(i, i + 1000);
      for (const location of ['DAL', 'RNO']) {
        const positions = chunk.map((item, j) => ({
          item,
          location,
          onHand: 50 + ((i + j) % 200),
          lots: [{ lot: `L-${item}`, expiry: '2027-01-01', qty: 10 }],
        }));
        await store.transaction((tx) => av.applyInventoryEvent(snapshot(`erp-${location.toLowerCase()}`, positions), tx));
      }
    }

    // 1. In-process lookups.
    const lookups = 300_000;
    for (let i = 0; i < 20_000; i++) av.get({ items: [skus[i % skus.length] ?? ''], channel: 'web' });
    const t0 = performance.now();
    let checksum = 0;
    for (let i = 0; i < lookups; i++)
      checksum += av.get({ items: [skus[(i * 7919) % skus.length] ?? ''], channel: 'web' }).items[0]?.available ?? 0;
    const lookupRate = lookups / ((performance.now() - t0) / 1000);
    if (checksum <= 0) throw new Error('lookups returned nothing');

    // 2. HTTP beside a bare Fastify route returning the same JSON.
    const path = `/v1/availability?items=${skus[42]},${skus[4242 % skus.length]}&channel=web`;
    const app = Fastify({ loggerInstance: silentLogger() });
    availabilityRoutes(app, { availability: av });
    const fixed = av.get({ items: [skus[42] ?? '', skus[4242 % skus.length] ?? ''], channel: 'web' });
    const bare = Fastify({ loggerInstance: silentLogger() });
    bare.get('/v1/availability', async () => fixed);
    const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
    // Two alternating rounds each, best p99 kept for both: on a shared machine one round can meet a
    // neighbour's burst of CPU, and alternating keeps that from favouring either side.
    const rounds: Array<{ http: Awaited<ReturnType<typeof openLoop>>; baseline: Awaited<ReturnType<typeof openLoop>> }> = [];
    for (let round = 0; round < 2; round++) {
      const b = await openLoop(bareUrl, path, options.rate, options.seconds);
      const h = await openLoop(appUrl, path, options.rate, options.seconds);
      rounds.push({ http: h, baseline: b });
    }
    const best = (xs: Array<Awaited<ReturnType<typeof openLoop>>>) => xs.reduce((a, b) => (b.p99 < a.p99 ? b : a));
    const baseline = best(rounds.map((r) => r.baseline));
    const http = best(rounds.map((r) => r.http));
    console.log(`http rounds p99 ms: ${rounds.map((r) => `${fmt(r.http.p99)} (baseline ${fmt(r.baseline.p99)})`).join(', ')}`);
    await app.close();
    await bare.close();

    // 3. Allocation under contention.
    const hot = skus.slice(0, 4);
    for (const item of hot) await store.transaction((tx) => av.applyInventoryEvent(movement('receipt', item, 'DAL', 100_000), tx));
    const reserves = 2_000;
    let next = 0;
    let refused = 0;
    const ta = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < reserves) {
          const n = next++;
          try {
            await av.reserve({ order: `BENCH-${n}`, channel: 'web', lines: [{ line: '1', item: hot[n % hot.length] ?? '', qty: 1 }] });
          } catch {
            refused += 1;
          }
        }
      }),
    );
    const allocRate = reserves / ((performance.now() - ta) / 1000);

    // 4. Event-to-channel propagation through the publisher and a rate budget.
    const sent = new Map<string, number>();
    const latencies: number[] = [];
    const sink = {
      async push(updates: AvailabilityUpdate[]) {
        const now = performance.now();
        for (const u of updates) {
          const at = sent.get(u.item);
          if (at !== undefined) {
            latencies.push(now - at);
            sent.delete(u.item);
          }
        }
      },
    };
    const publisher = new AvailabilityPublisher({
      availability: av,
      sinks: { web: sink },
      budgets: { web: new BucketBudget('channel:web', 5, 20) },
    });
    const events = Math.min(1_000, skus.length - 10);
    const eventRate = 400;
    // Figures the channel already has: only the changes below are pushed.
    await publisher.resyncChannel('web');
    publisher.start();
    const tp = performance.now();
    for (let i = 0; i < events; i++) {
      const due = tp + (i * 1000) / eventRate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const item = skus[10 + i] ?? '';
      sent.set(item, performance.now());
      await store.transaction((tx) => av.applyInventoryEvent(movement('receipt', item, 'DAL', 100), tx));
    }
    const deadline = performance.now() + 10_000;
    while (sent.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await publisher.stop();
    const propagation = [...latencies].sort((a, b) => a - b);

    const rows: Array<[string, string, string]> = [
      ['in-process lookups/s (1 item, web)', fmt(lookupRate, 0), `${options.items.toLocaleString('en-US')} items x 2 locations in memory`],
      [`http GET p50 / p99 ms @ ${options.rate} req/s`, `${fmt(http.p50)} / ${fmt(http.p99)}`, `${http.n} requests, ${http.errors} errors`],
      [
        '  baseline: bare Fastify, same JSON',
        `${fmt(baseline.p50)} / ${fmt(baseline.p99)}`,
        `${baseline.n} requests, ${baseline.errors} errors`,
      ],
      ['reserves/s (64 callers, 4 items)', fmt(allocRate, 0), `SQLite; ${refused} refused`],
      [
        'propagation p50 / p99 ms',
        `${fmt(percentile(propagation, 50))} / ${fmt(percentile(propagation, 99))}`,
        `${propagation.length}/${events} events @ ${eventRate}/s, batch 100 ms, budget 20/s`,
      ],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
    console.log(`ratio http p99 / baseline p99: ${fmt(http.p99 / baseline.p99)}`);
    console.log(
      `bench availability: ${fmt(lookupRate, 0)} lookups/s; http p99 ${fmt(http.p99)} ms (baseline p99 ${fmt(baseline.p99)} ms); propagation p99 ${fmt(percentile(propagation, 99))} ms`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
