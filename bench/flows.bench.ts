/**
 * Order-to-cash end to end in an embedded hub, beside a plain in-process function call.
 *
 *   npm run bench -- flows [--orders 2000] [--warmup 300] [--concurrency 64] [--steps 20] [--instances 500] [--network process|inline]
 *
 * 1. throughput: `orders` canonical orders are published on the `orders` topic of an embedded hub
 *    (SQLite, availability, the flows module); the four simulators (NetSuite, WMS, Salesforce,
 *    Shopify) listen on loopback in a process of their own (`--network inline`: in the hub's
 *    process, sharing its event loop). The warehouse ships each order as soon as it is released;
 *    shipments come back as signed WMS webhooks. `warmup` orders run first, unmeasured (a hub that
 *    has been running: code compiled, caches filled); then orders/s = orders / (first publish ->
 *    last flow completed). Every step is journaled (durable) as in production. The CPU each process used per
 *    order is printed beside it.
 * 2. step overhead: a flow of `steps` no-op steps, `instances` instances, on the same engine and
 *    store: (wall time per instance) / steps, beside the cost of a plain `await fn()` call. The
 *    figure on the last line is for steps with an undo (each commits its start before it runs);
 *    steps without one (journaled with the next write) are printed beside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { startHub } from '../src/cli/runtime/hub.js';
import { createFlowsModule } from '../src/cli/runtime/modules/flows.module.js';
import { movement } from '../src/domains/availability/testing/fixtures.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';
import type { Store } from '../src/store/index.js';
import { defineFlow, WorkflowEngine } from '../src/workflow/index.js';
import {
  loadAvailabilityModule,
  loadNetworkModule,
  loadOrderEvent,
  type NetworkInfo,
  shipEverything,
  startLoadNetwork,
} from '../test/support/flows-chaos-network.js';
import { startLoadNetworkProcess } from '../test/support/load-network-process.js';

interface Counts {
  orders: number;
  warmup: number;
  concurrency: number;
  steps: number;
  instances: number;
}

interface Options extends Counts {
  network: 'process' | 'inline';
}

function parseArgs(args: string[]): Options {
  const counts: Counts = { orders: 2_000, warmup: 300, concurrency: 64, steps: 20, instances: 500 };
  let network: Options['network'] = 'process';
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    const raw = args[i + 1];
    if (name === 'network' && (raw === 'process' || raw === 'inline')) {
      network = raw;
      continue;
    }
    const value = Number(raw);
    if (!name || !(name in counts) || !Number.isInteger(value) || value < (name === 'warmup' ? 0 : 1))
      throw new Error(
        `bad argument ${args[i]} ${raw ?? ''}: expected --orders|--warmup|--concurrency|--steps|--instances <n> or --network process|inline`,
      );
    counts[name as keyof Counts] = value;
  }
  return { ...counts, network };
}

/** The simulators, wherever they run: what the bench needs of them. */
interface Network {
  info: NetworkInfo;
  ship(hookUrl: string): Promise<void>;
  invoices(): Promise<number>;
  /** CPU the network used so far (ms); undefined when it shares the hub's process. */
  cpuMs(): Promise<number | undefined>;
  close(): Promise<void>;
}

async function startBenchNetwork(where: Options['network']): Promise<Network> {
  if (where === 'process') {
    const child = await startLoadNetworkProcess();
    return {
      info: child.info,
      ship: (hookUrl) => child.ship(hookUrl),
      invoices: async () => (await child.counts()).invoices,
      cpuMs: async () => (await child.counts()).cpuMs,
      close: () => child.close(),
    };
  }
  const net = await startLoadNetwork({ netsuiteConcurrency: 200 });
  let warehouse: ReturnType<typeof shipEverything> | undefined;
  return {
    info: net.info,
    async ship(hookUrl) {
      warehouse = shipEverything(net.wms, hookUrl);
    },
    invoices: async () => net.netsuite.state.all('invoice').length,
    cpuMs: async () => undefined,
    async close() {
      warehouse?.stop();
      await net.close();
    },
  };
}

function orderEvent(i: number) {
  const id = `BENCH-${String(i).padStart(6, '0')}`;
  return loadOrderEvent({
    id,
    eventId: `bench-order-${id}`,
    source: 'crossdock://bench',
    buyer: `Buyer ${i}`,
    customerRef: `bench-cust-${i}`,
    quantity: '2',
  });
}

const Count = z.object({ n: z.union([z.number(), z.string()]) });

/** How long the throughput run may go without a completed order before it reports where orders are stuck. */
const STALL_MS = 60_000;

/** The unfinished order-to-cash instances, counted by their latest journaled step and its status. */
async function whereTheyWait(store: Store): Promise<string> {
  const rows = await store.transaction((tx) =>
    tx.all<{ step: string; status: string; n: number }>(
      `SELECT s.step, s.status, count(*) AS n FROM wf_instances i JOIN wf_steps s ON s.flow = i.flow AND s."key" = i."key"
       WHERE i.flow = 'order-to-cash' AND i.status NOT IN ('completed', 'failed', 'cancelled')
         AND s.seq = (SELECT max(seq) FROM wf_steps l WHERE l.flow = i.flow AND l."key" = i."key")
       GROUP BY s.step, s.status ORDER BY n DESC LIMIT 10`,
      [],
    ),
  );
  return rows.map((r) => `${r.step} ${r.status} x${r.n}`).join(', ') || 'nowhere (no instance started)';
}

async function throughput(o: Options) {
  const dir = mkdtempSync(join(tmpdir(), 'cd-bench-flows-'));
  const net = await startBenchNetwork(o.network);
  const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
  const hub = await startHub(config, {
    logger: silentLogger(),
    modules: [
      loadAvailabilityModule(),
      loadNetworkModule(net.info, { withChannel: false }),
      createFlowsModule({ engine: { pollIntervalMs: 10, concurrency: o.concurrency } }),
    ],
  });
  await net.ship(`${hub.url}/hooks/wms`);
  await hub.eventlog.publish('inventory', [movement('receipt', 'SKU-A', 'WH1', 10_000_000)]);

  const engine = hub.services.flows?.engine;
  if (!engine) throw new Error('flows module did not start');
  // Polled while the orders run, so it must cost the hub little: all instances (counted on the
  // smallest index) less those not yet final (the partial index of instances that can be due);
  // only order-to-cash instances exist in this phase (checked after).
  const finished = async () => {
    const rows = await hub.store.transaction((tx) =>
      tx.all<{ n: number | string }>(
        "SELECT (SELECT count(*) FROM wf_instances) - (SELECT count(*) FROM wf_instances WHERE status IN ('running', 'suspended', 'compensating')) AS n",
        [],
      ),
    );
    return Number(rows[0]?.n ?? 0);
  };
  const completed = async () => {
    const row = await hub.store.db
      .selectFrom('wf_instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('flow', '=', 'order-to-cash')
      .where('status', 'in', ['completed', 'failed', 'cancelled'])
      .executeTakeFirstOrThrow();
    return Number(Count.parse(row).n);
  };

  /** Publishes orders `from`..`from + count - 1` and waits until `total` instances have finished. */
  const runOrders = async (from: number, count: number, total: number, label: string) => {
    const started = performance.now();
    const events = Array.from({ length: count }, (_, i) => orderEvent(from + i));
    for (let i = 0; i < events.length; i += 200) await hub.eventlog.publish('orders', events.slice(i, i + 200));
    let done = 0;
    let progressAt = Date.now();
    let lastDone = 0;
    let lastChange = Date.now();
    while (done < total) {
      await new Promise((r) => setTimeout(r, 25));
      done = await finished();
      const now = Date.now();
      if (done !== lastDone) {
        lastDone = done;
        lastChange = now;
      }
      if (now - progressAt >= 5_000) {
        progressAt = now;
        console.log(
          `  ... ${label}: ${done - (total - count)}/${count} orders completed after ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
      if (now - lastChange > STALL_MS) {
        throw new Error(
          `no order completed for ${STALL_MS / 1000} s (${label}: ${done - (total - count)}/${count} done); the others are at: ${await whereTheyWait(hub.store)}`,
        );
      }
    }
  };

  // Warm-up: the hub's code paths compiled and its caches filled, as in a hub that has been running.
  if (o.warmup > 0) await runOrders(o.orders, o.warmup, o.warmup, 'warm-up');
  const total = o.warmup + o.orders;

  const networkCpu0 = await net.cpuMs();
  const hubCpu0 = process.cpuUsage();
  const store0 = hub.store.stats();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await runOrders(0, o.orders, total, 'measured');
  const seconds = (performance.now() - t0) / 1000;
  const ended = await completed();
  if (ended !== total) throw new Error(`${total} instances finished, but ${ended} of them are order-to-cash (expected ${total})`);
  const hubCpu = process.cpuUsage(hubCpu0);
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const store1 = hub.store.stats();
  const store = { transactions: store1.transactions - store0.transactions, commits: store1.commits - store0.commits };
  const hubCpuMs = (hubCpu.user + hubCpu.system) / 1000;
  const networkCpu1 = await net.cpuMs();
  const networkCpuMs = networkCpu0 !== undefined && networkCpu1 !== undefined ? networkCpu1 - networkCpu0 : undefined;
  const failed = await hub.store.db
    .selectFrom('wf_instances')
    .select(['key', 'status', 'error'])
    .where('flow', '=', 'order-to-cash')
    .where('status', '!=', 'completed')
    .execute();
  const invoices = await net.invoices();
  const stepsRow = await hub.store.db
    .selectFrom('wf_steps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('flow', '=', 'order-to-cash')
    .executeTakeFirstOrThrow();
  const steps = Number(Count.parse(stepsRow).n);
  const slowest = await hub.store.db
    .selectFrom('wf_steps')
    .select((eb) => ['step', eb.fn.avg<number>(eb(eb.ref('finished_at'), '-', eb.ref('started_at'))).as('ms')])
    .where('flow', '=', 'order-to-cash')
    .where('finished_at', 'is not', null)
    .groupBy('step')
    .orderBy('ms', 'desc')
    .limit(8)
    .execute();
  await hub.stop();
  await net.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, failed, invoices, steps, slowest, hubCpuMs, networkCpuMs, elu, total, store };
}

const noop = async (n: number) => n + 1;

/**
 * Wall time per no-op step of `instances` flows of `steps` steps each. A step with an undo commits
 * its start before it runs (a transaction per step); one without is journaled with the next write.
 */
async function microsPerStep(o: Options, withUndo: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cd-bench-steps-'));
  const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
  const hub = await startHub(config, { logger: silentLogger(), modules: [] });
  const engine = new WorkflowEngine({ store: hub.store, logger: silentLogger(), pollIntervalMs: 5, concurrency: o.concurrency });
  const undo = async () => {};
  const flow = defineFlow<{ id: string }, number>({
    name: 'bench-steps',
    version: 1,
    description: 'no-op steps',
    input: z.object({ id: z.string() }),
    key: (i) => i.id,
    async run(ctx) {
      let n = 0;
      for (let s = 0; s < o.steps; s++) n = await ctx.step(`s${s}`, () => noop(n), withUndo ? { compensate: undo } : {});
      return n;
    },
  });
  engine.register(flow);
  engine.startWorkers();
  const t0 = performance.now();
  for (let i = 0; i < o.instances; i++) await engine.start(flow, { id: `i${i}` });
  for (;;) {
    const rows = await hub.store.transaction((tx) =>
      tx.all<{ n: number | string }>("SELECT count(*) AS n FROM wf_instances WHERE flow = 'bench-steps' AND status = 'completed'", []),
    );
    if (Number(rows[0]?.n ?? 0) >= o.instances) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const perStepUs = ((performance.now() - t0) * 1000) / (o.instances * o.steps);
  await engine.stop();
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
  return perStepUs;
}

async function stepOverhead(o: Options) {
  const perStepUs = await microsPerStep(o, true);
  const withoutUndoUs = await microsPerStep(o, false);

  // Baseline: the same no-op as a plain in-process async call.
  const calls = 2_000_000;
  let n = 0;
  for (let i = 0; i < 100_000; i++) n = await noop(n);
  const b0 = performance.now();
  for (let i = 0; i < calls; i++) n = await noop(n);
  const baselineUs = ((performance.now() - b0) * 1000) / calls;
  return { perStepUs, withoutUndoUs, baselineUs };
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  console.log(
    `flows bench: ${o.orders} orders, engine concurrency ${o.concurrency}, simulators ${o.network === 'process' ? 'in their own process' : "in the hub's process"}; ${cpus().length} cpus, load ${loadavg()[0]?.toFixed(2)}`,
  );
  const t = await throughput(o);
  const ordersPerSecond = o.orders / t.seconds;
  console.log(
    `order-to-cash: ${o.orders} orders in ${t.seconds.toFixed(2)} s = ${ordersPerSecond.toFixed(1)} orders/s; ${(t.steps / t.total).toFixed(1)} journaled steps per order; ${t.invoices} invoices for ${t.total} orders (${o.warmup} of them warm-up, before the clock); ${t.failed.length} not completed`,
  );
  const perOrder = (ms: number) => `${(ms / o.orders).toFixed(2)} ms`;
  console.log(
    `cpu per order: hub ${perOrder(t.hubCpuMs)} (its event loop busy ${(t.elu * 100).toFixed(0)}% of the time)${t.networkCpuMs !== undefined ? `, simulators ${perOrder(t.networkCpuMs)}` : ' (simulators included)'}`,
  );
  console.log(
    `store per order: ${(t.store.transactions / o.orders).toFixed(1)} transactions, ${(t.store.commits / o.orders).toFixed(2)} COMMITs (${(t.store.transactions / Math.max(1, t.store.commits)).toFixed(1)} transactions per COMMIT)`,
  );
  console.log(`slowest steps (mean ms, call to journal): ${t.slowest.map((r) => `${r.step} ${Number(r.ms).toFixed(1)}`).join(', ')}`);
  for (const f of t.failed.slice(0, 5)) console.log(`  not completed: ${f.key} ${f.status} ${f.error ?? ''}`);
  const s = await stepOverhead(o);
  console.log(
    `step overhead: ${o.instances} instances x ${o.steps} no-op steps: ${s.perStepUs.toFixed(1)} us per step with an undo (its start committed first), ${s.withoutUndoUs.toFixed(1)} us without`,
  );
  console.log(`baseline: plain in-process async call ${s.baselineUs.toFixed(3)} us`);
  const ratio = s.perStepUs / s.baselineUs;
  console.log(
    `bench flows: ${ordersPerSecond.toFixed(1)} orders/s; step overhead ${s.perStepUs.toFixed(1)} us (baseline ${s.baselineUs.toFixed(3)} us); ratio ${ratio.toFixed(0)}`,
  );
}
