import { z } from 'zod';
import type { Item } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { OdooCredentials } from '../credentials.js';
import { itemFromProduct } from '../mappers/product.js';
import { searchReadAll } from '../search-read.js';
import type { OdooSettings } from '../settings.js';
import { text } from '../transport.js';

export const productsListInput = z.object({
  /** Only products whose Internal Reference starts with this. */
  skuPrefix: z.string().min(1).max(100).optional(),
  /** The unit every quantity is in; the simulator and a default database use Units. */
  uom: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9_-]{0,15}$/)
    .default('EA'),
  maxPages: z.number().int().positive().optional(),
});

const productSchema = z.object({
  id: z.number(),
  name: z.string(),
  default_code: text,
  barcode: text,
  list_price: z.number(),
  standard_price: z.number(),
  type: z.string(),
  active: z.boolean(),
});

export const productsList = defineOperation<OdooSettings, OdooCredentials, z.infer<typeof productsListInput>, Item[]>({
  name: 'products.list',
  description: 'Lists product variants (product.product) as canonical Items, every page.',
  input: productsListInput,
  async run(ctx, input) {
    const rows = await searchReadAll(
      ctx,
      {
        model: 'product.product',
        domain: input.skuPrefix ? [['default_code', '=like', `${input.skuPrefix}%`]] : [],
        fields: ['name', 'default_code', 'barcode', 'list_price', 'standard_price', 'type', 'active'],
        operation: 'products.list',
        maxPages: input.maxPages,
      },
      productSchema,
    );
    return rows.map((p) => itemFromProduct(p, ctx.settings.currency, input.uom));
  },
});
