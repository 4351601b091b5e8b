import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { salesOrderExample } from '../src/canonical/examples/orders.js';
import { makeEvent } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createObservabilityModule } from '../src/cli/runtime/modules/observability.module.js';
import type { HubModule } from '../src/cli/runtime/modules.js';
import { createBudget, HttpTransport } from '../src/connectors/sdk/index.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';
import { defineFlow, WorkflowEngine } from '../src/workflow/index.js';

/**
 * One request through every layer: the gateway publishes an event, a consumer starts a workflow,
 * the workflow's step calls an external system over HTTP. Every span lands in one trace, each the
 * child of the one before, and the external system receives the W3C traceparent.
 */
let dir: string;
let hub: Hub;
let erp: Server;
const exporter = new InMemorySpanExporter();
const received: Array<string | undefined> = [];
let engine: WorkflowEngine;

const chain: HubModule = {
  name: 'test-chain',
  async start(ctx) {
    const port = (erp.address() as AddressInfo).port;
    const transport = new HttpTransport({
      target: 'erp:test',
      baseUrl: `http://127.0.0.1:${port}`,
      budget: createBudget('erp:test', { kind: 'unlimited' }),
    });
    const flow = defineFlow({
      name: 'book-order',
      version: 1,
      description: 'books an order in the test ERP',
      input: z.object({ id: z.string() }),
      key: (i) => i.id,
      run: async (fctx, input) =>
        fctx.step('book', async () => (await transport.request({ method: 'POST', path: '/orders', body: input, idempotent: true })).status),
    });
    engine = new WorkflowEngine({ store: ctx.store, logger: ctx.logger, pollIntervalMs: 20 });
    engine.register(flow);
    ctx.eventlog.subscribe({
      group: 'o2c-test',
      topic: 'orders',
      handler: async (event, hctx) => {
        await engine.start(flow, { id: event.partitionkey }, { correlationid: event.correlationid, tx: hctx.tx });
      },
    });
    engine.startWorkers();
    ctx.lifecycle.onStop('test-engine', () => engine.stop());
    ctx.gateway.post('/trace-test/orders', { config: { public: true } }, async (_request, reply) => {
      await ctx.eventlog.publish('orders', [
        makeEvent({
          type: 'crossdock.order.received.v1',
          source: 'crossdock://gateway/test',
          data: salesOrderExample,
          partitionkey: 'so-trace-1',
        }),
      ]);
      return reply.code(202).send({ accepted: true });
    });
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-trace-'));
  erp = createServer((req, res) => {
    received.push(typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined);
    req.resume();
    req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"ERP-1"}'));
  });
  await new Promise<void>((r) => erp.listen(0, '127.0.0.1', r));
  const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' }, eventlog: { pollIntervalMs: 20 } } });
  hub = await startHub(config, { logger: silentLogger(), modules: [createObservabilityModule({ spanExporter: exporter }), chain] });
});
afterAll(async () => {
  await hub?.stop();
  await new Promise((r) => erp?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

describe('tracing', () => {
  it('connects gateway -> publish -> consume -> workflow step -> connector HTTP call in one trace', async () => {
    const upstream = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await fetch(`${hub.url}/trace-test/orders`, { method: 'POST', headers: { traceparent: upstream } });
    expect(res.status).toBe(202);
    const end = Date.now() + 10_000;
    while (!exporter.getFinishedSpans().some((s) => s.name === 'HTTP POST' && s.ended) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 25));
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => {
      const s = spans.find((x) => x.name === name);
      if (!s) throw new Error(`no span ${name}; have ${spans.map((x) => x.name).join(', ')}`);
      return s;
    };
    const server = byName('POST /trace-test/orders');
    const publish = byName('publish orders');
    const consume = byName('consume orders o2c-test');
    const step = byName('step book-order.book');
    const client = byName('HTTP POST');
    // The caller's trace continues: the gateway span is the child of the inbound traceparent.
    expect(server.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(parentOf(server)).toBe('b7ad6b7169203331');
    for (const s of [publish, consume, step, client]) expect(s.spanContext().traceId).toBe(server.spanContext().traceId);
    expect(parentOf(publish)).toBe(server.spanContext().spanId);
    expect(parentOf(consume)).toBe(publish.spanContext().spanId);
    expect(parentOf(step)).toBe(consume.spanContext().spanId);
    expect(parentOf(client)).toBe(step.spanContext().spanId);
    expect(client.attributes['http.response.status_code']).toBe(201);
    expect(step.attributes['crossdock.flow.key']).toBe('so-trace-1');
    // The envelope on the log carries the publish span; the ERP received the client span.
    const [stored] = await hub.eventlog.read('orders', { limit: 1 });
    expect(stored?.envelope.traceparent).toBe(`00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`);
    expect(received).toEqual([`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`]);
  });

  it('leaves calls made outside any trace untouched', async () => {
    received.length = 0;
    const port = (erp.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${port}/ping`, { method: 'POST' });
    expect(received).toEqual([undefined]);
  });
});

describe('OTLP export', () => {
  it('is off by default: no traceparent is written when tracing is not configured', async () => {
    const plainDir = mkdtempSync(join(tmpdir(), 'cd-trace-off-'));
    const plain = await startHub(loadConfig({ env: {}, overrides: { dataDir: plainDir, port: 0, log: { level: 'silent' } } }), {
      logger: silentLogger(),
      modules: [createObservabilityModule()],
    });
    try {
      await plain.eventlog.publish('orders', [
        makeEvent({ type: 'crossdock.order.received.v1', source: 'crossdock://test', data: salesOrderExample, partitionkey: 'so-off' }),
      ]);
      const [stored] = await plain.eventlog.read('orders', { limit: 1 });
      expect(stored?.envelope.traceparent).toBeUndefined();
    } finally {
      await plain.stop();
      rmSync(plainDir, { recursive: true, force: true });
    }
  });

  it('sends spans to the collector named by CROSSDOCK_OTLP_ENDPOINT', async () => {
    const posts: Array<{ path: string; bytes: number }> = [];
    const collector = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      req.on('end', () => {
        posts.push({ path: req.url ?? '', bytes });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const otlpDir = mkdtempSync(join(tmpdir(), 'cd-trace-otlp-'));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
    const config = loadConfig({
      env: { CROSSDOCK_OTLP_ENDPOINT: endpoint },
      overrides: { dataDir: otlpDir, port: 0, log: { level: 'silent' } },
    });
    const traced = await startHub(config, { logger: silentLogger(), modules: [createObservabilityModule()] });
    try {
      expect((await fetch(`${traced.url}/health`)).status).toBe(200);
    } finally {
      await traced.stop(); // flushes the batch of spans
      await new Promise((r) => collector.close(r));
      rmSync(otlpDir, { recursive: true, force: true });
    }
    expect(posts.length).toBeGreaterThan(0);
    expect(posts[0]?.path).toBe('/v1/traces');
    expect(posts[0]?.bytes).toBeGreaterThan(0);
  });
});
