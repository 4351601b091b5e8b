import { z } from 'zod';
import { applyFaultControl, faultControlSchema } from '../kit/fault-control.js';
import type { FaultPlan } from '../kit/faults.js';
import { parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import type { WebhookDispatcher } from '../kit/webhook-dispatcher.js';
import type { RateLimiter } from './api.route.js';
import { WEBHOOK_EVENTS } from './model.js';
import { WmsConflict, type WmsStore } from './store.js';

export interface WmsControlDeps {
  store: WmsStore;
  faults: FaultPlan;
  dispatcher: WebhookDispatcher;
  limiter: RateLimiter;
}

const advanceSchema = z.object({
  order_id: z.string().optional(),
  to: z.enum(['picked', 'packed', 'shipped']).optional(),
  exception: z
    .object({ code: z.enum(['damaged', 'short']), sku: z.string(), quantity: z.number().int().positive(), note: z.string().nullish() })
    .optional(),
});
const receiveSchema = z.object({
  lines: z.array(z.object({ sku: z.string(), received: z.number().int().min(0), damaged: z.number().int().min(0).optional() })).optional(),
});
const seedSchema = z.object({
  sku: z.string().min(1),
  location: z.string().min(1).optional(),
  on_hand: z.number().int().min(0),
  lots: z.array(z.object({ lot: z.string(), quantity: z.number().int().min(0), expires_on: z.string().nullable() })).optional(),
});
const webhookSchema = z.object({ url: z.url(), events: z.array(z.enum(WEBHOOK_EVENTS)).optional() });
const rateSchema = z.object({ drain: z.boolean().optional(), api_key: z.string().optional() });

function bodyOf<S extends z.ZodType>(req: SimRequest, schema: S): { ok: true; value: z.infer<S> } | { ok: false; response: SimResponse } {
  const parsed = schema.safeParse(parseJsonBody(req.rawBody) ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: { status: 400, body: { error: 'invalid control request', issues: parsed.error.issues } } };
}

const conflict = (err: unknown): SimResponse => {
  if (err instanceof WmsConflict) return { status: err.code === 'not_found' ? 404 : 409, body: { error: err.code, message: err.message } };
  throw err;
};

/** The simulator's own API under /_sim/: drive the warehouse, seed stock, arm faults, read state. */
export function handleWmsControl(req: SimRequest, deps: WmsControlDeps): SimResponse {
  const { store } = deps;
  const route = `${req.method} ${req.path}`;
  const receive = /^POST \/_sim\/asns\/([A-Za-z0-9_]+)\/receive$/.exec(route);
  if (receive) {
    const input = bodyOf(req, receiveSchema);
    if (!input.ok) return input.response;
    try {
      return { status: 200, body: store.receive(receive[1]!, input.value.lines) };
    } catch (err) {
      return conflict(err);
    }
  }
  switch (route) {
    case 'GET /_sim/state':
      return {
        status: 200,
        body: {
          orders: [...store.orders.values()],
          inventory: store.inventoryList({}),
          adjustments: store.adjustments,
          asns: [...store.asns.values()],
          webhookEndpoints: [...store.webhookEndpoints.values()],
          webhookAttempts: deps.dispatcher.attempts,
          webhooksHeld: deps.dispatcher.heldCount(),
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
      const input = bodyOf(req, webhookSchema);
      if (!input.ok) return input.response;
      return { status: 201, body: store.addWebhookEndpoint(input.value.url, input.value.events) };
    }
    case 'POST /_sim/webhooks/flush':
      deps.dispatcher.flush();
      return { status: 200, body: { held: deps.dispatcher.heldCount() } };
    case 'POST /_sim/inventory': {
      const input = bodyOf(req, seedSchema);
      if (!input.ok) return input.response;
      const { sku, location, on_hand, lots } = input.value;
      return { status: 201, body: store.seedInventory(sku, location ?? store.defaultWarehouse, on_hand, lots) };
    }
    case 'POST /_sim/advance': {
      const input = bodyOf(req, advanceSchema);
      if (!input.ok) return input.response;
      const { order_id, to, exception } = input.value;
      const options = { ...(to ? { to } : {}), ...(exception ? { exception } : {}) };
      try {
        const orders = order_id ? [store.advance(order_id, options)] : store.activeOrders().map((o) => store.advance(o.id, options));
        return { status: 200, body: { orders } };
      } catch (err) {
        return conflict(err);
      }
    }
    case 'POST /_sim/rate-limit': {
      const input = bodyOf(req, rateSchema);
      if (!input.ok) return input.response;
      const buckets = input.value.api_key ? [deps.limiter.bucket(input.value.api_key)] : [...deps.limiter.buckets.values()];
      if (input.value.drain) for (const bucket of buckets) bucket.drain();
      return { status: 200, body: { drained: buckets.length } };
    }
    default:
      return { status: 404, body: { error: `no control route ${route}` } };
  }
}
