import { z } from 'zod';
import type { InventoryPosition } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { OdooCredentials } from '../credentials.js';
import { positionFromQuant } from '../mappers/inventory.js';
import { searchReadAll } from '../search-read.js';
import type { OdooSettings } from '../settings.js';
import { many2one, text } from '../transport.js';

export const stockQuantsListInput = z.object({
  /** stock.location ids to read; all locations when absent. */
  locationIds: z.array(z.number().int().positive()).optional(),
  uom: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/)
    .default('EA'),
  maxPages: z.number().int().positive().optional(),
});

const quantSchema = z.object({
  id: z.number(),
  product_id: many2one,
  location_id: many2one,
  quantity: z.number(),
  reserved_quantity: z.number(),
  lot_id: text.optional(),
});

export const stockQuantsList = defineOperation<OdooSettings, OdooCredentials, z.infer<typeof stockQuantsListInput>, InventoryPosition[]>({
  name: 'stockQuants.list',
  description: 'Reads stock.quant (on hand and reserved per product, location and lot) as canonical InventoryPositions.',
  input: stockQuantsListInput,
  async run(ctx, input) {
    const asOf = new Date(ctx.clock.now()).toISOString();
    const rows = await searchReadAll(
      ctx,
      {
        model: 'stock.quant',
        domain: input.locationIds ? [['location_id', 'in', input.locationIds]] : [],
        fields: ['product_id', 'location_id', 'quantity', 'reserved_quantity', 'lot_id'],
        operation: 'stockQuants.list',
        maxPages: input.maxPages,
      },
      quantSchema,
    );
    return rows.map((q) => positionFromQuant(q, asOf, input.uom));
  },
});
