export { RateLimiter, type RateLimitOptions } from './api.route.js';
export {
  ADJUSTMENT_REASONS,
  type Address,
  type Adjustment,
  type Asn,
  type CreateOrderInput,
  createOrderSchema,
  type InventoryRecord,
  type OrderStatus,
  type ReceiptLine,
  type Shipment,
  WEBHOOK_EVENTS,
  type WebhookEndpoint,
  type WmsEventType,
  type WmsOrder,
} from './model.js';
export { type AdvanceOptions, WmsConflict, type WmsEvent, WmsStore } from './store.js';
export { signWmsPayload } from './webhooks.js';
export { startWmsSim, WMS_DEFAULT_RETRY_DELAYS_MS, type WmsSim, type WmsSimOptions } from './wms.sim.js';
