import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventTypeName, makeEvent, type SalesOrderInput, SalesOrderV1 } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createAvailabilityModule } from '../src/cli/runtime/modules/availability.module.js';
import { createFlowsModule } from '../src/cli/runtime/modules/flows.module.js';
import { salesOrderFromShopify } from '../src/connectors/shopify/index.js';
import { movement } from '../src/domains/availability/testing/fixtures.js';
import { ExceptionQueue } from '../src/domains/exceptions/index.js';
import { MasterData } from '../src/domains/masterdata/index.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';
import { networkModule, startNetwork } from './flows-o2c-network.js';

/**
 * Order-to-cash end to end in a running embedded hub: NetSuite (ERP), the 3PL WMS, Salesforce (CRM)
 * and Shopify (channel) are their simulators; stock is the availability service; shipments come
 * back as signed WMS webhooks.
 */
describe('order-to-cash end to end', () => {
  let dir: string;
  let hub: Hub;
  let net: Awaited<ReturnType<typeof startNetwork>>;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-o2c-'));
    net = await startNetwork();
    const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
    hub = await startHub(config, {
      logger: silentLogger(),
      modules: [
        createAvailabilityModule({
          setup: {
            policy: {
              locations: [{ code: 'WH1', timeZone: 'UTC', calendar: { cutOffTime: '23:59' } }],
              channels: { web: { locations: ['WH1'] } },
            },
            topics: ['inventory'],
          },
        }),
        networkModule(net.info),
        createFlowsModule({ engine: { pollIntervalMs: 20 }, policy: { shipSlaMs: 60_000 } }),
      ],
    });
    net.wms.subscribe(`${hub.url}/hooks/wms`);
    await hub.eventlog.publish('inventory', [movement('receipt', 'SKU-A', 'WH1', 100), movement('receipt', 'SKU-B', 'WH1', 3)]);
    await hub.identity.createUser('pat', 'correct horse battery staple', 'operator');
    key = (await hub.identity.login('pat', 'correct horse battery staple')).access_token;
  }, 30_000);
  afterAll(async () => {
    await hub?.stop();
    await net?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const o2c = () => {
    const s = hub.services.flows?.orderToCash;
    if (!s) throw new Error('order-to-cash not wired');
    return s;
  };
  async function until<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const statusOf = async (id: string) => (await o2c().status(id))?.status;
  const waitingFor = async (id: string, type: string) => ((await o2c().status(id))?.waitingFor?.type === type ? true : undefined);
  const wmsOrder = (id: string) => [...net.wms.state.orders.values()].find((o) => o.reference === id);
  const nsOrder = (id: string) => net.netsuite.state.byExternalId('salesOrder', id);

  function order(id: string, lines: Array<[string, number, string]>, extra: Partial<SalesOrderInput> = {}): SalesOrderInput {
    return {
      id,
      orderDate: '2026-11-22T08:00:00Z',
      currency: 'USD',
      channel: 'web',
      customer: { name: `Buyer of ${id}`, refs: { web: `cust-${id}` } },
      shipTo: { name: 'Dock 4', line1: '1 Main St', city: 'Dallas', postalCode: '75201', country: 'US' },
      lines: lines.map(([sku, qty, price], i) => ({
        lineNumber: String(i + 1),
        item: { sku },
        quantity: { value: String(qty), uom: 'EA' },
        unitPrice: { amount: price, currency: 'USD' },
      })),
      ...extra,
    };
  }
  async function receive(o: SalesOrderInput) {
    const parsed = SalesOrderV1.parse(o);
    await hub.eventlog.publish('orders', [
      makeEvent({
        source: 'crossdock://test',
        type: eventTypeName('order.received'),
        subject: `order/${parsed.id}`,
        partitionkey: `order/${parsed.id}`,
        data: parsed,
      }),
    ]);
    return parsed;
  }
  async function ship(id: string) {
    const w = await until(() => wmsOrder(id));
    net.wms.advance(w.id, { to: 'shipped' });
  }

  it('runs a Shopify order from receipt to invoice across ERP, WMS, CRM and channel', async () => {
    const raw = net.shopify.createOrder({
      email: 'buyer@example.com',
      currency: 'USD',
      line_items: [{ sku: 'SKU-A', quantity: 2, price: '10.00', title: 'Widget A' }],
      shipping_address: {
        name: 'Ann Lee',
        first_name: 'Ann',
        last_name: 'Lee',
        address1: '1 Main St',
        city: 'Dallas',
        zip: '75201',
        country_code: 'US',
      },
      customer: { email: 'buyer@example.com', first_name: 'Ann', last_name: 'Lee' },
    });
    const mapped = salesOrderFromShopify(raw, 'store');
    const so = await receive({ ...mapped, channel: 'web' });
    await until(() => waitingFor(so.id, 'o2c.shipment')).catch(async (e) => {
      throw new Error(`${e}: ${JSON.stringify(await o2c().status(so.id))}`);
    });
    await ship(so.id);
    await until(async () => ((await statusOf(so.id)) === 'completed' ? true : undefined));

    const view = await o2c().status(so.id);
    expect(view?.output).toMatchObject({ status: 'invoiced', orderId: so.id });
    const booked = nsOrder(so.id);
    expect(booked).toBeDefined();
    const invoices = net.netsuite.state.all('invoice').filter((i) => i.externalId === `inv-${so.id}`);
    expect(invoices).toHaveLength(1);
    expect(wmsOrder(so.id)?.status).toBe('shipped');
    // Channel: Shopify has the fulfillment with the warehouse's tracking number.
    const shopOrder = net.shopify.state.orders.get(raw.id);
    expect(shopOrder?.fulfillments.length).toBe(1);
    // CRM: the order's last milestone is Invoiced.
    const sfOrder = net.salesforce.state.findBy('Order', 'External_Id__c', so.id)[0];
    expect(sfOrder?.Status).toBe('Invoiced');
    // Master data: the new customer is known by its Shopify id and its NetSuite id.
    const md = new MasterData(hub.store);
    const customerId = view?.output && typeof view.output === 'object' && 'customerId' in view.output ? String(view.output.customerId) : '';
    const refs = await md.refs('customer', customerId);
    expect(refs.netsuite).toBeDefined();
    expect(net.netsuite.state.get('customer', refs.netsuite ?? '')).toBeDefined();
  }, 30_000);

  it('resolves a returning customer through the cross-reference: one ERP customer for both of its orders', async () => {
    const customer = { name: 'Returning Buyer', refs: { web: 'cust-returning' } };
    const customersBefore = net.netsuite.state.all('customer').length;
    for (const id of ['SO-RET-1', 'SO-RET-2']) {
      await receive(order(id, [['SKU-A', 1, '10.00']], { customer }));
      await until(() => waitingFor(id, 'o2c.shipment'));
      await ship(id);
      await until(async () => ((await statusOf(id)) === 'completed' ? true : undefined));
    }
    expect(net.netsuite.state.all('customer').length - customersBefore).toBe(1);
    const entity = (id: string) => JSON.stringify(nsOrder(id)?.entity);
    expect(nsOrder('SO-RET-1')?.entity).toBeDefined();
    expect(entity('SO-RET-2')).toBe(entity('SO-RET-1'));
    const md = new MasterData(hub.store);
    const canonical = await md.canonicalId('customer', 'web', 'cust-returning');
    expect(canonical).toBeDefined();
    expect(Object.keys(await md.refs('customer', canonical ?? '')).sort()).toEqual(['netsuite', 'web']);
  });

  it('holds an order whose price differs from the ERP, showing both prices, until an operator releases it', async () => {
    const so = await receive(order('SO-PRICE-1', [['SKU-A', 1, '9.00']]));
    await until(() => waitingFor(so.id, 'o2c.hold'));
    const exceptions = await new ExceptionQueue(hub.store).list({ subject: `order/${so.id}`, status: 'open' });
    expect(exceptions[0]?.category).toBe('order.price-mismatch');
    expect(exceptions[0]?.detail).toMatchObject({ lines: [{ sku: 'SKU-A', orderPrice: '9.00', erpPrice: '10.00' }] });
    expect(nsOrder(so.id)).toBeUndefined();
    const res = await fetch(`${hub.url}/v1/flows/order-to-cash/${so.id}/holds/price`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'release', by: 'pat' }),
    });
    expect(res.status).toBe(200);
    await until(() => waitingFor(so.id, 'o2c.shipment'));
    expect(nsOrder(so.id)).toBeDefined();
    expect((await new ExceptionQueue(hub.store).list({ subject: `order/${so.id}`, status: 'open' })).length).toBe(0);
  }, 30_000);

  it('cancels a released order: warehouse release cancelled, ERP order closed, stock released', async () => {
    const so = await receive(order('SO-CANCEL-1', [['SKU-A', 5, '10.00']]));
    await until(() => waitingFor(so.id, 'o2c.shipment'));
    expect(wmsOrder(so.id)?.status).toBe('released');
    const res = await fetch(`${hub.url}/v1/flows/order-to-cash/${so.id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'customer changed their mind' }),
    });
    expect(res.status).toBe(202);
    await until(async () => ((await statusOf(so.id)) === 'cancelled' ? true : undefined));
    expect(wmsOrder(so.id)?.status).toBe('cancelled');
    const lines = z.object({ items: z.array(z.object({ isClosed: z.boolean().optional() })) }).parse(nsOrder(so.id)?.item).items;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.isClosed === true)).toBe(true);
    const held = await hub.store.db.selectFrom('av_reservations').selectAll().where('order_id', '=', so.id).execute();
    expect(held.every((r) => r.status !== 'reserved' && r.status !== 'allocated')).toBe(true);
  }, 30_000);

  it('splits a partially available order: ships what is in stock, backorders the rest as its own order', async () => {
    const so = await receive(order('SO-SPLIT-1', [['SKU-B', 5, '25.00']]));
    await until(() => waitingFor(so.id, 'o2c.shipment'));
    expect(wmsOrder(so.id)?.lines[0]?.quantity).toBe(3);
    const backorder = await until(() => o2c().status('SO-SPLIT-1-BO'));
    expect(backorder.input).toMatchObject({ fulfilmentPolicy: 'ship-complete', lines: [{ quantity: { value: '2' } }] });
    const events = await hub.eventlog.read('orders', {});
    expect(events.some((e) => e.envelope.type === eventTypeName('order.backordered') && e.envelope.subject === 'order/SO-SPLIT-1')).toBe(
      true,
    );
  }, 30_000);

  it('opens a CRM case and holds billing on a shipment exception', async () => {
    const so = await receive(order('SO-EXC-1', [['SKU-A', 2, '10.00']]));
    await until(() => waitingFor(so.id, 'o2c.shipment'));
    const w = await until(() => wmsOrder(so.id));
    net.wms.advance(w.id, { exception: { code: 'damaged', sku: 'SKU-A', quantity: 1 } });
    await until(() => net.salesforce.state.all('Case').find((c) => String(c.Subject ?? '').includes('SO-EXC-1')));
    net.wms.advance(w.id, { to: 'shipped' });
    await until(() => waitingFor(so.id, 'o2c.hold'));
    expect(net.netsuite.state.all('invoice').some((i) => i.externalId === `inv-${so.id}`)).toBe(false);
    await o2c().decide(so.id, 'billing', { decision: 'release', by: 'pat' });
    await until(async () => ((await statusOf(so.id)) === 'completed' ? true : undefined));
    expect(net.netsuite.state.all('invoice').filter((i) => i.externalId === `inv-${so.id}`)).toHaveLength(1);
  }, 30_000);
});
