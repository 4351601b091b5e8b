import { fillCurrency, itemFromKeptIds, numberLines, prune } from '../engine/finish.js';
import type { MapContext } from '../engine/map-format.js';
import { isRec, type Rec } from '../engine/paths.js';

/** What every order-like record needs before the canonical schema sees it (850, 940, ORDERS). */
export function finishOrder(record: Rec, ctx: MapContext): Rec {
  const order = { ...record };
  order.id = ctx.documentKey;
  if (typeof order.currency !== 'string') order.currency = ctx.defaultCurrency;
  // No order date in the body: the group's date (the time of day is the sender's, not the order's).
  if (typeof order.orderDate !== 'string') order.orderDate = `${(ctx.envelope.timestamp ?? '1970-01-01').slice(0, 10)}T00:00:00Z`;
  numberLines(order.lines);
  itemFromKeptIds(order.lines);
  fillCurrency(order, String(order.currency));
  const ext = isRec(order.ext) ? order.ext : {};
  order.ext = { ...ext, edi: { ...(isRec(ext.edi) ? ext.edi : {}), envelope: { ...ctx.envelope } } };
  const pruned = prune(order);
  return isRec(pruned) ? pruned : order;
}
