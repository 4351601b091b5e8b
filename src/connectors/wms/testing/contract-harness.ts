import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { SalesOrderV1 } from '../../../canonical/index.js';
import { startWmsSim, type WmsSim } from '../../../sim/wms/index.js';
import type { ConnectorHarness } from '../../sdk/connector.contract.js';
import type { WmsCredentials } from '../credentials.js';
import { releaseFromSalesOrder } from '../mappers/release.js';
import { shipmentFromWms } from '../mappers/shipment.js';
import type { WmsSettings } from '../settings.js';
import { wmsConnector } from '../wms.connector.js';
import { salesOrder } from './harness.js';

let sim: WmsSim;

/**
 * This connector's harness for the shared contract (src/connectors/sdk/connector.contract.ts):
 * `connectorContract('wms', wmsContractHarness)`.
 */
export const wmsContractHarness: ConnectorHarness<WmsSettings, WmsCredentials> = {
  spec: wmsConnector,
  async start() {
    sim = await startWmsSim({ webhookRetryDelaysMs: [] });
    return {
      settings: {
        baseUrl: sim.url,
        defaultWarehouse: 'WH1',
        rateLimit: { perSecond: 9, burst: 18 },
        webhookToleranceSeconds: 300,
        timeoutMs: 300,
      },
      credentials: { apiKey: sim.apiKey, webhookSecret: sim.webhookSecret },
      badCredentials: { apiKey: 'wms_wrong', webhookSecret: sim.webhookSecret },
      faults: sim.faults,
      stop: () => sim.close(),
    };
  },
  read: (instance) => instance.test().then(() => true),
  readPath: '/v1/orders',
  simRatePerSecond: 10,
  pagination: {
    pageSize: 10,
    async seed(count) {
      for (let i = 0; i < count; i++) sim.seedInventory(`PAGE-${String(i).padStart(3, '0')}`, i + 1);
    },
    async listKeys(instance) {
      const result = await instance.invoke('inventory.snapshot', { pageSize: 10 });
      const positions =
        typeof result === 'object' && result !== null && 'positions' in result && Array.isArray(result.positions) ? result.positions : [];
      return positions.map((p) => JSON.stringify([p.item, p.location]));
    },
  },
  create: {
    async run(instance, canonicalId) {
      sim.seedInventory('SKU-A', 1000);
      const result = await instance.invoke('orders.release', { order: salesOrder(canonicalId) });
      return { externalId: typeof result === 'object' && result !== null && 'externalId' in result ? String(result.externalId) : '' };
    },
    async count(canonicalId) {
      return [...sim.state.orders.values()].filter((o) => o.reference === canonicalId).length;
    },
    path: '/v1/orders',
    method: 'POST',
  },
  webhook: {
    trigger: 'events',
    delivery(deliveryId) {
      const adjustment = {
        id: 'adj_1',
        sku: 'S',
        location: 'WH1',
        quantity: 2,
        reason_code: 'found',
        note: null,
        reference: null,
        on_hand_after: 2,
        created_at: '2026-01-05T10:00:00Z',
      };
      const body = Buffer.from(
        JSON.stringify({ id: deliveryId, type: 'inventory.adjusted', created_at: '2026-01-05T10:00:00Z', data: adjustment }),
      );
      const t = Math.floor(Date.now() / 1000);
      const v1 = createHmac('sha256', sim.webhookSecret).update(`${t}.`).update(body).digest('hex');
      return {
        body,
        headers: { 'x-wms-event-id': deliveryId, 'x-wms-event-type': 'inventory.adjusted', 'x-wms-signature': `t=${t},v1=${v1}` },
      };
    },
  },
  mapping: [
    {
      name: 'SalesOrder -> release -> shipment keeps order, lines and address',
      check() {
        const order = SalesOrderV1.parse(salesOrder('SO-C-1'));
        const body = releaseFromSalesOrder(order, 'WH1');
        const lines = body.lines.map((l) => ({ ...l, picked_quantity: l.quantity, shipped_quantity: l.quantity }));
        const shipment = shipmentFromWms(
          {
            ...body,
            id: 'ord_c',
            status: 'shipped',
            lines,
            shipments: [],
            exceptions: [],
            created_at: order.orderDate,
            updated_at: order.orderDate,
            cancelled_at: null,
          },
          {
            id: 'shp_c',
            carrier: 'DHL',
            service: null,
            tracking_number: 'T1',
            shipped_at: order.orderDate,
            lines: body.lines.map((l) => ({ ...l, lots: [] })),
          },
          'contract',
        );
        expect(shipment.shipTo).toEqual(order.shipTo);
        expect(shipment.lines.map((l) => [l.item.sku, l.quantity.value])).toEqual(order.lines.map((l) => [l.item.sku, l.quantity.value]));
      },
    },
  ],
};
