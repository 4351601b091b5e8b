import type { ReplenishmentInput } from './replenishment.flow.js';

/** What replenishment needs of a sales order: its lines' items, and where it ships from. */
export interface OrderLines {
  id: string;
  shipFrom?: { code?: string | undefined } | undefined;
  lines: ReadonlyArray<{ lineNumber: string; item: { sku?: string | undefined; id?: string | undefined } }>;
}

/**
 * The replenishment run for a canonical `crossdock.order.backordered.v1`, whose lines name only line
 * numbers and quantities: the items come from the sales order (order-to-cash's input).
 */
export function replenishmentForBackorder(
  backorder: { orderId: string; lines: ReadonlyArray<{ lineNumber: string; quantity: { value: string } }> },
  order: OrderLines,
  defaultLocation: string,
): ReplenishmentInput | undefined {
  const location = order.shipFrom?.code ?? defaultLocation;
  const lines = backorder.lines.flatMap((b) => {
    const line = order.lines.find((l) => l.lineNumber === b.lineNumber);
    const item = line?.item.sku ?? line?.item.id;
    return item ? [{ item, location, quantity: b.quantity.value }] : [];
  });
  if (lines.length === 0) return undefined;
  return { id: `backorder:${backorder.orderId}`, reason: { kind: 'backorder', ref: backorder.orderId }, lines };
}
