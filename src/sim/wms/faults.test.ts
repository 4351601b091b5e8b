import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../kernel/index.js';
import { startWebhookSink, type WebhookSink } from '../kit/webhook-sink.js';
import { startWmsSim, type WmsSim } from './index.js';
import { callWms } from './testing.js';

let sim: WmsSim | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => {
  await sim?.close();
  await sink?.close();
  sim = undefined;
  sink = undefined;
});

const order = (reference: string) => ({
  reference,
  ship_to: { name: 'Grace Hopper', address1: '1 Navy Yard', city: 'Arlington', postal_code: '22202', country: 'US' },
  lines: [{ sku: 'SKU-A', quantity: 1 }],
});

describe('WMS sim: rate limit and faults', () => {
  it('answers 429 with Retry-After and rate-limit headers when the key bucket is empty, then recovers', async () => {
    const clock = new ManualClock();
    sim = await startWmsSim({ clock, rateLimit: { limit: 3, refillPerSecond: 0.5 } });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await callWms(sim.url, 'GET', '/v1/orders', { apiKey: sim.apiKey });
      expect(ok.status).toBe(200);
      remaining.push(String(ok.headers['x-ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await callWms(sim.url, 'GET', '/v1/orders', { apiKey: sim.apiKey });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.body).toEqual({
      error: {
        code: 'rate_limited',
        message: 'Too many requests. Retry after the time given in Retry-After.',
        details: [{ retry_after_seconds: 2 }],
      },
    });
    clock.advance(2_000);
    expect((await callWms(sim.url, 'GET', '/v1/orders', { apiKey: sim.apiKey })).status).toBe(200);
  });

  it('answers armed 429 and 503 with the vendor error body', async () => {
    sim = await startWmsSim();
    sim.faults.arm({ kind: 'status', status: 429, retryAfterSeconds: 7 }).arm({ kind: 'status', status: 503 });
    const limited = await callWms(sim.url, 'POST', '/v1/orders', { apiKey: sim.apiKey, body: order('SO-F1') });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
    const down = await callWms(sim.url, 'POST', '/v1/orders', { apiKey: sim.apiKey, body: order('SO-F1') });
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      error: { code: 'service_unavailable', message: 'The service is temporarily unavailable. Please retry.', details: [] },
    });
    expect(sim.state.orders.size).toBe(0);
  });

  it('creates the order but never answers on timeout-after-commit; the lookup by reference then finds it', async () => {
    sim = await startWmsSim();
    sim.faults.arm({ kind: 'timeout-after-commit' }, { method: 'POST', pathIncludes: '/v1/orders' });
    await expect(callWms(sim.url, 'POST', '/v1/orders', { apiKey: sim.apiKey, body: order('SO-T1'), timeoutMs: 300 })).rejects.toThrow(
      /timeout/i,
    );
    const lookup = await callWms(sim.url, 'GET', '/v1/orders?reference=SO-T1', { apiKey: sim.apiKey });
    expect(z.object({ data: z.array(z.unknown()) }).parse(lookup.body).data).toHaveLength(1);
    const retry = await callWms(sim.url, 'POST', '/v1/orders', { apiKey: sim.apiKey, body: order('SO-T1') });
    expect(retry.status).toBe(409);
  });

  it('delivers each webhook twice with the same event id when duplicates are armed, and reverses when reordering', async () => {
    sim = await startWmsSim({ webhookRetryDelaysMs: [] });
    sink = await startWebhookSink();
    sim.subscribe(sink.url, ['order.released']);
    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ duplicateWebhooks: true }) });
    sim.createOrder(order('SO-D1'));
    const dup = await sink.waitFor(2);
    expect(dup[0]!.headers['x-wms-event-id']).toBe(dup[1]!.headers['x-wms-event-id']);

    await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ duplicateWebhooks: false, reorderWebhooks: true, reorderWindow: 3 }),
    });
    for (const ref of ['SO-R1', 'SO-R2', 'SO-R3']) sim.createOrder(order(ref));
    const all = await sink.waitFor(5);
    expect(all.slice(2).map((d) => JSON.parse(d.rawBody).data.reference)).toEqual(['SO-R3', 'SO-R2', 'SO-R1']);
  });

  it('retries a failed webhook with the same event id and a fresh signature timestamp', async () => {
    const clock = new ManualClock();
    sim = await startWmsSim({ clock, webhookRetryDelaysMs: [10] });
    sink = await startWebhookSink();
    sim.subscribe(sink.url);
    sink.failNext(500);
    sim.createOrder(order('SO-W1'));
    await sink.waitFor(1);
    clock.advance(5_000);
    const [first, second] = await sink.waitFor(2);
    expect(first!.headers['x-wms-event-id']).toBe(second!.headers['x-wms-event-id']);
    expect(first!.headers['x-wms-signature']).not.toBe(second!.headers['x-wms-signature']);
    expect(String(second!.headers['x-wms-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });
});
