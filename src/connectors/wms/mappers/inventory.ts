import { type InventoryAdjusted, type InventoryPosition, InventoryPositionV1 } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';
import type { WmsInventory } from '../wire.js';
import { WMS } from './shipment.js';

const each = (n: number) => ({ value: String(n), uom: 'EA' });

/** A WMS inventory row as a canonical position: `damaged` is stock on quality hold; `available` is the 3PL's own figure. */
export function positionFromWms(row: WmsInventory, asOf: string, instance: string): InventoryPosition {
  const parsed = InventoryPositionV1.safeParse({
    id: `wms:${instance}:inventory:${row.location}:${row.sku}`,
    item: { sku: row.sku },
    location: { code: row.location },
    asOf,
    source: WMS,
    onHand: each(row.on_hand),
    allocated: each(row.allocated),
    qualityHold: each(row.damaged),
    reportedAvailable: each(row.available),
    lots: row.lots.map((l) => ({ lot: l.lot, quantity: each(l.quantity), ...(l.expires_on ? { expiryDate: l.expires_on } : {}) })),
    ext: { [WMS]: { updated_at: row.updated_at } },
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw ConnectorErrors.mapping(`WMS inventory ${row.sku}@${row.location} → InventoryPosition ${path}: ${issue?.message ?? 'invalid'}`, {
    path,
  });
}

type CanonicalReason = InventoryAdjusted['reasonCode'];
type WmsReason = 'cycle_count' | 'damaged' | 'found' | 'lost' | 'correction' | 'received' | 'returned';

/** Canonical adjustment reasons in the 3PL's vocabulary (docs/sim/wms-api.md "Inventory"). */
export const REASON_TO_WMS: Record<CanonicalReason, WmsReason> = {
  'cycle-count': 'cycle_count',
  damage: 'damaged',
  shrinkage: 'lost',
  found: 'found',
  expiry: 'damaged',
  quality: 'damaged',
  correction: 'correction',
  other: 'correction',
};

export const REASON_FROM_WMS: Record<string, CanonicalReason> = {
  cycle_count: 'cycle-count',
  damaged: 'damage',
  lost: 'shrinkage',
  found: 'found',
  correction: 'correction',
  received: 'other',
  returned: 'other',
};
