import { defineConnector } from '../sdk/index.js';
import { type ShopifyCredentials, shopifyCredentials } from './credentials.js';
import { fulfillmentsCreate } from './operations/fulfillments.create.js';
import { inventorySet } from './operations/inventory.set.js';
import { ordersList } from './operations/orders.list.js';
import { refundsCreate } from './operations/refunds.create.js';
import { type ShopifySettings, shopifySettingsSchema } from './settings.js';
import { SHOPIFY_SYSTEM, shopifyTransport } from './transport.js';
import { shopifyOrdersTrigger } from './webhooks.js';

export const shopifyConnector = defineConnector<ShopifySettings, ShopifyCredentials>({
  id: 'shopify',
  version: '1.0.0',
  system: SHOPIFY_SYSTEM,
  description: 'Shopify storefront: order webhooks in; fulfillments, refunds, inventory and order listing out (Admin GraphQL).',
  settings: shopifySettingsSchema,
  credentials: shopifyCredentials,
  // Shopify's calculated query cost bucket, refilled 10 % slower than the plan's restore rate: ours
  // refills from when we send, Shopify's from when the query arrives, so at the full rate a query
  // sent on our refill can reach an empty bucket. Served answers refund unused cost (extensions.cost).
  rateBudget: (settings) => ({
    kind: 'cost',
    capacity: settings.throttle.capacity,
    restorePerSecond: settings.throttle.restorePerSecond * 0.9,
  }),
  transport: shopifyTransport,
  capabilities: ['orders.receive', 'orders.list', 'fulfillments.create', 'inventory.set', 'refunds.receive', 'refunds.create'],
  operations: {
    'fulfillments.create': fulfillmentsCreate,
    'inventory.set': inventorySet,
    'orders.list': ordersList,
    'refunds.create': refundsCreate,
  },
  triggers: {
    orders: shopifyOrdersTrigger,
  },
});
