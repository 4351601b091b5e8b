export { INVENTORY_REASONS } from './graphql/schema.js';
export {
  type FulfillmentOrderRecord,
  gid,
  type InventoryLevelRecord,
  type OrderTemplate,
  orderTemplateSchema,
  parseGid,
  type RestOrder,
  type RestRefund,
  WEBHOOK_TOPICS,
  type WebhookTopic,
} from './model.js';
export { SHOPIFY_DEFAULT_RETRY_DELAYS_MS, type ShopifySim, type ShopifySimOptions, startShopifySim } from './shopify.sim.js';
export { ShopifyStore, type StoreEvent } from './store.js';
