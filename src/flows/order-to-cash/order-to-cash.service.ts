import { z } from 'zod';
import { type Envelope, eventTypeName, Id, type SalesOrder, SalesOrderV1 } from '../../canonical/index.js';
import type { EventLog } from '../../eventlog/index.js';
import type { Tx } from '../../store/index.js';
import type { FlowDefinition, WorkflowEngine } from '../../workflow/index.js';
import { O2cErrors, type O2cResult } from './order-to-cash.flow.js';
import { HOLD_SIGNAL, type Hold, HoldDecision, holdKey, O2C_FLOW, SHIPMENT_SIGNAL } from './signals.js';

/** Event types that drive order-to-cash from the log. */
export const O2C_INBOUND_TYPES = [
  eventTypeName('order.received'),
  eventTypeName('shipment.dispatched'),
  eventTypeName('shipment.exception'),
] as const;

// Only a shipment's order references: the log checked the whole shipment when it was published.
const ShipmentOrders = z.looseObject({
  orders: z.array(z.looseObject({ id: Id.optional() })).optional(),
  lines: z.array(z.looseObject({ order: z.looseObject({ id: Id.optional() }).optional() })).optional(),
});

/** The order a shipment belongs to: its first order reference, else its partition key `order/<id>`. */
export function orderIdOfShipment(event: Envelope): string | undefined {
  const parsed = ShipmentOrders.safeParse(event.data);
  const fromData = parsed.success ? (parsed.data.orders?.[0]?.id ?? parsed.data.lines?.[0]?.order?.id) : undefined;
  if (fromData) return fromData;
  return event.partitionkey.startsWith('order/') ? event.partitionkey.slice('order/'.length) : undefined;
}

/**
 * Order-to-cash as operations drive it: orders start it, warehouse events wake it, operators
 * release holds and cancel orders. One instance per order id, ever.
 */
export class OrderToCash {
  constructor(
    private readonly engine: WorkflowEngine,
    readonly flow: FlowDefinition<SalesOrder, O2cResult>,
  ) {}

  /** Starts the flow for an order (a second start for the same order does nothing). */
  start(order: unknown, correlationid?: string, tx?: Tx): Promise<{ key: string; started: boolean }> {
    return this.engine.start(this.flow, order, { ...(correlationid ? { correlationid } : {}), ...(tx ? { tx } : {}) });
  }

  /** Delivers a warehouse shipment event to the order's flow; the event id makes redelivery harmless. */
  shipment(orderId: string, kind: 'dispatched' | 'exception', shipment: unknown, eventId: string, tx?: Tx): Promise<boolean> {
    return this.engine.signal(SHIPMENT_SIGNAL, orderId, { kind, shipment }, { id: `${SHIPMENT_SIGNAL}:${eventId}`, ...(tx ? { tx } : {}) });
  }

  /** An operator's decision on a price, credit or billing hold. */
  decide(orderId: string, hold: Hold, decision: unknown): Promise<boolean> {
    const d = HoldDecision.parse(decision);
    return this.engine.signal(HOLD_SIGNAL, holdKey(orderId, hold), d);
  }

  /**
   * Cancels an order at any stage before shipment: stock is released, the ERP order cancelled and
   * the warehouse release cancelled (compensation, newest first). A shipped order takes the return path.
   */
  async cancel(orderId: string, reason: string): Promise<void> {
    const view = await this.engine.get(O2C_FLOW, orderId);
    if (view?.steps.some((s) => s.step === 'evt.shipped' && s.status === 'done'))
      throw O2cErrors.alreadyShipped(`order ${orderId} has shipped; start a return instead`, { orderId });
    await this.engine.cancel(O2C_FLOW, orderId, reason);
  }

  status(orderId: string) {
    return this.engine.get(O2C_FLOW, orderId);
  }

  /** Routes one event from the log: new orders start flows, shipment events wake them. */
  async handle(event: Envelope, tx?: Tx): Promise<void> {
    if (event.type === eventTypeName('order.received')) {
      const order = SalesOrderV1.parse(event.data);
      await this.start(order, event.correlationid, tx);
      return;
    }
    const kind =
      event.type === eventTypeName('shipment.dispatched')
        ? 'dispatched'
        : event.type === eventTypeName('shipment.exception')
          ? 'exception'
          : undefined;
    if (!kind) return;
    const orderId = orderIdOfShipment(event);
    if (orderId) await this.shipment(orderId, kind, event.data, event.id, tx);
  }

  /** Subscribes to the topics orders and shipments arrive on. */
  subscribe(eventlog: EventLog, topics: readonly string[], group = 'flows-order-to-cash'): void {
    for (const topic of topics) {
      eventlog.subscribe({ group, topic, types: O2C_INBOUND_TYPES, handler: (event, ctx) => this.handle(event, ctx.tx) });
    }
  }
}
