import { z } from 'zod';
import { defineEventType, EventCatalog, type EventType } from './envelope.js';
import { LotDetail } from './lot.js';
import {
  AdvanceShipNoticeV1,
  CaseV1,
  CreditMemoV1,
  CustomerV1,
  InventoryPositionV1,
  InvoiceV1,
  ItemV1,
  LocationV1,
  OrderAcknowledgementV1,
  PriceListV1,
  PurchaseOrderV1,
  ReceiptV1,
  ReturnAuthorizationV1,
  SalesOrderV1,
  ShipmentV1,
  SupplierV1,
} from './objects/index.js';
import { Code, DocumentNumber, Id, IsoDate, LineNumber, RefMap, SystemKey, Text, Timestamp } from './primitives.js';
import { Quantity, SignedQuantity } from './quantity.js';
import { ItemRef, LocationRef } from './refs.js';

/**
 * The business events the hub publishes (ARCHITECTURE §5.1). `data` is the whole canonical object when a
 * consumer needs its state, or a small change payload naming the order and what changed. Change payloads
 * follow the same rules as objects: strict, versioned with the type, checked by the compatibility test.
 */

const OrderKey = {
  orderId: Id,
  orderNumber: DocumentNumber.optional(),
  channelOrderId: DocumentNumber.optional(),
};

const Reason = z.strictObject({ code: Code, message: Text, path: z.string().max(500).optional() });

export const OrderRejectedData = z.strictObject({ ...OrderKey, reasons: z.array(Reason).min(1) });

export const OrderAllocatedData = z.strictObject({
  ...OrderKey,
  lines: z
    .array(
      z.strictObject({
        lineNumber: LineNumber,
        location: LocationRef,
        quantity: Quantity,
        lots: z.array(LotDetail).default([]),
      }),
    )
    .min(1),
});

export const OrderBackorderedData = z.strictObject({
  ...OrderKey,
  lines: z.array(z.strictObject({ lineNumber: LineNumber, quantity: Quantity, expectedDate: IsoDate.optional() })).min(1),
});

export const OrderBookedData = z.strictObject({
  ...OrderKey,
  system: SystemKey.meta({ description: 'the ERP that booked it' }),
  externalId: z.string().min(1).max(500),
  refs: RefMap.optional(),
});

export const OrderReleasedData = z.strictObject({
  ...OrderKey,
  location: LocationRef,
  releaseNumber: DocumentNumber.optional(),
  lineNumbers: z.array(LineNumber).default([]),
});

export const OrderShippedData = z.strictObject({
  ...OrderKey,
  shipmentId: Id,
  complete: z.boolean().meta({ description: 'true when nothing remains to ship' }),
  lines: z.array(z.strictObject({ lineNumber: LineNumber, quantity: Quantity })).default([]),
});

export const OrderInvoicedData = z.strictObject({ ...OrderKey, invoiceId: Id, invoiceNumber: DocumentNumber.optional() });

export const OrderCancelledData = z.strictObject({
  ...OrderKey,
  reasonCode: Code.optional(),
  reason: Text.optional(),
  lineNumbers: z.array(LineNumber).default([]).meta({ description: 'empty: the whole order' }),
});

export const InventoryAdjustedData = z.strictObject({
  item: ItemRef,
  location: LocationRef,
  delta: SignedQuantity,
  reasonCode: z.enum(['cycle-count', 'damage', 'shrinkage', 'found', 'expiry', 'quality', 'correction', 'other']),
  lot: LotDetail.optional(),
  occurredAt: Timestamp,
  note: Text.optional(),
});

export const InventorySnapshotData = z.strictObject({
  location: LocationRef.optional().meta({ description: 'absent when the snapshot spans locations' }),
  source: SystemKey,
  asOf: Timestamp,
  complete: z.boolean().meta({ description: 'true: positions not listed are zero' }),
  positions: z.array(InventoryPositionV1),
});

/** `crossdock.<noun>.<verb>.v1` for a short name such as `order.received`. */
export function eventTypeName(name: string): string {
  return `crossdock.${name}.v1`;
}

function event<S extends z.ZodType>(name: string, schema: S, description: string): EventType<S> {
  return defineEventType({ type: eventTypeName(name), schema, description });
}

export const AsnReceivedEvent = event('asn.received', AdvanceShipNoticeV1, 'An advance ship notice arrived (856/DESADV).');
export const CaseOpenedEvent = event('case.opened', CaseV1, 'A customer-service case was opened.');
export const CaseUpdatedEvent = event('case.updated', CaseV1, 'A case changed status, owner or priority.');
export const CreditMemoPostedEvent = event('creditmemo.posted', CreditMemoV1, 'A credit memo was posted.');
export const CustomerUpsertedEvent = event('customer.upserted', CustomerV1, 'A customer was created or changed.');
export const InventoryAdjustedEvent = event('inventory.adjusted', InventoryAdjustedData, 'Stock was adjusted (count, damage, found).');
export const InventoryPositionChangedEvent = event(
  'inventory.position.changed',
  InventoryPositionV1,
  'A position changed (on hand, allocations, holds, in transit).',
);
export const InventorySnapshotEvent = event(
  'inventory.snapshot',
  InventorySnapshotData,
  'A full or partial stock picture from one system.',
);
export const InvoicePostedEvent = event('invoice.posted', InvoiceV1, 'An invoice was posted (AR or AP).');
export const ItemUpsertedEvent = event('item.upserted', ItemV1, 'An item was created or changed.');
export const LocationUpsertedEvent = event('location.upserted', LocationV1, 'A location was created or changed.');
export const OrderAcceptedEvent = event('order.accepted', SalesOrderV1, 'The order passed customer, price and credit checks.');
export const OrderAllocatedEvent = event('order.allocated', OrderAllocatedData, 'Stock was allocated to order lines.');
export const OrderBackorderedEvent = event(
  'order.backordered',
  OrderBackorderedData,
  'Order lines could not be allocated and wait for stock.',
);
export const OrderBookedEvent = event('order.booked', OrderBookedData, 'The ERP booked the order; data names the ERP record.');
export const OrderCancelledEvent = event('order.cancelled', OrderCancelledData, 'The order, or some lines, were cancelled.');
export const OrderInvoicedEvent = event('order.invoiced', OrderInvoicedData, 'The order was invoiced.');
export const OrderReceivedEvent = event(
  'order.received',
  SalesOrderV1,
  'A sales order arrived from a channel, EDI or portal (before any check).',
);
export const OrderRejectedEvent = event('order.rejected', OrderRejectedData, 'The order failed a check; reasons name the fields.');
export const OrderReleasedEvent = event('order.released', OrderReleasedData, 'The order was released to a warehouse or 3PL.');
export const OrderShippedEvent = event('order.shipped', OrderShippedData, 'Part or all of the order shipped.');
export const PriceListUpsertedEvent = event('pricelist.upserted', PriceListV1, 'A price list was created or changed.');
export const PurchaseOrderAcknowledgedEvent = event(
  'purchaseorder.acknowledged',
  OrderAcknowledgementV1,
  "The supplier's acknowledgement (855/ORDRSP).",
);
export const PurchaseOrderCreatedEvent = event(
  'purchaseorder.created',
  PurchaseOrderV1,
  'A purchase order was created (replenishment, drop-ship, buyer).',
);
export const PurchaseOrderSentEvent = event('purchaseorder.sent', PurchaseOrderV1, 'The purchase order went to the supplier.');
export const ReceiptPostedEvent = event('receipt.posted', ReceiptV1, 'Goods were received and posted.');
export const ReturnAuthorizedEvent = event('return.authorized', ReturnAuthorizationV1, 'The return was authorized (RMA issued).');
export const ReturnReceivedEvent = event(
  'return.received',
  ReturnAuthorizationV1,
  'Returned goods arrived; lines carry received quantities.',
);
export const ReturnRequestedEvent = event('return.requested', ReturnAuthorizationV1, 'A customer asked to return goods.');
export const ShipmentDeliveredEvent = event('shipment.delivered', ShipmentV1, 'The carrier delivered the shipment.');
export const ShipmentDispatchedEvent = event('shipment.dispatched', ShipmentV1, 'The shipment left the warehouse with the carrier.');
export const ShipmentExceptionEvent = event('shipment.exception', ShipmentV1, 'A carrier or warehouse exception; `exception` says what.');
export const SupplierUpsertedEvent = event('supplier.upserted', SupplierV1, 'A supplier was created or changed.');

/** Every business event type of version 1, sorted by type name. */
export const canonicalEvents: EventType[] = [
  AsnReceivedEvent,
  CaseOpenedEvent,
  CaseUpdatedEvent,
  CreditMemoPostedEvent,
  CustomerUpsertedEvent,
  InventoryAdjustedEvent,
  InventoryPositionChangedEvent,
  InventorySnapshotEvent,
  InvoicePostedEvent,
  ItemUpsertedEvent,
  LocationUpsertedEvent,
  OrderAcceptedEvent,
  OrderAllocatedEvent,
  OrderBackorderedEvent,
  OrderBookedEvent,
  OrderCancelledEvent,
  OrderInvoicedEvent,
  OrderReceivedEvent,
  OrderRejectedEvent,
  OrderReleasedEvent,
  OrderShippedEvent,
  PriceListUpsertedEvent,
  PurchaseOrderAcknowledgedEvent,
  PurchaseOrderCreatedEvent,
  PurchaseOrderSentEvent,
  ReceiptPostedEvent,
  ReturnAuthorizedEvent,
  ReturnReceivedEvent,
  ReturnRequestedEvent,
  ShipmentDeliveredEvent,
  ShipmentDispatchedEvent,
  ShipmentExceptionEvent,
  SupplierUpsertedEvent,
].sort((a, b) => a.type.localeCompare(b.type));

/** The event types by type name, e.g. `canonicalEventTypes['crossdock.order.received.v1']`. */
export const canonicalEventTypes: Readonly<Record<string, EventType>> = Object.fromEntries(canonicalEvents.map((t) => [t.type, t]));

/** A catalog holding the canonical events plus any extra types (a connector's or a test's). */
export function createCanonicalEventCatalog(extra: Iterable<EventType> = []): EventCatalog {
  return new EventCatalog([...canonicalEvents, ...extra]);
}

export type OrderRejected = z.infer<typeof OrderRejectedData>;
export type OrderAllocated = z.infer<typeof OrderAllocatedData>;
export type OrderBackordered = z.infer<typeof OrderBackorderedData>;
export type OrderBooked = z.infer<typeof OrderBookedData>;
export type OrderReleased = z.infer<typeof OrderReleasedData>;
export type OrderShipped = z.infer<typeof OrderShippedData>;
export type OrderInvoiced = z.infer<typeof OrderInvoicedData>;
export type OrderCancelled = z.infer<typeof OrderCancelledData>;
export type InventoryAdjusted = z.infer<typeof InventoryAdjustedData>;
export type InventorySnapshot = z.infer<typeof InventorySnapshotData>;
