import { z } from 'zod';
import { objectFields } from '../base.js';
import { LotNumber, SerialNumber } from '../lot.js';
import { IsoDate, SystemKey, Timestamp } from '../primitives.js';
import { Quantity, SignedQuantity } from '../quantity.js';
import { DocumentRef, ItemRef, LocationRef, PartyRef } from '../refs.js';

export const InTransitQuantity = z.strictObject({
  quantity: Quantity,
  eta: Timestamp.optional(),
  asn: DocumentRef.optional(),
  purchaseOrder: DocumentRef.optional(),
  from: PartyRef.optional(),
});
export type InTransitQuantity = z.infer<typeof InTransitQuantity>;

export const InventoryLot = z.strictObject({
  lot: LotNumber,
  serial: SerialNumber.optional(),
  expiryDate: IsoDate.optional(),
  quantity: Quantity,
  status: z.enum(['available', 'quality-hold', 'expired', 'allocated']).optional(),
});
export type InventoryLot = z.infer<typeof InventoryLot>;

/**
 * Stock of one item at one location at `asOf`. Quantities are in the item's base unit by convention;
 * `onHand` may be negative where an ERP allows negative stock. Availability (ATP) is not stored here:
 * the availability domain derives it (ARCHITECTURE §7); `reportedAvailable` keeps what a source computed.
 */
export const InventoryPositionV1 = z
  .strictObject({
    ...objectFields,
    item: ItemRef,
    location: LocationRef,
    asOf: Timestamp,
    source: SystemKey.optional().meta({ description: 'the system that reported the position' }),
    onHand: SignedQuantity,
    allocated: Quantity.optional(),
    reserved: Quantity.optional(),
    inTransit: z.array(InTransitQuantity).default([]),
    qualityHold: Quantity.optional(),
    safetyBuffer: Quantity.optional(),
    reportedAvailable: SignedQuantity.optional(),
    lots: z.array(InventoryLot).default([]),
  })
  .meta({ title: 'InventoryPosition', description: 'Stock of one item at one location at one instant.' });
export type InventoryPosition = z.infer<typeof InventoryPositionV1>;
export type InventoryPositionInput = z.input<typeof InventoryPositionV1>;
