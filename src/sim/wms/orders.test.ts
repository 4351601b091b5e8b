import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startWebhookSink, type WebhookSink } from '../kit/webhook-sink.js';
import { startWmsSim, type WmsSim } from './index.js';
import { callWms, verifyWmsSignature } from './testing.js';

let sim: WmsSim;
let sink: WebhookSink;
beforeEach(async () => {
  sim = await startWmsSim({ webhookRetryDelaysMs: [20, 40], rateLimit: { limit: 1000, refillPerSecond: 1000 } });
  sink = await startWebhookSink();
});
afterEach(async () => {
  await sim.close();
  await sink.close();
});

const release = (reference: string) => ({
  reference,
  ship_to: { name: 'Ada Lovelace', address1: '12 Wharf Road', city: 'Leeds', postal_code: 'LS1 4DY', country: 'GB' },
  carrier: { code: 'DHL', service: 'EXPRESS' },
  lines: [
    { sku: 'SKU-A', quantity: 3 },
    { sku: 'SKU-B', quantity: 1 },
  ],
});

const headerOf = (h: Record<string, string | string[] | undefined>, name: string) => {
  const value = h[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

describe('WMS sim: authentication', () => {
  it('answers 401 with the vendor error shape without a key or with a wrong one', async () => {
    const none = await callWms(sim.url, 'GET', '/v1/orders');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: { code: 'unauthorized', message: 'Missing API key. Send Authorization: Bearer <key>.', details: [] },
    });
    const wrong = await callWms(sim.url, 'GET', '/v1/orders', { apiKey: 'nope' });
    expect(wrong.status).toBe(401);
    const ok = await callWms(sim.url, 'GET', '/v1/orders', { apiKey: sim.apiKey });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ data: [], next_cursor: null });
  });
});

describe('WMS sim: orders', () => {
  it('releases an order, refuses a second one with the same reference, and finds it by reference', async () => {
    const created = await callWms(sim.url, 'POST', '/v1/orders', { apiKey: sim.apiKey, body: release('SO-1001') });
    expect(created.status).toBe(201);
    const order = z.looseObject({ id: z.string(), status: z.string() }).parse(created.body);
    expect(order.status).toBe('released');
    expect(headerOf(created.headers, 'location')).toBe(`/v1/orders/${order.id}`);

    const duplicate = await callWms(sim.url, 'POST', '/v1/orders', { apiKey: sim.apiKey, body: release('SO-1001') });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({
      error: {
        code: 'duplicate_reference',
        message: 'An order with reference SO-1001 already exists.',
        details: [{ field: 'reference', existing_id: order.id }],
      },
    });

    const found = await callWms(sim.url, 'GET', '/v1/orders?reference=SO-1001', { apiKey: sim.apiKey });
    expect(found.body).toEqual({ data: [order], next_cursor: null });
    const byId = await callWms(sim.url, 'GET', `/v1/orders/${order.id}`, { apiKey: sim.apiKey });
    expect(byId.body).toEqual(order);
    expect(sim.state.orders.size).toBe(1);
  });

  it('rejects an invalid order with 422 naming each bad field', async () => {
    const reply = await callWms(sim.url, 'POST', '/v1/orders', {
      apiKey: sim.apiKey,
      body: { ...release('SO-BAD'), lines: [{ sku: 'SKU-A', quantity: 0 }] },
    });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'lines[0].quantity' }] } });
  });

  it('runs released → picked → packed → shipped, each a signed webhook, and refuses to cancel once shipped', async () => {
    sim.seedInventory('SKU-A', 10);
    sim.subscribe(sink.url);
    const order = sim.createOrder(release('SO-2001'));
    const advanced = await fetch(`${sim.url}/_sim/advance`, {
      method: 'POST',
      body: JSON.stringify({ order_id: order.id, to: 'shipped' }),
    });
    expect(advanced.status).toBe(200);
    const deliveries = await sink.waitFor(4);
    expect(deliveries.map((d) => headerOf(d.headers, 'X-WMS-Event-Type'))).toEqual([
      'order.released',
      'order.picked',
      'order.packed',
      'order.shipped',
    ]);
    for (const d of deliveries) {
      expect(verifyWmsSignature(d.rawBody, headerOf(d.headers, 'X-WMS-Signature'), sim.webhookSecret)).toBe(true);
      expect(verifyWmsSignature(d.rawBody, headerOf(d.headers, 'X-WMS-Signature'), 'whsec_other')).toBe(false);
      expect(headerOf(d.headers, 'X-WMS-Event-Id')).toBe(JSON.parse(d.rawBody).id);
    }
    const shipped = JSON.parse(deliveries[3]!.rawBody).data;
    expect(shipped.shipments[0]).toMatchObject({ carrier: 'DHL', service: 'EXPRESS', tracking_number: expect.stringMatching(/^1Z/) });
    expect(shipped.shipments[0].lines[0]).toEqual({
      line_no: 1,
      sku: 'SKU-A',
      quantity: 3,
      lots: [{ lot: 'LOT-SKU-A-A', quantity: 3, expires_on: null }],
    });
    expect(sim.state.inventoryList({ sku: 'SKU-A' })[0]).toMatchObject({ on_hand: 7, allocated: 0, available: 7 });

    const cancel = await callWms(sim.url, 'POST', `/v1/orders/${order.id}/cancel`, { apiKey: sim.apiKey });
    expect(cancel.status).toBe(409);
    expect(cancel.body).toMatchObject({ error: { code: 'order_not_cancellable' } });
  });

  it('cancels an unshipped order and releases its allocation', async () => {
    sim.seedInventory('SKU-A', 10);
    const order = sim.createOrder(release('SO-3001'));
    expect(sim.state.inventoryList({ sku: 'SKU-A' })[0]?.available).toBe(7);
    const cancel = await callWms(sim.url, 'POST', `/v1/orders/${order.id}/cancel`, { apiKey: sim.apiKey });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled' });
    expect(sim.state.inventoryList({ sku: 'SKU-A' })[0]?.available).toBe(10);
  });

  it('holds an order on a short-pick exception and ships the reduced quantity when resumed', async () => {
    sim.seedInventory('SKU-A', 10);
    sim.subscribe(sink.url, ['order.exception', 'order.shipped']);
    const order = sim.createOrder(release('SO-4001'));
    sim.advance(order.id, { exception: { code: 'short', sku: 'SKU-A', quantity: 1 } });
    expect(sim.state.orders.get(order.id)?.status).toBe('exception');
    sim.advance(order.id, { to: 'shipped' });
    const [exception, shipped] = await sink.waitFor(2);
    expect(JSON.parse(exception!.rawBody).data.exception).toMatchObject({ code: 'short', sku: 'SKU-A', quantity: 1 });
    expect(JSON.parse(shipped!.rawBody).data.lines[0]).toMatchObject({ sku: 'SKU-A', quantity: 3, shipped_quantity: 2 });
  });

  it('pages orders with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) sim.createOrder(release(`SO-P${i}`));
    const refs: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: Awaited<ReturnType<typeof callWms>> = await callWms(
        sim.url,
        'GET',
        `/v1/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { apiKey: sim.apiKey },
      );
      const page = z.object({ data: z.array(z.object({ reference: z.string() })), next_cursor: z.string().nullable() }).parse(reply.body);
      refs.push(...page.data.map((o) => o.reference));
      cursor = page.next_cursor;
    } while (cursor);
    expect(refs).toEqual(['SO-P0', 'SO-P1', 'SO-P2', 'SO-P3', 'SO-P4']);
  });
});
