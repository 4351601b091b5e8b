import { z } from 'zod';
import {
  Code,
  DocumentRef,
  defineEventType,
  ItemRef,
  LocationRef,
  LotDetail,
  SignedQuantity,
  SystemKey,
  Timestamp,
} from '../../canonical/index.js';

/**
 * A stock movement reported by a WMS, 3PL or ERP, one item at one location. The canonical catalog has
 * adjustments, snapshots, ASNs and receipts; warehouse movements, holds and externally made
 * allocations come here. `quantity` is positive except for `adjustment` (signed) and `cycle-count`
 * (the counted figure, which replaces on hand).
 */
export const InventoryMovementData = z.strictObject({
  kind: z.enum(['receipt', 'pick', 'adjustment', 'cycle-count', 'hold', 'release-hold', 'allocate', 'deallocate', 'reserve', 'unreserve']),
  source: SystemKey,
  item: ItemRef,
  location: LocationRef,
  quantity: SignedQuantity,
  lot: LotDetail.optional(),
  order: DocumentRef.optional(),
  reason: Code.optional(),
  occurredAt: Timestamp,
});
export type InventoryMovement = z.infer<typeof InventoryMovementData>;

export const InventoryMovementEvent = defineEventType({
  type: 'crossdock.inventory.movement.v1',
  schema: InventoryMovementData,
  description: 'A warehouse movement, hold or allocation for one item at one location.',
});

/** Event types this domain defines, for the hub's catalog (`createCanonicalEventCatalog(availabilityEventTypes)`). */
export const availabilityEventTypes = [InventoryMovementEvent];
