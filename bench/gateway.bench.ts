/**
 * The partner API gateway, each figure beside its baseline in the same run.
 *
 *   npm run bench -- gateway [--seconds 5] [--connections 16]
 *
 * 1. POST /v1/orders through everything a partner request meets: API key authentication, quota,
 *    validation of a canonical SalesOrder, Idempotency-Key (a new key per request), the durable
 *    write (document + status history + idempotency record) and the `crossdock.order.received.v1`
 *    outbox event, all in one SQLite transaction (WAL).
 * 2. GET /v1/availability (authenticated, quota-checked, served from memory) beside a bare Fastify
 *    route returning the same JSON.
 *
 * The load generator is a closed loop (N connections, each sending its next request when the last
 * answered) in a worker thread with an undici pool, so it does not share the server's event loop.
 * Latency is per request, send to last byte. Each side runs after a one-second warm-up.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { createCanonicalEventCatalog } from '../src/canonical/index.js';
import { Availability } from '../src/domains/availability/index.js';
import { movement, testConfig } from '../src/domains/availability/testing/fixtures.js';
import { DocumentStore, PartnerDocuments } from '../src/domains/orders/index.js';
import { SqlEventLog } from '../src/eventlog/index.js';
import { createGateway, IdempotencyStore, Identity, PARTNER_SCOPES, QuotaService } from '../src/gateway/index.js';
import { availabilityRoutes } from '../src/gateway/routes/v1/availability.route.js';
import { orderExample } from '../src/gateway/routes/v1/examples.js';
import { registerPartnerDocumentRoutes } from '../src/gateway/routes/v1/index.js';
import { silentLogger } from '../src/kernel/index.js';
import { createMetrics } from '../src/observability/index.js';
import { SqliteStore } from '../src/store/index.js';

interface Options {
  seconds: number;
  connections: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { seconds: 5, connections: 16 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    const value = Number(args[i + 1]);
    if (name !== 'seconds' && name !== 'connections') throw new Error(`unknown argument ${args[i]}: expected --seconds|--connections <n>`);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`bad value for ${args[i]}: ${args[i + 1]}`);
    options[name] = value;
  }
  return options;
}

/** Closed-loop client, plain CommonJS evaluated in a worker (no TypeScript loader there). */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
globalThis.performance ??= performance;
const { Pool } = require(workerData.undici);
async function main() {
  const { url, path, method, headers, bodyTemplate, seconds, warmupSeconds, connections } = workerData;
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30000 });
  const latencies = [];
  const statuses = {};
  let seq = 0;
  const start = performance.now();
  const measureFrom = start + warmupSeconds * 1000;
  const end = measureFrom + seconds * 1000;
  let measured = 0;
  async function loop() {
    while (performance.now() < end) {
      const n = seq++;
      const t0 = performance.now();
      const body = bodyTemplate ? Buffer.from(bodyTemplate.replaceAll('{{n}}', String(n))) : undefined;
      const h = bodyTemplate ? { ...headers, 'idempotency-key': 'bench-' + workerData.run + '-' + n } : headers;
      try {
        const res = await pool.request({ path, method, headers: h, body });
        await res.body.text();
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
      } catch (err) {
        statuses.error = (statuses.error || 0) + 1;
      }
      const t1 = performance.now();
      if (t0 >= measureFrom && t1 <= end) { latencies.push(t1 - t0); measured++; }
    }
  }
  await Promise.all(Array.from({ length: connections }, loop));
  await pool.close();
  parentPort.postMessage({ latencies, statuses, seconds });
}
main().catch((err) => parentPort.postMessage({ latencies: [], statuses: { error: -1 }, message: String(err) }));
`;

interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

let runSeq = 0;
async function load(
  url: string,
  request: { path: string; method: 'GET' | 'POST'; headers: Record<string, string>; bodyTemplate?: string },
  options: Options,
): Promise<LoadResult> {
  runSeq += 1;
  const worker = new Worker(CLIENT_SOURCE, {
    eval: true,
    workerData: {
      url,
      ...request,
      seconds: options.seconds,
      warmupSeconds: 1,
      connections: options.connections,
      run: `${process.pid}-${runSeq}`,
      undici: createRequire(import.meta.url).resolve('undici'),
    },
  });
  const result = await new Promise<{ latencies: number[]; statuses: Record<string, number>; message?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (result.statuses.error === -1) throw new Error(`load generator failed: ${result.message}`);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return { rate: sorted.length / options.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), statuses: result.statuses };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function row(name: string, r: LoadResult): string {
  const codes = Object.entries(r.statuses)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  return `${name.padEnd(34)} ${fmt(r.rate).padStart(8)} req/s   p50 ${fmt(r.p50, 2).padStart(6)} ms   p99 ${fmt(r.p99, 2).padStart(6)} ms   ${codes}`;
}

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const dir = mkdtempSync(join(tmpdir(), 'cd-bench-gw-'));
  const store = SqliteStore.open({ file: join(dir, 'bench.db') });
  try {
    await store.migrate();
    const logger = silentLogger();
    const eventlog = new SqlEventLog({ store, catalog: createCanonicalEventCatalog(), logger });
    const identity = new Identity({ store, signingKey: randomBytes(32) });
    const quotas = new QuotaService(store);
    await identity.createPartner('bench', 'Bench partner', 'internal');
    const { key } = await identity.createApiKey('bench', PARTNER_SCOPES);
    const gateway = createGateway({
      logger,
      metrics: createMetrics({ eventlog }),
      status: { version: 'bench', readiness: async () => [] },
      security: { identity, quotas, planOf: async (p) => (await identity.partner(p))?.plan ?? 'standard' },
    });
    const documents = new DocumentStore(store);
    registerPartnerDocumentRoutes(gateway, {
      store,
      documents: new PartnerDocuments(documents, eventlog),
      idempotency: new IdempotencyStore(store),
    });
    const availability = await Availability.open({ store, policies: testConfig });
    for (const [item, location, qty] of [
      ['SKU1', 'DAL', 500],
      ['SKU1', 'RNO', 200],
      ['SKU2', 'DAL', 300],
    ] as const) {
      await store.transaction((tx) => availability.applyInventoryEvent(movement('receipt', item, location, qty), tx));
    }
    availabilityRoutes(gateway, { availability });
    const avPath = '/v1/availability?items=SKU1,SKU2&channel=web';
    const fixed = availability.get({ items: ['SKU1', 'SKU2'], channel: 'web' });
    const bare = Fastify({ loggerInstance: silentLogger() });
    bare.get('/v1/availability', async () => fixed);
    const gwUrl = await gateway.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

    const auth = { authorization: `Bearer ${key}` };
    const bodyTemplate = JSON.stringify({ ...orderExample, channelOrderId: 'BENCH-{{n}}' });
    console.log(
      `gateway bench: ${options.connections} connections, ${options.seconds} s per side after 1 s warm-up, SQLite WAL; machine load average ${loadavg()[0]?.toFixed(1)}`,
    );
    const post = await load(
      gwUrl,
      { path: '/v1/orders', method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, bodyTemplate },
      options,
    );
    console.log(row('POST /v1/orders (full pipeline)', post));
    const baseline = await load(bareUrl, { path: avPath, method: 'GET', headers: {} }, options);
    console.log(row('GET bare Fastify route (baseline)', baseline));
    const get = await load(gwUrl, { path: avPath, method: 'GET', headers: auth }, options);
    console.log(row('GET /v1/availability (gateway)', get));

    const orders = await store.db
      .selectFrom('doc_documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const events = await store.db
      .selectFrom('el_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'crossdock.order.received.v1')
      .executeTakeFirstOrThrow();
    console.log(`stored orders ${fmt(Number(orders.n))}, order.received events ${fmt(Number(events.n))}`);
    if (Number(orders.n) !== Number(events.n)) throw new Error('every stored order must have its event');
    if ((post.statuses['201'] ?? 0) === 0 || (get.statuses['200'] ?? 0) === 0)
      throw new Error('the gateway answered no successful request');
    const ratio = get.rate / baseline.rate;
    console.log(
      `targets: POST >= 3,000 req/s with p99 < 25 ms: ${post.rate >= 3000 && post.p99 < 25 ? 'met' : 'NOT met'}; GET >= 0.5 x bare: ${ratio >= 0.5 ? 'met' : 'NOT met'}`,
    );
    await gateway.close();
    await bare.close();
    await eventlog.stop();
    console.log(
      `bench gateway: post ${Math.round(post.rate)} req/s p99 ${post.p99.toFixed(2)} ms; get ${Math.round(get.rate)} req/s; baseline ${Math.round(baseline.rate)} req/s; ratio ${ratio.toFixed(2)}`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
