import { type Envelope, eventTypeName, makeEvent, SalesOrderV1 } from '../../src/canonical/index.js';
import { createAvailabilityModule } from '../../src/cli/runtime/modules/availability.module.js';
import type { HubModule } from '../../src/cli/runtime/modules.js';
import type { WmsSim } from '../../src/sim/wms/index.js';
import { type NetworkInfo, networkModule, startNetwork } from '../flows-o2c-network.js';

/**
 * The order-to-cash network for load (the chaos test and the flows benchmark): the network of
 * test/flows-o2c-network.ts, except that the WMS connector's request budget matches the
 * simulator's (raised) rate limit instead of the real 3PL's 9 requests/s, and the WMS retries a
 * webhook for about a minute, so shipments sent while a killed hub restarts still arrive, and the
 * CRM org's daily API allocation is sized for load (the default, like a small org's, runs out after
 * about 2,500 orders and then pauses every CRM call).
 */
export type { NetworkInfo };

/** The chaos test's order `i` (one line of SKU-A, a customer of its own). */
export function chaosOrderId(i: number): string {
  return `CHAOS-${String(i).padStart(5, '0')}`;
}

/** The simulators order-to-cash talks to (for load), on loopback, with the ERP's items seeded. */
export function startLoadNetwork(options: { netsuiteConcurrency?: number } = {}) {
  return startNetwork({
    ...options,
    wmsWebhookRetryDelaysMs: [200, 500, 1000, ...Array.from({ length: 30 }, () => 2000)],
    salesforceDailyApiLimit: 10_000_000,
  });
}

/**
 * The load network's warehouse ships whatever it was released, as fast as it can: `hookUrl` gets its
 * shipment webhooks, and every 10 ms each newly released order is shipped.
 */
export function shipEverything(wms: WmsSim, hookUrl: string): { shipped(): number; stop(): void } {
  wms.subscribe(hookUrl, ['order.shipped', 'order.exception']);
  const shipped = new Set<string>();
  const timer = setInterval(() => {
    for (const w of wms.state.orders.values()) {
      if (w.status !== 'released' || shipped.has(w.id)) continue;
      shipped.add(w.id);
      wms.advance(w.id, { to: 'shipped' });
    }
  }, 10);
  return { shipped: () => shipped.size, stop: () => clearInterval(timer) };
}

/** The hub module of the load network: ports on the simulators and the WMS webhook receiver. */
export function loadNetworkModule(info: NetworkInfo, options: { withCrm?: boolean; withChannel?: boolean } = {}): HubModule {
  return networkModule(info, { ...options, wmsRateLimit: { perSecond: 100_000, burst: 100_000 } });
}

/** Availability for the load network: one warehouse, WH1, serving the web channel. */
export function loadAvailabilityModule(): HubModule {
  return createAvailabilityModule({
    setup: {
      policy: {
        locations: [{ code: 'WH1', timeZone: 'UTC', calendar: { cutOffTime: '23:59' } }],
        channels: { web: { locations: ['WH1'] } },
      },
      topics: ['inventory', 'shipments'],
    },
  });
}

/** `order.received` for load order `id`: one line of SKU-A, a customer of its own, a fixed event id. */
export function loadOrderEvent(o: {
  id: string;
  eventId: string;
  source: string;
  buyer: string;
  customerRef: string;
  quantity: string;
}): Envelope {
  const order = SalesOrderV1.parse({
    id: o.id,
    orderDate: '2026-11-22T08:00:00Z',
    currency: 'USD',
    channel: 'web',
    customer: { name: o.buyer, refs: { web: o.customerRef } },
    shipTo: { name: 'Dock 4', line1: '1 Main St', city: 'Dallas', postalCode: '75201', country: 'US' },
    lines: [
      {
        lineNumber: '1',
        item: { sku: 'SKU-A' },
        quantity: { value: o.quantity, uom: 'EA' },
        unitPrice: { amount: '10.00', currency: 'USD' },
      },
    ],
  });
  return makeEvent({
    id: o.eventId,
    source: o.source,
    type: eventTypeName('order.received'),
    subject: `order/${o.id}`,
    partitionkey: `order/${o.id}`,
    data: order,
  });
}
