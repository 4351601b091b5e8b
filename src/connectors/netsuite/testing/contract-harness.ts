import { expect } from 'vitest';
import { type NetSuiteSim, startNetSuiteSim } from '../../../sim/netsuite/index.js';
import type { ConnectorHarness } from '../../sdk/connector.contract.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { salesOrderFromRecord, salesOrderRecord } from '../mappers/sales-order.js';
import { netsuiteConnector } from '../netsuite.connector.js';
import type { NetSuiteSettings } from '../settings.js';

let sim: NetSuiteSim;
let readOrderId = '';

/** Settings for an instance on the simulator, whose SuiteQL takes one ORDER BY key (ties come back in id order). */
export function simSettings(url: string, overrides: Partial<NetSuiteSettings> = {}): NetSuiteSettings {
  return {
    baseUrl: url,
    concurrencyLimit: 5,
    changes: { pageSize: 10, since: '1970-01-01T00:00:00Z', orderById: false },
    timeoutMs: 1500,
    ...overrides,
  };
}

/** Seeds a customer, an item and a sales order; returns the order's internal id. */
export function seedOrder(target: NetSuiteSim, n: number): string {
  const customer = target.seed('customer', { companyName: `Seed ${n}`, externalId: `seed-cus-${n}` });
  const item = target.seed('inventoryItem', { itemId: `SEED-${n}`, externalId: `seed-item-${n}` });
  return target.seed('salesOrder', { entity: { id: customer.id }, item: { items: [{ item: { id: item.id }, quantity: 1, rate: 5 }] } }).id;
}

/** `connectorContract('netsuite', netsuiteContractHarness)`. */
export const netsuiteContractHarness: ConnectorHarness<NetSuiteSettings, NetSuiteCredentials> = {
  spec: netsuiteConnector,
  async start() {
    // Each request holds its slot a little, so a burst really overlaps.
    sim = await startNetSuiteSim({ concurrencyLimit: 5, processingDelayMs: 20 });
    readOrderId = seedOrder(sim, 0);
    return {
      settings: simSettings(sim.url),
      credentials: sim.credentials,
      badCredentials: { ...sim.credentials, tokenSecret: 'wrong-secret' },
      faults: sim.faults,
      stop: () => sim.close(),
    };
  },
  read: (instance) => instance.invoke('salesOrders.get', { order: { refs: { netsuite: readOrderId } } }),
  readPath: '/salesOrder/',
  // No rate limit: 5 in flight, each held 20 ms, so a burst of 15 must queue on our side.
  simRatePerSecond: 10,
  pagination: {
    pageSize: 10,
    async seed(count) {
      for (let i = 1; i <= count; i++) seedOrder(sim, i);
    },
    async listKeys(instance) {
      const trigger = netsuiteConnector.triggers.changes;
      if (trigger?.kind !== 'polling') return [];
      const keys: string[] = [];
      let cursor = trigger.initialCursor(instance.ctx);
      for (let page = 0; page < 100; page++) {
        const result = await trigger.poll(instance.ctx, cursor);
        keys.push(...result.items.map((c: { id: string }) => c.id));
        cursor = result.cursor;
        if (!result.more) break;
      }
      return keys;
    },
  },
  create: {
    async run(instance, canonicalId) {
      const result = await instance.invoke('customers.create', { customer: { id: canonicalId, name: `Customer ${canonicalId}` } });
      return { externalId: typeof result === 'object' && result !== null && 'id' in result ? String(result.id) : '' };
    },
    async count(canonicalId) {
      return sim.state.all('customer').filter((r) => r.externalId === canonicalId).length;
    },
    path: '/record/v1/customer',
    method: 'POST',
  },
  mapping: [
    {
      name: 'SalesOrder -> salesOrder record -> SalesOrder keeps header and lines',
      check() {
        const order = {
          id: 'so-map-1',
          refs: { netsuite: '501' },
          ext: {},
          orderType: 'standard' as const,
          status: 'received' as const,
          orderDate: '2026-03-02T00:00:00Z',
          requestedShipDate: '2026-03-04',
          currency: 'USD',
          customer: { refs: { netsuite: '77' } },
          customerPoNumber: 'PO-9',
          holds: [],
          charges: [],
          taxes: [],
          taxesIncluded: false,
          notes: [{ kind: 'general' as const, text: 'Dock 4' }],
          lines: [
            {
              lineNumber: '1',
              item: { refs: { netsuite: '12' } },
              quantity: { value: '3', uom: 'EA' },
              unitPrice: { amount: '9.5', currency: 'USD' },
              status: 'open' as const,
              discounts: [],
              taxes: [],
              charges: [],
              notes: [],
            },
          ],
        };
        // What NetSuite hands back: the body we sent plus its own id, external id and computed fields.
        const stored = { ...salesOrderRecord(order), id: '501', externalId: 'so-map-1', tranId: 'SO501', total: 28.5 };
        const back = salesOrderFromRecord(stored, 'USD');
        expect(back).toEqual({ ...order, ext: { netsuite: { fields: { tranId: 'SO501', total: 28.5 } } } });
      },
    },
  ],
};
