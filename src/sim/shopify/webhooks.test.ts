import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookSink, type WebhookSink } from '../kit/webhook-sink.js';
import { type ShopifySim, startShopifySim } from './index.js';
import { dig, postGraphql, verifyShopifyHmac } from './testing.js';

let sim: ShopifySim;
let sink: WebhookSink;
beforeEach(async () => {
  sim = await startShopifySim({ webhookRetryDelaysMs: [20, 40, 80], clientSecret: 'app-secret' });
  sink = await startWebhookSink();
});
afterEach(async () => {
  await sim.close();
  await sink.close();
});

const headerOf = (h: Record<string, string | string[] | undefined>, name: string) => {
  const value = h[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

describe('Shopify sim: webhooks', () => {
  it('delivers orders/create with Shopify headers and an HMAC that verifies only with the client secret', async () => {
    sim.subscribe('orders/create', sink.url);
    const order = sim.createOrder();
    const [delivery] = await sink.waitFor(1);
    if (!delivery) throw new Error('no delivery');
    expect(headerOf(delivery.headers, 'X-Shopify-Topic')).toBe('orders/create');
    expect(headerOf(delivery.headers, 'X-Shopify-Shop-Domain')).toBe(sim.shopDomain);
    expect(headerOf(delivery.headers, 'X-Shopify-API-Version')).toBe('2025-01');
    expect(headerOf(delivery.headers, 'X-Shopify-Webhook-Id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(headerOf(delivery.headers, 'X-Shopify-Event-Id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(headerOf(delivery.headers, 'X-Shopify-Triggered-At') ?? '')).not.toBeNaN();

    const hmac = headerOf(delivery.headers, 'X-Shopify-Hmac-Sha256');
    expect(verifyShopifyHmac(delivery.rawBody, hmac, 'app-secret')).toBe(true);
    expect(verifyShopifyHmac(delivery.rawBody, hmac, 'another-secret')).toBe(false);
    expect(verifyShopifyHmac(`${delivery.rawBody} `, hmac, 'app-secret')).toBe(false);

    const body: unknown = JSON.parse(delivery.rawBody);
    expect(dig(body, 'id')).toBe(order.id);
    expect(dig(body, 'admin_graphql_api_id')).toBe(`gid://shopify/Order/${order.id}`);
    expect(dig(body, 'line_items', 0, 'sku')).toBe('PALLET-WRAP-500');
    expect(dig(body, 'shipping_address', 'country_code')).toBe('GB');
  });

  it('retries a failed delivery with the same webhook id until the receiver accepts it', async () => {
    sim.subscribe('orders/create', sink.url);
    sink.failNext(500, 2);
    sim.createOrder();
    const deliveries = await sink.waitFor(3);
    const ids = deliveries.map((d) => headerOf(d.headers, 'X-Shopify-Webhook-Id'));
    expect(new Set(ids).size).toBe(1);
    expect(deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    await sim.webhooks.idle();
    expect(sim.webhooks.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
  });

  it('stops after the retry schedule is exhausted', async () => {
    sim.subscribe('orders/create', sink.url);
    sink.failNext(503, 10);
    sim.createOrder();
    await sim.webhooks.idle();
    expect(sink.received).toHaveLength(4);
  });

  it('sends the same webhook twice when duplicates are armed', async () => {
    sim.subscribe('orders/create', sink.url);
    sim.faults.duplicateWebhooks = true;
    sim.createOrder();
    const deliveries = await sink.waitFor(2);
    expect(headerOf(deliveries[0]!.headers, 'X-Shopify-Webhook-Id')).toBe(headerOf(deliveries[1]!.headers, 'X-Shopify-Webhook-Id'));
    expect(deliveries[0]!.rawBody).toBe(deliveries[1]!.rawBody);
  });

  it('delivers in creation order normally and in reverse when reordering is armed', async () => {
    sim.subscribe('orders/create', sink.url);
    const a = sim.createOrder();
    const b = sim.createOrder();
    await sink.waitFor(2);
    sim.faults.reorderWebhooks = true;
    const c = sim.createOrder();
    await sim.webhooks.idle();
    expect(sim.webhooks.heldCount()).toBe(1);
    const d = sim.createOrder();
    const all = await sink.waitFor(4);
    expect(all.map((w) => dig(JSON.parse(w.rawBody), 'id'))).toEqual([a.id, b.id, d.id, c.id]);
  });

  it('sends orders/cancelled, orders/updated and refunds/create for shop events triggered over the control API', async () => {
    for (const topic of ['orders/cancelled', 'refunds/create'] as const) {
      const res = await fetch(`${sim.url}/_sim/webhooks`, { method: 'POST', body: JSON.stringify({ topic, address: sink.url }) });
      expect(res.status).toBe(201);
    }
    const created = await fetch(`${sim.url}/_sim/orders`, { method: 'POST', body: JSON.stringify({}) });
    const orderId = dig(await created.json(), 'order', 'id');
    await fetch(`${sim.url}/_sim/orders/${String(orderId)}/refunds`, { method: 'POST', body: JSON.stringify({ note: 'damaged' }) });
    await fetch(`${sim.url}/_sim/orders/${String(orderId)}/cancel`, { method: 'POST', body: JSON.stringify({ reason: 'customer' }) });
    const deliveries = await sink.waitFor(2);
    expect(deliveries.map((d) => headerOf(d.headers, 'X-Shopify-Topic'))).toEqual(['refunds/create', 'orders/cancelled']);
    const refund: unknown = JSON.parse(deliveries[0]!.rawBody);
    expect(dig(refund, 'order_id')).toBe(orderId);
    expect(dig(refund, 'transactions', 0, 'kind')).toBe('refund');
    expect(dig(JSON.parse(deliveries[1]!.rawBody), 'cancel_reason')).toBe('customer');
  });

  it('registers a subscription through webhookSubscriptionCreate', async () => {
    const reply = await postGraphql(
      sim.graphqlUrl,
      sim.accessToken,
      `mutation($sub: WebhookSubscriptionInput!) {
        webhookSubscriptionCreate(topic: ORDERS_UPDATED, webhookSubscription: $sub) { webhookSubscription { id topic } userErrors { message } }
      }`,
      { sub: { callbackUrl: sink.url, format: 'JSON' } },
    );
    expect(dig(reply.body.data, 'webhookSubscriptionCreate', 'webhookSubscription', 'topic')).toBe('ORDERS_UPDATED');
    const order = sim.createOrder();
    sim.cancelOrder(order.id);
    const [delivery] = await sink.waitFor(1);
    expect(headerOf(delivery!.headers, 'X-Shopify-Topic')).toBe('orders/updated');
  });
});
