import {
  AsnReceivedEvent,
  type Envelope,
  InventoryPositionChangedEvent,
  InvoicePostedEvent,
  makeEvent,
  OrderReceivedEvent,
  PurchaseOrderAcknowledgedEvent,
  PurchaseOrderCreatedEvent,
  ShipmentDispatchedEvent,
} from '../../canonical/index.js';
import { isRec } from '../maps/index.js';
import type { DeliveredDocuments } from '../transport/index.js';

/** The event an inbound canonical object becomes, and the topic it goes to (the event's noun). */
export const INBOUND_EVENTS: Readonly<Record<string, { type: string; topic: string }>> = {
  'salesorder.v1': { type: OrderReceivedEvent.type, topic: 'orders' },
  'purchaseorder.v1': { type: PurchaseOrderCreatedEvent.type, topic: 'purchaseorders' },
  'orderacknowledgement.v1': { type: PurchaseOrderAcknowledgedEvent.type, topic: 'purchaseorders' },
  'advanceshipnotice.v1': { type: AsnReceivedEvent.type, topic: 'asns' },
  'invoice.v1': { type: InvoicePostedEvent.type, topic: 'invoices' },
  'inventoryposition.v1': { type: InventoryPositionChangedEvent.type, topic: 'inventory' },
  'shipment.v1': { type: ShipmentDispatchedEvent.type, topic: 'shipments' },
};

/** The business key of an object for its subject and partition key (`order/PO-1`, `asn/ASN-9`). */
function businessKey(schema: string, data: unknown): string {
  const r = isRec(data) ? data : {};
  const pick = (...keys: string[]) => keys.map((k) => r[k]).find((v): v is string => typeof v === 'string' && v !== '');
  switch (schema) {
    case 'salesorder.v1':
      return `order/${pick('customerPoNumber', 'orderNumber', 'id') ?? 'unknown'}`;
    case 'purchaseorder.v1':
      return `purchaseorder/${pick('poNumber', 'id') ?? 'unknown'}`;
    case 'orderacknowledgement.v1': {
      const order = isRec(r.order) && typeof r.order.number === 'string' ? r.order.number : pick('id');
      return `purchaseorder/${order ?? 'unknown'}`;
    }
    case 'advanceshipnotice.v1':
      return `asn/${pick('asnNumber', 'id') ?? 'unknown'}`;
    case 'invoice.v1':
      return `invoice/${pick('invoiceNumber', 'id') ?? 'unknown'}`;
    case 'inventoryposition.v1': {
      const item = isRec(r.item) ? (r.item.gtin ?? r.item.sku ?? r.item.supplierItemNumber) : undefined;
      const loc = isRec(r.location) ? r.location.code : undefined;
      return `inventory/${String(item ?? 'unknown')}@${String(loc ?? 'unknown')}`;
    }
    default:
      return `${schema.split('.')[0] ?? 'edi'}/${pick('shipmentNumber', 'id') ?? 'unknown'}`;
  }
}

/**
 * Canonical events for one delivered document. Ids derive from the partner, the interchange and
 * transaction control numbers and the object's index, so a redelivery publishes the same ids (the log
 * stores an id once); the idempotency key is the interchange control number (ARCHITECTURE §5.6).
 */
export function inboundEvents(docs: DeliveredDocuments, now: number): Array<{ topic: string; event: Envelope }> {
  const env = docs.envelope;
  const interchange = env.interchangeControl ?? docs.receiptId;
  const base = `edi:${docs.partner}:${env.senderId ?? ''}:${interchange}:${env.groupControl ?? ''}:${env.transactionControl ?? ''}`;
  return docs.objects.flatMap((o, i) => {
    const target = INBOUND_EVENTS[o.schema];
    if (!target) return [];
    const key = businessKey(o.schema, o.data);
    const event = makeEvent(
      {
        id: `${base}:${i}`,
        type: target.type,
        source: `crossdock://edi/${docs.partner}`,
        subject: key,
        partitionkey: key,
        idempotencykey: `edi:${docs.partner}:${interchange}:${env.transactionControl ?? ''}`,
        data: o.data,
      },
      now,
    );
    return [{ topic: target.topic, event }];
  });
}
