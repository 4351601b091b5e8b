import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeEvent, OrderBookedEvent } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { apiModule } from '../src/cli/runtime/modules/api.module.js';
import { orderExample } from '../src/gateway/routes/v1/examples.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';

const Order = z.object({ id: z.string(), status: z.string() });
const Timeline = z.object({ entries: z.array(z.object({ status: z.string(), source: z.string() })) });
const Doc = z.object({ openapi: z.string(), paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

/** The partner API in a real embedded hub, over HTTP: the module wiring, the docs, the order status consumer. */
describe('partner API in a running hub', () => {
  let dir: string;
  let hub: Hub;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-api-hub-'));
    const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
    hub = await startHub(config, { logger: silentLogger(), modules: [apiModule] });
    await hub.identity.createPartner('acme', 'Acme Retail');
    key = (await hub.identity.createApiKey('acme', ['orders:read', 'orders:write'])).key;
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes an order over HTTP, and moves it along as lifecycle events arrive', async () => {
    const res = await fetch(`${hub.url}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'hub-1' },
      body: JSON.stringify(orderExample),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('ratelimit-policy')).toBe('"partner";q=600;w=60');
    const order = Order.parse(await res.json());
    expect(hub.services.documents).toBeDefined();

    await hub.eventlog.publish('orders', [
      makeEvent({
        type: OrderBookedEvent.type,
        source: 'crossdock://connector/netsuite/main',
        subject: `order/${order.id}`,
        partitionkey: `order/${order.id}`,
        data: { orderId: order.id, system: 'netsuite', externalId: 'SO-88' },
      }),
    ]);
    await hub.eventlog.drain({ timeoutMs: 10_000 });
    const read = await fetch(`${hub.url}/v1/orders/${order.id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(read.headers.get('etag')).toBe('"v2"');
    expect(await read.json()).toMatchObject({ id: order.id, status: 'booked' });
    const timeline = Timeline.parse(
      await (await fetch(`${hub.url}/v1/orders/${order.id}/timeline`, { headers: { authorization: `Bearer ${key}` } })).json(),
    );
    expect(timeline.entries.map((e) => e.status)).toEqual(['received', 'booked']);
    expect(timeline.entries[1]?.source).toBe('crossdock://connector/netsuite/main');
  });

  it('serves the OpenAPI document and the reference page without credentials', async () => {
    const doc = Doc.parse(await (await fetch(`${hub.url}/openapi.json`)).json());
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/orders/{id}/cancel');
    const page = await fetch(`${hub.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/docs/app.js');
  });

  it('the reference page renders every operation in a real browser, under its CSP', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
      });
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${hub.url}/docs`);
      await page.waitForSelector('#createOrder');
      const operations = await page.locator('section.op').count();
      const doc = Doc.parse(await (await fetch(`${hub.url}/openapi.json`)).json());
      const expected = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
      expect(operations).toBe(expected);
      expect(await page.locator('#createOrder').innerText()).toContain('channelOrderId');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
