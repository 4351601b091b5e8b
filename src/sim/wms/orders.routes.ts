import type { SimRequest, SimResponse } from '../kit/http-sim.js';
import { readBody } from './body.js';
import { decodeCursor, encodeCursor, parseLimit } from './cursor.js';
import { wmsError } from './errors.js';
import { createOrderSchema } from './model.js';
import { WmsConflict, type WmsStore } from './store.js';

export function conflictResponse(err: WmsConflict): SimResponse {
  const status = err.code === 'not_found' ? 404 : err.code === 'insufficient_inventory' || err.code === 'unknown_sku' ? 422 : 409;
  return wmsError(status, err.code, err.message, err.details);
}

/** POST /v1/orders — release an order; a reference already used answers 409 with the existing id. */
export function createOrderRoute(req: SimRequest, store: WmsStore): SimResponse {
  const input = readBody(req, createOrderSchema);
  if (!input.ok) return input.response;
  try {
    const order = store.createOrder(input.value);
    return { status: 201, headers: { location: `/v1/orders/${order.id}` }, body: order };
  } catch (err) {
    if (err instanceof WmsConflict) return conflictResponse(err);
    throw err;
  }
}

/** GET /v1/orders?reference=&status=&cursor=&limit= — newest last, cursor-paged. */
export function listOrdersRoute(req: SimRequest, store: WmsStore): SimResponse {
  const limit = parseLimit(req.query.get('limit'), 50, 100);
  if (limit === undefined) return wmsError(400, 'invalid_parameter', 'limit must be an integer from 1 to 100.', [{ field: 'limit' }]);
  const reference = req.query.get('reference');
  const status = req.query.get('status');
  const all = [...store.orders.values()]
    .filter((o) => (reference === null || o.reference === reference) && (status === null || o.status === status))
    .sort((a, b) => a.id.localeCompare(b.id));
  let start = 0;
  const cursor = req.query.get('cursor');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (typeof decoded?.after !== 'string') return wmsError(400, 'invalid_cursor', 'The cursor is not valid.', [{ field: 'cursor' }]);
    const after = decoded.after;
    start = all.findIndex((o) => o.id > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = start + limit < all.length;
  return { status: 200, body: { data: page, next_cursor: more && last ? encodeCursor({ after: last.id }) : null } };
}

export function getOrderRoute(id: string, store: WmsStore): SimResponse {
  const order = store.orders.get(id);
  return order ? { status: 200, body: order } : wmsError(404, 'not_found', `Order ${id} was not found.`);
}

/** POST /v1/orders/{id}/cancel — 409 `order_not_cancellable` once shipped; cancelling twice is a no-op. */
export function cancelOrderRoute(id: string, store: WmsStore): SimResponse {
  try {
    return { status: 200, body: store.cancelOrder(id) };
  } catch (err) {
    if (err instanceof WmsConflict) return conflictResponse(err);
    throw err;
  }
}
