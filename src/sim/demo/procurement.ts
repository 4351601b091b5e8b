import type { ReturnAuthorizationInput } from '../../canonical/index.js';
import { DEMO_WAREHOUSE, type DemoItem } from './catalog.js';
import { DEMO_SUPPLIER, type DemoNetwork } from './network.js';
import type { ShippedOrder } from './traffic.js';

/** What is on hand, committed, in transit and on order for one item (decimal strings), as min/max reads it. */
export interface DemoPosition {
  onHand: string;
  committed: string;
  inTransit: string;
  onOrder: string;
}

/** The approved-supplier list: every demo item from the demo supplier at 60% of its sales price. */
export function demoSupplierCatalog(items: readonly DemoItem[]) {
  return {
    async sourceOf(item: string, _location: string) {
      const found = items.find((i) => i.sku === item);
      return found ? { supplier: DEMO_SUPPLIER, unitPrice: (Number(found.price) * 0.6).toFixed(2), currency: 'USD' } : undefined;
    },
  };
}

/**
 * Min/max per item at the demo warehouse: reorder once the projected stock is under the start
 * stock, up to 120% of it, in tens. The first sales trigger purchase orders, so a
 * newcomer sees procure-to-pay within the first minute.
 */
export function demoMinMaxRules(items: readonly DemoItem[]) {
  return items.map((i) => ({
    item: i.sku,
    location: DEMO_WAREHOUSE,
    min: String(i.startStock),
    max: String(Math.ceil(i.startStock * 1.2)),
    multiple: '10',
  }));
}

/**
 * The position min/max reviews, read from the simulated warehouse (on hand, allocated, expected
 * ASNs) and supplier (purchase orders not shipped yet).
 */
export function demoPositionOf(network: DemoNetwork): (item: string, location: string) => DemoPosition {
  return (item, location) => {
    const record = network.wms.state.inventoryList({ sku: item, location })[0];
    let inTransit = 0;
    for (const asn of network.wms.state.asns.values()) {
      if (asn.status !== 'expected' || asn.location !== location) continue;
      for (const line of asn.lines) if (line.sku === item) inTransit += line.quantity;
    }
    let onOrder = 0;
    for (const po of network.supplier.state.orders.values()) {
      if (po.status !== 'received' && po.status !== 'acknowledged') continue;
      for (const line of po.acknowledged ?? po.lines) if (line.item === item) onOrder += Number(line.quantity);
    }
    return {
      onHand: String(record?.on_hand ?? 0),
      committed: String(record?.allocated ?? 0),
      inTransit: String(inTransit),
      onOrder: String(onOrder),
    };
  };
}

/** A customer's return of one unit of the first shipped line, as the storefront would report it. */
export function demoReturnRequest(
  network: DemoNetwork,
  shipped: ShippedOrder,
  at: number,
  /** Tells runs apart: the storefront's order ids restart with the simulator, RMA numbers must not. */
  run = '',
): ReturnAuthorizationInput | undefined {
  const line = shipped.lines[0];
  const item = network.items.find((i) => i.sku === line?.sku);
  if (!line || !item) return undefined;
  const order = network.shopify.state.orders.get(Number(shipped.shopifyOrderId));
  const email = typeof order?.email === 'string' ? order.email : undefined;
  const rmaNumber = run ? `R-${run}-${shipped.shopifyOrderId}` : `R-${shipped.shopifyOrderId}`;
  return {
    id: `return:shopify:${rmaNumber}`,
    refs: { shopify: shipped.shopifyOrderId },
    ext: {},
    rmaNumber,
    customer: { name: email ?? `customer of ${shipped.reference}` },
    order: { type: 'salesorder', id: shipped.reference },
    requestedAt: new Date(at).toISOString(),
    returnTo: { code: DEMO_WAREHOUSE },
    lines: [
      {
        lineNumber: '1',
        item: { sku: item.sku },
        quantity: { value: '1', uom: 'EA' },
        reasonCode: 'damaged',
        creditAmount: { amount: item.price, currency: 'USD' },
      },
    ],
  };
}
