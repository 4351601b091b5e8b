import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollingTrigger } from '../sdk/index.js';
import { netsuiteChangesTrigger } from './changes.trigger.js';
import { type NetSuiteTestEnv, startNetSuiteEnv } from './testing/harness.js';

let env: NetSuiteTestEnv;
beforeAll(async () => {
  env = await startNetSuiteEnv({ processingDelayMs: 30 });
});
afterAll(() => env.close());

const customer = (id: string) => ({ id, name: `Customer ${id}`, email: `${id}@example.com` });
const order = (id: string, customerId: string, itemId: string) => ({
  id,
  orderDate: '2026-03-02T09:00:00Z',
  currency: 'USD',
  customer: { id: customerId },
  customerPoNumber: `PO-${id}`,
  lines: [{ lineNumber: '1', item: { id: itemId }, quantity: { value: '4', uom: 'EA' }, unitPrice: { amount: '2.5', currency: 'USD' } }],
});
const bySo = (externalId: string) => env.sim.state.all('salesOrder').filter((r) => r.externalId === externalId);

describe('NetSuite auth and concurrency', () => {
  it('a wrong token secret is an auth error and NetSuite logs an invalid signature', async () => {
    const bad = env.instance({}, { ...env.sim.credentials, tokenSecret: 'nope' });
    await expect(bad.test()).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_AUTH', errorClass: 'permanent' });
    expect(env.sim.loginAudit.at(-1)?.detail).toBe('InvalidSignature');
  });

  it('12 parallel creates against a limit of 5: all succeed, none is refused', async () => {
    const instance = env.instance({ concurrencyLimit: 5 });
    env.sim.seed('inventoryItem', { itemId: 'PAR', externalId: 'item-par' });
    await instance.invoke('customers.create', { customer: customer('cus-par') });
    const rejectedBefore = env.sim.gate.rejected;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => instance.invoke('salesOrders.create', { order: order(`so-par-${i}`, 'cus-par', 'item-par') })),
    );
    expect(new Set(results.map((r) => (r as { id: string }).id)).size).toBe(12);
    expect(env.sim.gate.rejected - rejectedBefore).toBe(0);
    expect(env.sim.gate.peak).toBeLessThanOrEqual(5);
    expect(env.sim.gate.peak).toBeGreaterThanOrEqual(2);
  });
});

describe('NetSuite order-to-cash and procure-to-pay', () => {
  it('books customer, order, fulfillment and invoice once each, by external id', async () => {
    const instance = env.instance();
    env.sim.seed('inventoryItem', { itemId: 'WIDGET', externalId: 'item-w' });
    const cus = (await instance.invoke('customers.create', { customer: customer('cus-o2c') })) as { id: string };
    const so = (await instance.invoke('salesOrders.create', { order: order('so-o2c', 'cus-o2c', 'item-w') })) as {
      id: string;
      created: boolean;
    };
    expect(so.created).toBe(true);
    expect(bySo('so-o2c')[0]).toMatchObject({ id: so.id, entity: { id: cus.id }, otherRefNum: 'PO-so-o2c', total: 10 });
    const again = await instance.invoke('salesOrders.create', { order: order('so-o2c', 'cus-o2c', 'item-w') });
    expect(again).toEqual({ id: so.id, created: false });
    expect(bySo('so-o2c')).toHaveLength(1);

    const read = await instance.invoke('salesOrders.get', { order: { id: 'so-o2c' } });
    expect(read).toMatchObject({
      id: 'so-o2c',
      refs: { netsuite: so.id },
      customerPoNumber: 'PO-so-o2c',
      lines: [{ quantity: { value: '4' } }],
    });

    const shipment = {
      id: 'shp-o2c',
      status: 'dispatched',
      orders: [{ id: 'so-o2c' }],
      trackingNumbers: ['1Z999'],
      shippedAt: '2026-03-03T12:00:00Z',
      lines: [{ item: { id: 'item-w' }, quantity: { value: '4', uom: 'EA' } }],
    };
    const fulfil = (await instance.invoke('itemFulfillments.create', { shipment })) as { id: string };
    expect(env.sim.state.get('itemFulfillment', fulfil.id)).toMatchObject({ createdFrom: { id: so.id }, shipStatus: 'C', memo: '1Z999' });

    const invoice = {
      id: 'inv-o2c',
      invoiceNumber: 'INV-1',
      invoiceDate: '2026-03-04',
      currency: 'USD',
      buyer: { id: 'cus-o2c' },
      orders: [{ id: 'so-o2c' }],
      lines: [
        {
          lineNumber: '1',
          item: { id: 'item-w' },
          quantity: { value: '4', uom: 'EA' },
          unitPrice: { amount: '2.5', currency: 'USD' },
          lineTotal: { amount: '10', currency: 'USD' },
        },
      ],
      totals: { total: { amount: '10', currency: 'USD' } },
    };
    const inv = (await instance.invoke('invoices.create', { invoice })) as { id: string };
    expect(env.sim.state.get('invoice', inv.id)).toMatchObject({ entity: { id: cus.id }, createdFrom: { id: so.id }, total: 10 });
    await expect(instance.invoke('vendorBills.create', { invoice })).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_MAPPING' });

    const closed = await instance.invoke('salesOrders.close', { order: { id: 'so-o2c' }, reason: 'customer cancelled the rest' });
    expect(closed).toEqual({ id: so.id, closedLines: 1 });
    expect(bySo('so-o2c')[0]).toMatchObject({ memo: 'customer cancelled the rest', item: { items: [{ isClosed: true }] } });
  });

  it('creates purchase order, receipt and vendor bill against the vendor', async () => {
    const instance = env.instance();
    const vendor = env.sim.seed('vendor', { companyName: 'Supplier Co', externalId: 'sup-1' });
    env.sim.seed('inventoryItem', { itemId: 'BOLT', externalId: 'item-b' });
    const po = (await instance.invoke('purchaseOrders.create', {
      purchaseOrder: {
        id: 'po-1',
        poNumber: 'PO-1001',
        orderDate: '2026-03-01T08:00:00Z',
        currency: 'USD',
        supplier: { id: 'sup-1' },
        lines: [
          { lineNumber: '1', item: { id: 'item-b' }, quantity: { value: '100', uom: 'EA' }, unitPrice: { amount: '0.1', currency: 'USD' } },
        ],
      },
    })) as { id: string };
    expect(env.sim.state.get('purchaseOrder', po.id)).toMatchObject({ entity: { id: vendor.id }, otherRefNum: 'PO-1001', total: 10 });
    const receipt = (await instance.invoke('itemReceipts.create', {
      receipt: {
        id: 'rcv-1',
        receiptNumber: 'R-1',
        location: { code: 'WH1' },
        orders: [{ id: 'po-1' }],
        receivedAt: '2026-03-05T10:00:00Z',
        lines: [{ lineNumber: '1', item: { id: 'item-b' }, receivedQuantity: { value: '100', uom: 'EA' } }],
      },
    })) as { id: string };
    expect(env.sim.state.get('itemReceipt', receipt.id)).toMatchObject({ createdFrom: { id: po.id }, tranDate: '2026-03-05' });
    const bill = (await instance.invoke('vendorBills.create', {
      invoice: {
        id: 'bill-1',
        kind: 'purchase',
        invoiceNumber: 'SUP-INV-9',
        invoiceDate: '2026-03-06',
        currency: 'USD',
        seller: { id: 'sup-1' },
        buyer: { name: 'Us' },
        orders: [{ id: 'po-1' }],
        lines: [
          {
            lineNumber: '1',
            item: { id: 'item-b' },
            quantity: { value: '100', uom: 'EA' },
            unitPrice: { amount: '0.1', currency: 'USD' },
            lineTotal: { amount: '10', currency: 'USD' },
          },
        ],
        totals: { total: { amount: '10', currency: 'USD' } },
      },
    })) as { id: string };
    expect(env.sim.state.get('vendorBill', bill.id)).toMatchObject({ entity: { id: vendor.id }, createdFrom: { id: po.id }, total: 10 });
  });

  it('a record NetSuite refuses is a permanent rejection naming the o:errorCode and field', async () => {
    const instance = env.instance();
    const err = await instance
      .invoke('salesOrders.create', { order: order('so-bad', 'no-such-customer', 'item-w') })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'CD_ERR_CONNECTOR_REJECTED',
      errorClass: 'permanent',
      details: { errorCodes: ['USER_ERROR'], path: 'entity' },
    });
  });
});

describe('NetSuite changes trigger (SuiteQL)', () => {
  it('walks changes page by page, advancing a durable cursor, and picks up later changes once', async () => {
    const instance = env.instance({ changes: { pageSize: 2, since: '1970-01-01T00:00:00Z', orderById: false } });
    const seen: string[] = [];
    const poller = new PollingTrigger({
      store: env.store,
      connector: 'netsuite',
      instance: instance.ctx.instance,
      trigger: 'changes',
      initialCursor: netsuiteChangesTrigger.initialCursor(instance.ctx),
      poll: (cursor) => netsuiteChangesTrigger.poll(instance.ctx, cursor),
      handle: async (items) => {
        for (const item of items) {
          const [event] = await netsuiteChangesTrigger.map(item, instance.ctx);
          seen.push(`${item.type}:${item.id}:${event?.type}`);
        }
      },
      intervalMs: 60_000,
    });
    const total =
      env.sim.state.all('salesOrder').length +
      env.sim.state.all('invoice').length +
      ['itemFulfillment', 'purchaseOrder', 'itemReceipt', 'vendorBill'].reduce((n, t) => n + env.sim.state.all(t).length, 0);
    let pages = 0;
    for (let more = true; more && pages < 100; pages++) more = (await poller.pollOnce()).more;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBeGreaterThan(total / 2 - 1);
    const cursor = await poller.cursor();
    expect(cursor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\|\d+$/);

    expect(await poller.pollOnce()).toEqual({ applied: 0, more: false });
    const cus = env.sim.seed('customer', { companyName: 'Late' });
    const late = env.sim.seed('salesOrder', { entity: { id: cus.id } });
    expect(await poller.pollOnce()).toEqual({ applied: 1, more: false });
    expect(seen.at(-1)).toBe(`SalesOrd:${late.id}:crossdock.netsuite.transaction.changed.v1`);
    expect(await poller.cursor()).toBe(`${late.lastModifiedDate}|${late.id}`);
  });
});
