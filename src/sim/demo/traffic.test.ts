import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalPurchaseOrder } from '../supplier/index.js';
import { DEMO_ITEMS, DEMO_WAREHOUSE } from './catalog.js';
import { type DemoNetwork, startDemoNetwork } from './network.js';
import { demoMinMaxRules, demoPositionOf, demoReturnRequest, demoSupplierCatalog } from './procurement.js';
import { type ShippedOrder, TrafficGenerator } from './traffic.js';

/** The traffic generator driven tick by tick (no timers) against the real simulators. */
describe('demo traffic generator', () => {
  let network: DemoNetwork;
  beforeAll(async () => {
    network = await startDemoNetwork();
  });
  afterAll(async () => {
    await network?.close();
  });

  const onHand = (sku: string) => network.wms.state.inventoryList({ sku, location: DEMO_WAREHOUSE })[0]?.on_hand ?? 0;

  it('counts the start stock in, places orders at its rate in the storefront, and can pause', () => {
    const traffic = new TrafficGenerator(network, { ordersPerSecond: 4, priceMismatchRate: 0, seed: 7 });
    traffic.start();
    traffic.stop();
    for (const item of DEMO_ITEMS) expect(onHand(item.sku)).toBe(item.startStock);
    const before = network.shopify.state.orders.size;
    traffic.tick(Date.now() + 1_000);
    expect(network.shopify.state.orders.size - before).toBe(4);
    expect(traffic.counts.ordersPlaced).toBe(4);
    const order = [...network.shopify.state.orders.values()].at(-1);
    for (const line of order?.line_items ?? []) {
      expect(line.price).toBe(DEMO_ITEMS.find((i) => i.sku === line.sku)?.price);
    }
    traffic.setRate(0);
    traffic.tick(Date.now() + 10_000);
    expect(traffic.counts.ordersPlaced).toBe(4);
    expect(() => traffic.setRate(-1)).toThrow(RangeError);
  });

  it('places some orders at a stale price when asked to', () => {
    const traffic = new TrafficGenerator(network, { priceMismatchRate: 1, seed: 3 });
    const order = traffic.placeOrder();
    const first = order.line_items[0];
    const listed = DEMO_ITEMS.find((i) => i.sku === first?.sku)?.price;
    expect(first?.price).not.toBe(listed);
    expect(Number(first?.price)).toBeCloseTo(Number(listed) * 0.9, 2);
    expect(traffic.counts.priceMismatches).toBe(1);
  });

  it('works warehouse orders through pick, pack and ship, one stage per stageMs, and returns shipped orders', async () => {
    const returned: ShippedOrder[] = [];
    const traffic = new TrafficGenerator(network, {
      ordersPerSecond: 0,
      stageMs: 1_000,
      warehouseExceptionRate: 0,
      restock: false,
      returns: { rate: 1, request: (o) => void returned.push(o) },
    });
    const shop = network.shopify.createOrder({ line_items: [{ sku: 'PKG-TAPE-48', quantity: 2, price: '3.20' }] });
    const reference = `shopify:store:order:${shop.id}`;
    const wmsOrder = network.wms.createOrder({
      reference,
      ship_to: { name: 'Ann Lee', address1: '1 Main St', city: 'Dallas', postal_code: '75201', country: 'US' },
      lines: [{ sku: 'PKG-TAPE-48', quantity: 2 }],
    });
    const t0 = Date.now();
    traffic.tick(t0);
    expect(network.wms.state.orders.get(wmsOrder.id)?.status).toBe('released');
    traffic.tick(t0 + 500);
    expect(network.wms.state.orders.get(wmsOrder.id)?.status).toBe('released');
    traffic.tick(t0 + 1_000);
    expect(network.wms.state.orders.get(wmsOrder.id)?.status).toBe('picked');
    for (let t = 1; t <= 5; t += 1) traffic.tick(t0 + 1_000 + t * 1_000);
    expect(network.wms.state.orders.get(wmsOrder.id)?.status).toBe('shipped');
    expect(traffic.counts).toMatchObject({ picked: 1, packed: 1, shipped: 1, returnsRequested: 1 });
    await new Promise((r) => setImmediate(r));
    expect(returned).toEqual([{ shopifyOrderId: String(shop.id), reference, lines: [{ sku: 'PKG-TAPE-48', quantity: 2 }] }]);

    const first = returned[0];
    if (!first) throw new Error('no return requested');
    const ra = demoReturnRequest(network, first, t0);
    expect(ra).toMatchObject({
      rmaNumber: `R-${shop.id}`,
      order: { id: reference },
      lines: [{ item: { sku: 'PKG-TAPE-48' }, quantity: { value: '1' }, creditAmount: { amount: '3.20' } }],
    });
  });

  it('raises a damaged-stock exception at pick when the dice say so', () => {
    const traffic = new TrafficGenerator(network, { ordersPerSecond: 0, stageMs: 0, warehouseExceptionRate: 1, restock: false });
    const wmsOrder = network.wms.createOrder({
      reference: 'SO-DAMAGED-1',
      ship_to: { name: 'Ann Lee', address1: '1 Main St', city: 'Dallas', postal_code: '75201', country: 'US' },
      lines: [{ sku: 'SAF-VEST-HV', quantity: 1 }],
    });
    const t0 = Date.now();
    traffic.tick(t0);
    traffic.tick(t0 + 1);
    expect(network.wms.state.orders.get(wmsOrder.id)?.status).toBe('exception');
    expect(traffic.counts.warehouseExceptions).toBe(1);
  });

  it('counts stock in when an item runs low, unless replenishment is left to purchase orders', () => {
    const sku = 'JAN-TOWEL-C';
    network.wms.state.adjust({ sku, location: DEMO_WAREHOUSE, quantity: -(onHand(sku) - 2), reason_code: 'lost' });
    new TrafficGenerator(network, { ordersPerSecond: 0, restock: false }).tick();
    expect(onHand(sku)).toBe(2);
    const traffic = new TrafficGenerator(network, { ordersPerSecond: 0, restock: { below: 10 } });
    traffic.tick();
    expect(onHand(sku)).toBe(DEMO_ITEMS.find((i) => i.sku === sku)?.startStock);
    expect(traffic.counts.restocks).toBe(1);
  });

  it('plays the supplier: acknowledges, ships, and invoices only after the warehouse received the goods', () => {
    const traffic = new TrafficGenerator(network, { ordersPerSecond: 0, stageMs: 100, receiveAfterMs: 0, restock: false });
    const poNumber = 'PO-DEMO-1';
    network.supplier.state.receive(
      PortalPurchaseOrder.parse({
        poNumber,
        buyer: 'CROSSDOCK',
        shipTo: DEMO_WAREHOUSE,
        lines: [{ line: '1', item: 'PKG-BOX-M', quantity: '20', unitPrice: '11.10' }],
      }),
      'portal',
    );
    const status = () => network.supplier.state.orders.get(poNumber)?.status;
    let t = Date.now();
    const step = () => {
      t += 150;
      traffic.tick(t);
    };
    step();
    step();
    expect(status()).toBe('acknowledged');
    step();
    step();
    expect(status()).toBe('shipped');
    // No ASN at the warehouse yet (procure-to-pay creates it): the supplier waits to invoice.
    for (let i = 0; i < 4; i += 1) step();
    expect(status()).toBe('shipped');
    network.wms.state.createAsn({ reference: poNumber, location: DEMO_WAREHOUSE, lines: [{ sku: 'PKG-BOX-M', quantity: 20 }] });
    step();
    expect(traffic.counts.asnsReceived).toBe(1);
    step();
    step();
    expect(status()).toBe('invoiced');
    expect(traffic.counts).toMatchObject({ poAcknowledged: 1, poShipped: 1, poInvoiced: 1 });
  });

  it('reads min/max positions from the warehouse and supplier, and buys every item from the demo supplier', async () => {
    const sku = 'LBL-THERM-4x6';
    const position = demoPositionOf(network)(sku, DEMO_WAREHOUSE);
    expect(position).toEqual({ onHand: String(onHand(sku)), committed: '0', inTransit: '0', onOrder: '0' });
    const rules = demoMinMaxRules(DEMO_ITEMS);
    expect(rules.find((r) => r.item === sku)).toMatchObject({ min: '150', max: '180' });
    expect(await demoSupplierCatalog(DEMO_ITEMS).sourceOf(sku, DEMO_WAREHOUSE)).toEqual({
      supplier: 'ACME-SUPPLY',
      unitPrice: '6.96',
      currency: 'USD',
    });
    expect(await demoSupplierCatalog(DEMO_ITEMS).sourceOf('NOPE', DEMO_WAREHOUSE)).toBeUndefined();
  });
});
