import { type Envelope, SalesOrderStatus } from '../../canonical/index.js';
import type { Tx } from '../../store/index.js';
import type { DocumentStore } from './document-store.js';

/** Order lifecycle events and the order status each one sets on the partner's copy of the order. */
export const ORDER_STATUS_EVENTS: Readonly<Record<string, (data: Record<string, unknown>) => string>> = {
  'crossdock.order.accepted.v1': () => 'accepted',
  'crossdock.order.rejected.v1': () => 'rejected',
  'crossdock.order.allocated.v1': () => 'allocated',
  'crossdock.order.backordered.v1': () => 'backordered',
  'crossdock.order.booked.v1': () => 'booked',
  'crossdock.order.released.v1': () => 'released',
  'crossdock.order.shipped.v1': (d) => (d.complete === true ? 'shipped' : 'partially-shipped'),
  'crossdock.order.invoiced.v1': () => 'invoiced',
  'crossdock.order.cancelled.v1': () => 'cancelled',
};

function orderIdOf(event: Envelope): string | undefined {
  const data = event.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const id = 'orderId' in data ? data.orderId : event.type === 'crossdock.order.accepted.v1' && 'id' in data ? data.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Moves a partner's order to the status a lifecycle event implies and records it in the order's
 * status history (what `GET /v1/orders/{id}/timeline` shows without the observability service).
 * Events about orders that did not come through the partner API are ignored.
 */
export async function applyOrderStatusEvent(documents: DocumentStore, event: Envelope, tx: Tx): Promise<boolean> {
  const statusOf = ORDER_STATUS_EVENTS[event.type];
  const orderId = orderIdOf(event);
  if (!statusOf || orderId === undefined || typeof event.data !== 'object' || event.data === null) return false;
  const current = await documents.findById('order', orderId, tx);
  if (!current) return false;
  const status = statusOf({ ...event.data });
  if (current.status === status || current.status === 'cancelled') return false;
  const parsed = SalesOrderStatus.safeParse(status);
  await documents.update(tx, current, {
    data: { ...current.data, status: parsed.success ? parsed.data : current.data.status, updatedAt: event.time },
    status,
    source: event.source,
  });
  return true;
}
