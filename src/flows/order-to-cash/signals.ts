import { z } from 'zod';
import { defineEventType, ShipmentV1 } from '../../canonical/index.js';

/** The flow's name: one instance per order id. */
export const O2C_FLOW = 'order-to-cash';

/** Signal a waiting order gets when the warehouse ships or reports an exception (key: order id). */
export const SHIPMENT_SIGNAL = 'o2c.shipment';

/** Signal an operator sends to release a hold (key: `<order id>/<hold>`). */
export const HOLD_SIGNAL = 'o2c.hold';

export const Hold = z.enum(['price', 'credit', 'billing']);
export type Hold = z.infer<typeof Hold>;

/** An operator's decision on a hold. */
export const HoldDecision = z.strictObject({
  decision: z.enum(['release', 'reject']),
  by: z.string().min(1).max(200),
  note: z.string().max(2000).optional(),
});
export type HoldDecision = z.infer<typeof HoldDecision>;

/** What the warehouse reported, as the flow receives it. */
export const ShipmentSignal = z.strictObject({
  kind: z.enum(['dispatched', 'exception']),
  shipment: ShipmentV1,
});
export type ShipmentSignal = z.infer<typeof ShipmentSignal>;

export const holdKey = (orderId: string, hold: Hold) => `${orderId}/${hold}`;

/** `crossdock.order.held.v1`: the order waits for an operator (price mismatch, credit, billing). */
export const OrderHeldEvent = defineEventType({
  type: 'crossdock.order.held.v1',
  schema: z.strictObject({
    orderId: z.string().min(1).max(200),
    hold: Hold,
    reason: z.string().min(1).max(2000),
    exceptionId: z.string().min(1).max(200).optional(),
  }),
  description: 'The order is on hold until an operator releases it (price mismatch, credit, billing after a shipment exception).',
});
