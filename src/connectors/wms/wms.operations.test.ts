import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotResult } from './operations/inventory.snapshot.js';
import type { ReleaseResult } from './operations/orders.release.js';
import { salesOrder, startWmsHarness, type WmsHarness } from './testing/harness.js';

let h: WmsHarness;
beforeAll(async () => {
  h = await startWmsHarness();
});
afterAll(async () => {
  await h.close();
});

describe('credentials', () => {
  it('a good key passes test(); a wrong one fails as CD_ERR_CONNECTOR_AUTH', async () => {
    await expect(h.instance().test()).resolves.toBeUndefined();
    await expect(h.instance({ credentials: { apiKey: 'wms_wrong' } }).test()).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_AUTH',
      errorClass: 'permanent',
    });
  });
});

describe('orders.release', () => {
  it('releases a canonical order with its reference, address, carrier and lines', async () => {
    h.sim.seedInventory('SKU-A', 50);
    const released = (await h.instance().invoke('orders.release', { order: salesOrder('SO-REL-1') })) as ReleaseResult;
    const order = h.sim.state.orders.get(released.externalId);
    expect(order).toMatchObject({
      reference: 'SO-REL-1',
      warehouse: 'WH1',
      status: 'released',
      ship_to: { name: 'Ada Lovelace', postal_code: 'LS1 4DY', country: 'GB' },
      carrier: { code: 'DHL', service: 'EXPRESS' },
      lines: [expect.objectContaining({ line_no: 1, sku: 'SKU-A', quantity: 3 })],
    });
  });

  it('one answer lost after commit: the Idempotency-Key resend gets the same order back (one record)', async () => {
    h.sim.faults.arm({ kind: 'timeout-after-commit' }, { method: 'POST', pathIncludes: '/v1/orders' });
    const released = (await h.instance().invoke('orders.release', { order: salesOrder('SO-REL-2') })) as ReleaseResult;
    const all = [...h.sim.state.orders.values()].filter((o) => o.reference === 'SO-REL-2');
    expect(all.map((o) => o.id)).toEqual([released.externalId]);
  });

  it('every answer lost: the call fails as a timeout; the next call finds the order by reference; exactly one exists', async () => {
    h.sim.faults.arm({ kind: 'timeout-after-commit' }, { method: 'POST', pathIncludes: '/v1/orders', times: 4 });
    const instance = h.instance();
    await expect(instance.invoke('orders.release', { order: salesOrder('SO-REL-3') })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_TIMEOUT',
      errorClass: 'retryable',
    });
    const again = (await instance.invoke('orders.release', { order: salesOrder('SO-REL-3') })) as ReleaseResult;
    const third = (await instance.invoke('orders.release', { order: salesOrder('SO-REL-3') })) as ReleaseResult;
    const all = [...h.sim.state.orders.values()].filter((o) => o.reference === 'SO-REL-3');
    expect(all).toHaveLength(1);
    expect(again.externalId).toBe(all[0]?.id);
    expect(third.externalId).toBe(again.externalId);
  });

  it('an order without a SKU on a line is a mapping error naming the line', async () => {
    const order = {
      ...salesOrder('SO-REL-4'),
      lines: [{ lineNumber: '1', item: { gtin: '4006381333931' }, quantity: { value: '1', uom: 'EA' } }],
    };
    await expect(h.instance().invoke('orders.release', { order })).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_MAPPING',
      details: { path: 'order.lines.0.item.sku' },
    });
  });
});

describe('orders.cancel', () => {
  it('cancels a released order by its crossdock id; a shipped order is a business outcome', async () => {
    const instance = h.instance();
    const released = (await instance.invoke('orders.release', { order: salesOrder('SO-CAN-1') })) as ReleaseResult;
    await expect(instance.invoke('orders.cancel', { orderId: 'SO-CAN-1' })).resolves.toMatchObject({
      externalId: released.externalId,
      status: 'cancelled',
    });
    await expect(instance.invoke('orders.cancel', { orderId: 'SO-CAN-1' })).resolves.toMatchObject({ status: 'cancelled' });

    const shipped = (await instance.invoke('orders.release', { order: salesOrder('SO-CAN-2') })) as ReleaseResult;
    h.sim.advance(shipped.externalId, { to: 'shipped' });
    const err = await instance.invoke('orders.cancel', { orderId: 'SO-CAN-2' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'CD_ERR_WMS_ALREADY_SHIPPED',
      errorClass: 'business',
      details: { status: 409, vendorCode: 'order_not_cancellable' },
    });
  });
});

describe('inventory', () => {
  it('inventory.snapshot walks every page of one frozen snapshot into canonical positions', async () => {
    for (let i = 0; i < 23; i++) h.sim.seedInventory(`SNAP-${String(i).padStart(2, '0')}`, 10 + i, i % 2 === 0 ? 'WH1' : 'WH2');
    const before = h.capture.list().length;
    const result = (await h.instance().invoke('inventory.snapshot', { pageSize: 10 })) as SnapshotResult;
    const total = h.sim.state.inventoryList({}).length;
    expect(result.positions).toHaveLength(total);
    expect(result.total).toBe(total);
    const pages = h.capture
      .list()
      .slice(before)
      .filter((c) => c.operation === 'inventory.snapshot');
    expect(pages).toHaveLength(Math.ceil(total / 10));
    const snap = result.positions.find((p) => p.item.sku === 'SNAP-03');
    expect(snap).toMatchObject({
      location: { code: 'WH2' },
      onHand: { value: '13', uom: 'EA' },
      reportedAvailable: { value: '13' },
      source: 'wms',
      asOf: result.asOf,
    });
  });

  it('inventory.adjust applies a delta once per key; below zero is a business outcome', async () => {
    h.sim.seedInventory('ADJ-A', 5);
    const instance = h.instance();
    const adjustment = {
      item: { sku: 'ADJ-A' },
      location: { code: 'WH1' },
      delta: { value: '4', uom: 'EA' },
      reasonCode: 'found',
      occurredAt: '2026-01-05T10:00:00Z',
    };
    await expect(instance.invoke('inventory.adjust', { adjustment, key: 'evt-1' })).resolves.toMatchObject({ onHandAfter: 9 });
    await expect(instance.invoke('inventory.adjust', { adjustment, key: 'evt-1' })).resolves.toMatchObject({ onHandAfter: 9 });
    expect(h.sim.state.adjustments.filter((a) => a.sku === 'ADJ-A')).toHaveLength(1);
    const err = await instance
      .invoke('inventory.adjust', {
        adjustment: { ...adjustment, delta: { value: '-50', uom: 'EA' }, reasonCode: 'shrinkage' },
        key: 'evt-2',
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CD_ERR_WMS_INSUFFICIENT_INVENTORY', errorClass: 'business' });
  });
});

describe('asns.create', () => {
  it('creates the expected receipt from a canonical ASN once, lots included', async () => {
    const asn = {
      id: 'asn-canon-1',
      asnNumber: 'ASN-7001',
      shippedAt: '2026-01-04T08:00:00Z',
      eta: '2026-01-06T08:00:00Z',
      shipper: { name: 'Acme Supplies' },
      shipTo: { code: 'WH1' },
      orders: [
        {
          order: { number: 'PO-55' },
          packs: [
            { items: [{ item: { sku: 'RCV-A' }, quantity: { value: '10', uom: 'EA' }, lots: [{ lot: 'L1', expiryDate: '2027-01-01' }] }] },
          ],
          items: [{ item: { sku: 'RCV-B' }, quantity: { value: '4', uom: 'EA' } }],
        },
      ],
    };
    const instance = h.instance();
    const first = await instance.invoke('asns.create', { asn });
    const second = await instance.invoke('asns.create', { asn });
    expect(second).toEqual(first);
    const stored = [...h.sim.state.asns.values()].filter((a) => a.reference === 'ASN-7001');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      location: 'WH1',
      supplier: 'Acme Supplies',
      lines: [
        { sku: 'RCV-A', quantity: 10, lot: 'L1', expires_on: '2027-01-01' },
        { sku: 'RCV-B', quantity: 4, lot: null, expires_on: null },
      ],
    });
  });
});

describe('retry classes and the rate budget', () => {
  const read = (instance: ReturnType<WmsHarness['instance']>) => instance.test();

  it('retries a 503 read, keeps a 400 permanent with the vendor body, and waits out a 429 Retry-After', async () => {
    const instance = h.instance({ name: 'retry' });
    h.sim.faults.arm({ kind: 'status', status: 503 }, { pathIncludes: '/v1/orders' });
    await expect(read(instance)).resolves.toBeUndefined();
    h.sim.faults.arm({ kind: 'status', status: 400 }, { pathIncludes: '/v1/orders' });
    await expect(read(instance)).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_REJECTED',
      errorClass: 'permanent',
      details: { status: 400, vendorBody: { error: { code: 'bad_request' } } },
    });
    h.sim.faults.arm({ kind: 'status', status: 429, retryAfterSeconds: 1 }, { pathIncludes: '/v1/orders' });
    const t0 = Date.now();
    await expect(read(instance)).resolves.toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('a real 429 from an empty bucket is waited out for its Retry-After and then succeeds', async () => {
    const instance = h.instance({ name: 'drained' });
    await fetch(`${h.sim.url}/_sim/rate-limit`, {
      method: 'POST',
      body: JSON.stringify({ drain: true }),
      headers: { 'content-type': 'application/json' },
    });
    const before = h.capture.list().length;
    await expect(read(instance)).resolves.toBeUndefined();
    const statuses = h.capture
      .list()
      .slice(before)
      .map((c) => c.status);
    expect(statuses[0]).toBe(429);
    expect(statuses.at(-1)).toBe(200);
  });

  it('30 quick calls never draw a 429, and the observed rate stays within burst + rate × time', async () => {
    const fresh = await startWmsHarness();
    try {
      const instance = fresh.instance();
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 30 }, () => read(instance)));
      const seconds = (Date.now() - t0) / 1000;
      const calls = fresh.capture.list();
      expect(calls.map((c) => c.status).filter((s) => s === 429)).toEqual([]);
      expect(calls).toHaveLength(30);
      // The budget (burst 18, then 9 per second) keeps under the 3PL's 20 + 10/s.
      expect(calls.length).toBeLessThanOrEqual(20 + 10 * seconds);
      expect(seconds).toBeGreaterThanOrEqual((30 - 18) / 9 - 0.1);
    } finally {
      await fresh.close();
    }
  });
});
