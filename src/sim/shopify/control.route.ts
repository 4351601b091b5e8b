import { z } from 'zod';
import { applyFaultControl, faultControlSchema } from '../kit/fault-control.js';
import type { FaultPlan } from '../kit/faults.js';
import { parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import type { TokenBucket } from '../kit/token-bucket.js';
import type { WebhookDispatcher } from '../kit/webhook-dispatcher.js';
import { orderTemplateSchema, WEBHOOK_TOPICS } from './model.js';
import { ShopifyStore } from './store.js';

export interface ShopifyControlDeps {
  store: ShopifyStore;
  faults: FaultPlan;
  bucket: TokenBucket;
  dispatcher: WebhookDispatcher;
}

const subscribeSchema = z.object({ topic: z.enum(WEBHOOK_TOPICS), address: z.url() });
const stockSchema = z.object({ sku: z.string().min(1), quantity: z.number().int(), locationId: z.number().int().optional() });
const cancelSchema = z.object({ reason: z.string().optional() });
const refundSchema = z.object({
  note: z.string().nullish(),
  lines: z.array(z.object({ lineItemId: z.number().int(), quantity: z.number().int().positive() })).optional(),
});
const throttleSchema = z.object({ drain: z.boolean().optional() });

function bodyOf<S extends z.ZodType>(req: SimRequest, schema: S): { ok: true; value: z.infer<S> } | { ok: false; response: SimResponse } {
  const parsed = schema.safeParse(parseJsonBody(req.rawBody) ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: { status: 400, body: { error: 'invalid control request', issues: parsed.error.issues } } };
}

/**
 * The simulator's own API under /_sim/ (see docs/sim/shopify-sim.md): seed data, trigger the shop
 * events that send webhooks, arm faults, read state. It is not part of Shopify's API.
 */
export function handleShopifyControl(req: SimRequest, deps: ShopifyControlDeps): SimResponse {
  const { store } = deps;
  const route = `${req.method} ${req.path}`;
  const orderAction = /^POST \/_sim\/orders\/(\d+)\/(cancel|refunds)$/.exec(route);
  if (orderAction) {
    const orderId = Number(orderAction[1]);
    if (!store.orders.has(orderId)) return { status: 404, body: { error: `no order ${orderId}` } };
    if (orderAction[2] === 'cancel') {
      const input = bodyOf(req, cancelSchema);
      if (!input.ok) return input.response;
      return { status: 200, body: { order: store.cancelOrder(orderId, input.value.reason) } };
    }
    const input = bodyOf(req, refundSchema);
    if (!input.ok) return input.response;
    return { status: 201, body: { refund: store.refundOrder(orderId, input.value.lines, input.value.note ?? null) } };
  }
  switch (route) {
    case 'GET /_sim/state':
      return {
        status: 200,
        body: {
          orders: [...store.orders.values()],
          fulfillmentOrders: [...store.fulfillmentOrders.values()],
          locations: [...store.locations.values()],
          inventoryItems: [...store.inventoryItems.values()],
          inventoryLevels: [...store.inventoryLevels.values()].map((l) => ({ ...l, available: ShopifyStore.available(l) })),
          adjustmentGroups: store.adjustmentGroups,
          webhookSubscriptions: [...store.webhookSubscriptions.values()],
          webhookAttempts: deps.dispatcher.attempts,
          webhooksHeld: deps.dispatcher.heldCount(),
          throttle: {
            maximumAvailable: deps.bucket.capacity,
            currentlyAvailable: deps.bucket.available(),
            restoreRate: deps.bucket.refillPerSecond,
          },
          faultsPending: deps.faults.pending(),
        },
      };
    case 'POST /_sim/faults': {
      const input = bodyOf(req, faultControlSchema);
      if (!input.ok) return input.response;
      return { status: 200, body: applyFaultControl(deps.faults, input.value) };
    }
    case 'DELETE /_sim/faults':
      deps.faults.reset();
      return { status: 200, body: { pending: 0 } };
    case 'POST /_sim/webhooks': {
      const input = bodyOf(req, subscribeSchema);
      if (!input.ok) return input.response;
      return { status: 201, body: { subscription: store.subscribe(input.value.topic, input.value.address) } };
    }
    case 'POST /_sim/webhooks/flush':
      deps.dispatcher.flush();
      return { status: 200, body: { held: deps.dispatcher.heldCount() } };
    case 'POST /_sim/orders': {
      const input = bodyOf(req, z.object({ template: orderTemplateSchema.optional() }));
      if (!input.ok) return input.response;
      return { status: 201, body: { order: store.createOrder(input.value.template) } };
    }
    case 'POST /_sim/inventory': {
      const input = bodyOf(req, stockSchema);
      if (!input.ok) return input.response;
      const { sku, quantity, locationId } = input.value;
      if (locationId !== undefined && !store.locations.has(locationId))
        return { status: 404, body: { error: `no location ${locationId}` } };
      const level = store.stock(sku, quantity, locationId);
      return { status: 201, body: { level: { ...level, available: ShopifyStore.available(level) } } };
    }
    case 'POST /_sim/throttle': {
      const input = bodyOf(req, throttleSchema);
      if (!input.ok) return input.response;
      if (input.value.drain) deps.bucket.drain();
      return { status: 200, body: { currentlyAvailable: deps.bucket.available() } };
    }
    default:
      return { status: 404, body: { error: `no control route ${route}` } };
  }
}
