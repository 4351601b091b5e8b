import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipmentInput } from '../../canonical/index.js';
import type { FulfillmentResult } from './operations/fulfillments.create.js';
import { type ShopifyHarness, startShopifyHarness } from './testing/harness.js';

let h: ShopifyHarness;
beforeAll(async () => {
  h = await startShopifyHarness();
});
afterAll(async () => {
  await h.close();
});

function shipmentFor(orderId: number, id: string, tracking: string, lines: ShipmentInput['lines'] = []): ShipmentInput {
  return {
    id,
    status: 'dispatched',
    orders: [{ type: 'salesorder', refs: { shopify: String(orderId) } }],
    carrier: { name: 'UPS' },
    trackingNumbers: [tracking],
    lines,
  };
}

describe('credentials', () => {
  it('a good token passes test(); a wrong one fails as CD_ERR_CONNECTOR_AUTH', async () => {
    await expect(h.instance().test()).resolves.toBeUndefined();
    await expect(h.instance({ credentials: { accessToken: 'shpat_wrong' } }).test()).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_AUTH',
      errorClass: 'permanent',
    });
  });
});

describe('orders.list', () => {
  it('walks every page of the cursor pagination and maps each order', async () => {
    const created = Array.from({ length: 12 }, () => h.sim.createOrder());
    const before = h.capture.list().length;
    const orders = await h.instance().invoke('orders.list', { pageSize: 5, linesPerOrder: 5 });
    expect(Array.isArray(orders)).toBe(true);
    const listed = orders as Array<{ refs: Record<string, string>; lines: unknown[]; channelOrderId?: string }>;
    const ids = listed.map((o) => o.refs.shopify);
    for (const o of created) expect(ids).toContain(String(o.id));
    expect(new Set(ids).size).toBe(ids.length);
    const pages = h.capture
      .list()
      .slice(before)
      .filter((c) => c.operation === 'orders.list' && c.status === 200);
    expect(pages.length).toBe(Math.ceil(listed.length / 5));
    const first = listed.find((o) => o.refs.shopify === String(created[0]?.id));
    expect(first?.channelOrderId).toBe(created[0]?.name);
    expect(first?.lines).toHaveLength(created[0]?.line_items.length ?? -1);
  });
});

describe('retry classes', () => {
  it('retries a 503 read, keeps a 400 permanent with the vendor body, and waits out a 429 Retry-After', async () => {
    const instance = h.instance();
    const read = () => instance.invoke('orders.list', { pageSize: 1, linesPerOrder: 1, maxPages: 1 });
    h.sim.faults.arm({ kind: 'status', status: 503 }, { pathIncludes: 'graphql.json' });
    await expect(read()).resolves.toBeDefined();

    h.sim.faults.arm({ kind: 'status', status: 400 }, { pathIncludes: 'graphql.json' });
    const err = await read().catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'CD_ERR_CONNECTOR_REJECTED',
      errorClass: 'permanent',
      details: { status: 400, vendorBody: { errors: 'HTTP 400' } },
    });

    h.sim.faults.arm({ kind: 'status', status: 429, retryAfterSeconds: 1 }, { pathIncludes: 'graphql.json' });
    const t0 = Date.now();
    await expect(read()).resolves.toBeDefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });
});

describe('fulfillments.create', () => {
  it('fulfils the order with tracking once; calling again returns the saved fulfillment', async () => {
    const order = h.sim.createOrder();
    const instance = h.instance();
    const input = { shipment: shipmentFor(order.id, `shp-happy-${order.id}`, '1Z999AA10123456784') };
    const first = (await instance.invoke('fulfillments.create', input)) as FulfillmentResult;
    const second = (await instance.invoke('fulfillments.create', input)) as FulfillmentResult;
    expect(second.fulfillmentId).toBe(first.fulfillmentId);
    const stored = h.sim.state.orders.get(order.id);
    expect(stored?.fulfillments).toHaveLength(1);
    expect(stored?.fulfillments[0]?.tracking_numbers).toEqual(['1Z999AA10123456784']);
    expect(stored?.fulfillment_status).toBe('fulfilled');
  });

  it('a timeout after Shopify committed the fulfillment never produces a second one', async () => {
    const order = h.sim.createOrder();
    const instance = h.instance();
    const input = { shipment: shipmentFor(order.id, `shp-timeout-${order.id}`, '1ZTIMEOUT0001') };
    // Let the planning query through, then swallow the answer to the mutation (which still commits).
    h.capture.onRecorded('fulfillments.plan', () => h.sim.faults.arm({ kind: 'timeout-after-commit' }, { pathIncludes: 'graphql.json' }));
    await expect(instance.invoke('fulfillments.create', input)).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_TIMEOUT',
      errorClass: 'retryable',
    });
    expect(h.sim.state.orders.get(order.id)?.fulfillments).toHaveLength(1);

    const retried = (await instance.invoke('fulfillments.create', input)) as FulfillmentResult;
    const fulfillments = h.sim.state.orders.get(order.id)?.fulfillments ?? [];
    expect(fulfillments).toHaveLength(1);
    expect(retried.fulfillmentId).toBe(String(fulfillments[0]?.id));
  });

  it('fulfils only the shipped lines, by SKU', async () => {
    const order = h.sim.createOrder();
    const line = order.line_items[1];
    const input = {
      shipment: shipmentFor(order.id, `shp-partial-${order.id}`, '1ZPARTIAL0001', [
        { item: { sku: line?.sku ?? '' }, quantity: { value: '4', uom: 'EA' } },
      ]),
    };
    await h.instance().invoke('fulfillments.create', input);
    const stored = h.sim.state.orders.get(order.id);
    expect(stored?.fulfillments[0]?.line_items).toEqual([expect.objectContaining({ sku: line?.sku, quantity: 4 })]);
    expect(stored?.fulfillment_status).toBe('partial');
  });

  it('a shipment naming no Shopify order is a mapping error', async () => {
    const input = { shipment: { id: 'shp-no-order', status: 'dispatched', orders: [{ number: 'SO-1' }] } };
    await expect(h.instance().invoke('fulfillments.create', input)).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_MAPPING',
      details: { path: 'shipment.orders' },
    });
  });
});

describe('inventory.set', () => {
  const position = (sku: string, available: string) => ({
    id: `pos-${sku}`,
    item: { sku },
    location: { code: 'main' },
    asOf: '2026-01-05T10:00:00Z',
    onHand: { value: available, uom: 'EA' },
    reportedAvailable: { value: available, uom: 'EA' },
  });

  it('sets available with compare-and-set; a stale compare is refused with Shopify’s words', async () => {
    const level = h.sim.stock('SET-A', 10);
    const instance = h.instance({ settings: { defaultLocationId: String(level.locationId) } });
    const result = await instance.invoke('inventory.set', {
      entries: [{ position: position('SET-A', '25'), compareQuantity: 10 }],
      reason: 'cycle_count_available',
    });
    expect(result).toMatchObject({
      changes: expect.arrayContaining([expect.objectContaining({ name: 'available', delta: 15, quantityAfterChange: 25 })]),
    });
    expect(h.sim.state.level(level.inventoryItemId, level.locationId)?.onHand).toBe(25);

    const stale = await instance
      .invoke('inventory.set', { entries: [{ position: position('SET-A', '30'), compareQuantity: 10 }] })
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', errorClass: 'permanent' });
    expect(String((stale as Error).message)).toContain('The compareQuantity value does not match persisted value.');
    expect(h.sim.state.level(level.inventoryItemId, level.locationId)?.onHand).toBe(25);
  });

  it('ignoreCompareQuantity sets without a compare; an unknown reason is a userError surfaced as rejected', async () => {
    const level = h.sim.stock('SET-B', 3);
    const instance = h.instance({ settings: { defaultLocationId: String(level.locationId) } });
    await instance.invoke('inventory.set', { entries: [{ position: position('SET-B', '7') }], ignoreCompareQuantity: true });
    expect(h.sim.state.level(level.inventoryItemId, level.locationId)?.onHand).toBe(7);
    await expect(
      instance.invoke('inventory.set', { entries: [{ position: position('SET-B', '8') }], ignoreCompareQuantity: true, reason: 'because' }),
    ).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', message: expect.stringContaining('The specified reason is invalid.') });
  });
});

describe('cost budget', () => {
  it('30 quick calls against a small bucket: none fails, the budget spreads them out, throttles stay rare and are waited out', async () => {
    const small = await startShopifyHarness({ throttle: { maximumAvailable: 100, restoreRate: 200 } });
    try {
      const instance = small.instance({ settings: { throttle: { capacity: 100, restorePerSecond: 200 } } });
      small.sim.createOrder();
      small.sim.createOrder();
      const t0 = Date.now();
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () => instance.invoke('orders.list', { pageSize: 1, linesPerOrder: 1, maxPages: 1 })),
      );
      const seconds = (Date.now() - t0) / 1000;
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const cost = (c: { responseBody?: string | undefined }) => JSON.parse(c.responseBody ?? '{}').extensions.cost;
      const served = small.capture.list().filter((c) => c.status === 200 && !c.error);
      expect(served).toHaveLength(30);
      // Our estimate of each call is exactly what Shopify requests: 2 + 1 × (10 + 4) points.
      expect(served.map((c) => cost(c).requestedQueryCost)).toEqual(Array(30).fill(16));
      const spent = served.reduce((n, c) => n + cost(c).actualQueryCost, 0);
      expect(spent).toBeGreaterThan(300);
      expect(seconds).toBeGreaterThanOrEqual((spent - 100) / 200 - 0.1);
      // The bucket is modelled on our side; a rare THROTTLED (Shopify's bucket refills from arrival,
      // ours from sending) is waited out and retried, never surfaced.
      const throttled = small.capture.list().filter((c) => c.error?.includes('RATE_LIMITED'));
      expect(throttled.length).toBeLessThanOrEqual(2);
    } finally {
      await small.close();
    }
  });

  it('turns a 200 THROTTLED answer into a wait computed from the restore rate, then succeeds', async () => {
    const slow = await startShopifyHarness({ throttle: { maximumAvailable: 50, restoreRate: 5 } });
    try {
      const instance = slow.instance({ settings: { throttle: { capacity: 50, restorePerSecond: 5 } } });
      slow.sim.throttle.drain();
      const t0 = Date.now();
      await expect(instance.test()).resolves.toBeUndefined();
      const exchanges = slow.capture.list();
      expect(exchanges[0]?.error).toMatch(/CD_ERR_CONNECTOR_RATE_LIMITED: Shopify throttled/);
      expect(exchanges.at(-1)?.error).toBeUndefined();
      // One point at 5 per second: about 200 ms.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    } finally {
      await slow.close();
    }
  });
});
