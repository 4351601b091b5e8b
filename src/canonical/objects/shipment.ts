import { z } from 'zod';
import { Address } from '../address.js';
import { lineFields, objectFields } from '../base.js';
import { Sscc } from '../gs1.js';
import { LotQuantityDetail } from '../lot.js';
import { Money } from '../money.js';
import { Code, LineNumber, Text, Timestamp, Url } from '../primitives.js';
import { Dimensions, Quantity, Weight } from '../quantity.js';
import { DocumentRef, ItemRef, LocationRef } from '../refs.js';
import { Carrier } from '../terms.js';

export const ShipmentStatus = z.enum([
  'pending',
  'picked',
  'packed',
  'dispatched',
  'in-transit',
  'out-for-delivery',
  'delivered',
  'exception',
  'returned',
  'cancelled',
]);
export type ShipmentStatus = z.infer<typeof ShipmentStatus>;

export const ShipmentLine = z.strictObject({
  lineNumber: LineNumber.optional(),
  ...lineFields,
  order: DocumentRef.optional(),
  orderLineNumber: LineNumber.optional(),
  item: ItemRef,
  quantity: Quantity,
  lots: z.array(LotQuantityDetail).default([]),
  packageTrackingNumber: Code.optional(),
});
export type ShipmentLine = z.infer<typeof ShipmentLine>;

export const ShipmentPackage = z.strictObject({
  trackingNumber: Code.optional(),
  sscc: Sscc.optional(),
  weight: Weight.optional(),
  dimensions: Dimensions.optional(),
});

/** A carrier milestone (X12 214 AT7, carrier tracking API). */
export const ShipmentEvent = z.strictObject({
  status: ShipmentStatus,
  at: Timestamp,
  code: Code.optional(),
  description: Text.optional(),
  location: Text.optional(),
});

export const ShipmentException = z.strictObject({
  code: Code,
  description: Text.optional(),
  occurredAt: Timestamp,
  expectedResolution: Timestamp.optional(),
});

/** Goods leaving a location for a customer (WMS/3PL ship confirm, X12 945, Shopify fulfillment). */
export const ShipmentV1 = z
  .strictObject({
    ...objectFields,
    shipmentNumber: Code.optional(),
    status: ShipmentStatus,
    orders: z.array(DocumentRef).default([]),
    shipFrom: LocationRef.optional(),
    shipTo: Address.optional(),
    carrier: Carrier.optional(),
    trackingNumbers: z.array(Code).default([]),
    trackingUrls: z.array(Url).default([]),
    billOfLading: Code.optional(),
    proNumber: Code.optional(),
    packages: z.array(ShipmentPackage).default([]),
    lines: z.array(ShipmentLine).default([]),
    freightCost: Money.optional(),
    shippedAt: Timestamp.optional(),
    estimatedDeliveryAt: Timestamp.optional(),
    deliveredAt: Timestamp.optional(),
    proofOfDelivery: z.strictObject({ signedBy: Text.optional(), url: Url.optional() }).optional(),
    exception: ShipmentException.optional(),
    events: z.array(ShipmentEvent).default([]),
  })
  .meta({ title: 'Shipment', description: 'An outbound shipment with its carrier, tracking and milestones.' });
export type Shipment = z.infer<typeof ShipmentV1>;
export type ShipmentInput = z.input<typeof ShipmentV1>;
