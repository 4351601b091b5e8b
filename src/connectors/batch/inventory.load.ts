import { z } from 'zod';
import { Code, Decimal, InventoryPositionV1, NonNegativeDecimal, Timestamp, Uom } from '../../canonical/index.js';
import { optionalCell, upperCell } from './columns.js';
import { defineLoadType, rowColumn, stableId, validate } from './load-type.js';

const InventoryRow = z.object({
  sku: Code,
  location: Code,
  on_hand: Decimal,
  uom: upperCell(Uom),
  allocated: optionalCell(NonNegativeDecimal),
  reserved: optionalCell(NonNegativeDecimal),
  quality_hold: optionalCell(NonNegativeDecimal),
  as_of: optionalCell(Timestamp),
});

const canonicalColumns: Record<string, string> = {
  item: 'sku',
  location: 'location',
  onHand: 'on_hand',
  asOf: 'as_of',
  qualityHold: 'quality_hold',
};

/** Stock rows: one position (item x location) per row; `as_of` defaults to the load's start. */
export const inventoryLoad = defineLoadType({
  name: 'inventory',
  required: ['sku', 'location', 'on_hand', 'uom'],
  columns: ['sku', 'location', 'on_hand', 'uom', 'allocated', 'reserved', 'quality_hold', 'as_of'],
  map(cells, extra, ctx) {
    const row = validate(InventoryRow, cells, rowColumn);
    if (!row.ok) return row;
    const r = row.value;
    const qty = (value: string | undefined) => (value === undefined ? undefined : { value, uom: r.uom });
    const position = validate(
      InventoryPositionV1,
      {
        id: stableId('inventoryposition', r.sku, r.location),
        refs: {},
        ext: Object.keys(extra).length > 0 ? { [ctx.system]: extra } : {},
        item: { sku: r.sku },
        location: { code: r.location },
        asOf: r.as_of ?? ctx.loadTime,
        source: ctx.system,
        onHand: { value: r.on_hand, uom: r.uom },
        allocated: qty(r.allocated),
        reserved: qty(r.reserved),
        qualityHold: qty(r.quality_hold),
      },
      (path) => canonicalColumns[String(path[0])] ?? path.map(String).join('.'),
    );
    return position.ok ? { ok: true, record: { kind: 'inventory', position: position.value } } : position;
  },
});
