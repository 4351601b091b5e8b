import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanonicalEventCatalog, type Envelope, type SalesOrder } from '../../canonical/index.js';
import { WebhookReceiver } from '../sdk/index.js';
import { type ShopifyHarness, startShopifyHarness, startWebhookEndpoint, until } from './testing/harness.js';
import { shopifyOrdersTrigger } from './webhooks.js';

let h: ShopifyHarness;
let endpoint: Awaited<ReturnType<typeof startWebhookEndpoint>>;
const catalog = createCanonicalEventCatalog();

beforeAll(async () => {
  h = await startShopifyHarness();
  const instance = h.instance();
  const receiver = new WebhookReceiver({
    store: h.store,
    connector: 'shopify',
    instance: 'store-eu',
    spec: shopifyOrdersTrigger.spec,
    secret: () => shopifyOrdersTrigger.secret(instance.ctx.credentials),
    accept: async (delivery) => {
      h.published.push(...(await shopifyOrdersTrigger.map(delivery, instance.ctx)));
    },
  });
  endpoint = await startWebhookEndpoint(receiver);
  for (const topic of ['orders/create', 'orders/updated', 'orders/cancelled', 'refunds/create'] as const)
    h.sim.subscribe(topic, endpoint.url);
});
afterAll(async () => {
  await endpoint.close();
  await h.close();
});

const ofType = (type: string) => h.published.filter((e) => e.type === type);
const receipts = () => h.store.db.selectFrom('webhook_receipts').selectAll().execute();

describe('Shopify webhooks over loopback', () => {
  it('orders/create is verified, accepted once and published as a valid order.received with string ids', async () => {
    const order = h.sim.createOrder();
    await until(() => ofType('crossdock.order.received.v1').length === 1);
    const event = ofType('crossdock.order.received.v1')[0] as Envelope<SalesOrder>;
    expect(() => catalog.validate(event)).not.toThrow();
    expect(event.data.refs.shopify).toBe(String(order.id));
    expect(event.data.lines[0]?.refs?.shopify).toBe(String(order.line_items[0]?.id));
    expect(event.partitionkey).toBe(`order/shopify:store-eu:order:${order.id}`);
    expect(event.idempotencykey).toMatch(/^shopify:store-eu:/);
  });

  it('a redelivered webhook (same X-Shopify-Webhook-Id) is a duplicate and publishes nothing more', async () => {
    h.sim.faults.duplicateWebhooks = true;
    try {
      const before = ofType('crossdock.order.received.v1').length;
      const outcomesBefore = endpoint.outcomes.length;
      h.sim.createOrder();
      await until(() => endpoint.outcomes.length >= outcomesBefore + 2);
      expect(endpoint.outcomes.slice(outcomesBefore).map((o) => o.outcome)).toEqual(['accepted', 'duplicate']);
      expect(ofType('crossdock.order.received.v1').length).toBe(before + 1);
      const rows = await receipts();
      expect(rows.find((r) => r.delivery_id === endpoint.outcomes[outcomesBefore]?.deliveryId)?.duplicates).toBe(1);
    } finally {
      h.sim.faults.duplicateWebhooks = false;
    }
  });

  it('cancel and refund map to order.cancelled and creditmemo.posted; orders/updated is recorded without an event', async () => {
    const order = h.sim.createOrder();
    h.sim.refundOrder(order.id, [{ lineItemId: order.line_items[0]?.id ?? 0, quantity: 2 }], 'damaged in transit');
    h.sim.cancelOrder(order.id, 'customer');
    await until(() => ofType('crossdock.order.cancelled.v1').length === 1 && ofType('crossdock.creditmemo.posted.v1').length === 1);
    const cancelled = ofType('crossdock.order.cancelled.v1')[0];
    expect(cancelled?.data).toMatchObject({
      orderId: `shopify:store-eu:order:${order.id}`,
      channelOrderId: order.name,
      reasonCode: 'customer',
    });
    const memo = ofType('crossdock.creditmemo.posted.v1')[0];
    expect(() => catalog.validate(memo)).not.toThrow();
    expect(memo?.data).toMatchObject({
      status: 'refunded',
      reason: 'damaged in transit',
      totals: { total: { amount: '37.00', currency: 'USD' } },
    });
    const updatedOf = async () =>
      (await receipts()).filter((r) => r.topic === 'orders/updated' && r.status === 'accepted' && r.raw_body.includes(String(order.id)));
    for (let i = 0; i < 200 && (await updatedOf()).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await updatedOf()).toHaveLength(2);
  });

  it('a bad signature is answered 401 and recorded as rejected, with nothing published', async () => {
    const body = Buffer.from(JSON.stringify({ id: 1, currency: 'USD' }));
    const before = h.published.length;
    const res = await fetch(endpoint.url, {
      method: 'POST',
      body,
      headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': 'forged-1', 'x-shopify-hmac-sha256': 'bm90IGEgc2lnbmF0dXJl' },
    });
    expect(res.status).toBe(401);
    expect(h.published.length).toBe(before);
    const rejected = (await receipts()).filter((r) => r.status === 'rejected');
    expect(rejected.some((r) => r.delivery_id.endsWith(':forged-1'))).toBe(true);
  });

  it('keeps an order id above 2^53 exact (read from the raw body, not a rounded double)', async () => {
    const bigId = '9007199254740993';
    const raw = `{"id":${bigId},"name":"#9001","currency":"USD","created_at":"2026-01-05T10:00:00Z","line_items":[{"id":${bigId}1,"sku":"BIG","quantity":1,"price":"1.00","variant_id":12345678901234567}]}`;
    expect(String(JSON.parse(raw).id)).not.toBe(bigId);
    const hmac = createHmac('sha256', h.sim.clientSecret).update(raw).digest('base64');
    const res = await fetch(endpoint.url, {
      method: 'POST',
      body: raw,
      headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': 'big-id-1', 'x-shopify-hmac-sha256': hmac },
    });
    expect(res.status).toBe(200);
    const event = h.published.find((e) => e.idempotencykey === 'shopify:store-eu:big-id-1') as Envelope<SalesOrder> | undefined;
    expect(event?.data.refs.shopify).toBe(bigId);
    expect(event?.data.id).toBe(`shopify:store-eu:order:${bigId}`);
    expect(event?.data.lines[0]?.refs?.shopify).toBe(`${bigId}1`);
    expect(event?.data.lines[0]?.item.refs?.shopify).toBe('12345678901234567');
  });
});
