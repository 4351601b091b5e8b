import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { type ShopifySim, startShopifySim } from '../../../sim/shopify/index.js';
import type { ConnectorHarness } from '../../sdk/connector.contract.js';
import type { ShopifyCredentials } from '../credentials.js';
import { parseJsonKeepingBigIds } from '../mappers/json.js';
import { salesOrderFromShopify, salesOrderToShopify } from '../mappers/order.js';
import { isObject } from '../mappers/picker.js';
import type { ShopifySettings } from '../settings.js';
import { shopifyConnector } from '../shopify.connector.js';

let sim: ShopifySim;
const orders = new Map<string, number>();
const sampleOrder = () => {
  const raw = parseJsonKeepingBigIds(
    readFileSync(resolve(process.cwd(), '../shared/fixtures/public-samples/ecommerce/shopify_python_api__order.json'), 'utf8'),
  );
  return isObject(raw) ? raw.order : undefined;
};

/**
 * This connector's harness for the shared contract (src/connectors/sdk/connector.contract.ts):
 * `connectorContract('shopify', shopifyContractHarness)`.
 */
export const shopifyContractHarness: ConnectorHarness<ShopifySettings, ShopifyCredentials> = {
  spec: shopifyConnector,
  async start() {
    sim = await startShopifySim({ webhookRetryDelaysMs: [] });
    return {
      settings: { shopUrl: sim.url, throttle: { capacity: 2000, restorePerSecond: 100 }, inventoryReason: 'correction', timeoutMs: 500 },
      credentials: { accessToken: sim.accessToken, clientSecret: sim.clientSecret },
      badCredentials: { accessToken: 'shpat_wrong', clientSecret: sim.clientSecret },
      faults: sim.faults,
      stop: () => sim.close(),
    };
  },
  read: (instance) => instance.invoke('orders.list', { pageSize: 1, linesPerOrder: 1, maxPages: 1 }),
  readPath: 'graphql.json',
  // A read requests 16 points of a bucket restoring 100 per second.
  simRatePerSecond: 6,
  pagination: {
    pageSize: 2,
    async seed(count) {
      for (let i = 0; i < count; i++) sim.createOrder();
    },
    async listKeys(instance) {
      const list = await instance.invoke('orders.list', { pageSize: 2, linesPerOrder: 2 });
      return Array.isArray(list) ? list.map((o) => JSON.stringify(isObject(o) ? o.refs : o)) : [];
    },
  },
  create: {
    async run(instance, canonicalId) {
      const orderId = orders.get(canonicalId) ?? sim.createOrder().id;
      orders.set(canonicalId, orderId);
      const shipment = {
        id: canonicalId,
        status: 'dispatched',
        orders: [{ refs: { shopify: String(orderId) } }],
        trackingNumbers: [`T-${canonicalId}`],
      };
      const result = await instance.invoke('fulfillments.create', { shipment });
      return { externalId: isObject(result) && typeof result.fulfillmentId === 'string' ? result.fulfillmentId : '' };
    },
    async count(canonicalId) {
      return sim.state.orders.get(orders.get(canonicalId) ?? -1)?.fulfillments.length ?? 0;
    },
    path: 'graphql.json',
    method: 'POST',
  },
  webhook: {
    trigger: 'orders',
    delivery(deliveryId) {
      const body = Buffer.from(JSON.stringify(sampleOrder()));
      return {
        body,
        headers: {
          'x-shopify-topic': 'orders/create',
          'x-shopify-webhook-id': deliveryId,
          'x-shopify-hmac-sha256': createHmac('sha256', sim.clientSecret).update(body).digest('base64'),
        },
      };
    },
  },
  mapping: [
    {
      name: 'public sample order -> SalesOrder -> REST order is lossless',
      check() {
        const order = sampleOrder();
        expect(salesOrderToShopify(salesOrderFromShopify(order, 'contract'))).toEqual(order);
      },
    },
  ],
};
