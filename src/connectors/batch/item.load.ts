import { z } from 'zod';
import { Amount, Code, CurrencyCode, Gtin, ItemV1, Name, Text, Uom } from '../../canonical/index.js';
import { optionalCell, upperCell } from './columns.js';
import { defineLoadType, rowColumn, stableId, validate } from './load-type.js';

const ItemRow = z
  .object({
    sku: Code,
    name: Name,
    base_uom: upperCell(Uom),
    description: optionalCell(Text),
    gtin: optionalCell(Gtin),
    status: optionalCell(z.enum(['active', 'inactive', 'discontinued', 'blocked'])),
    brand: optionalCell(Name),
    category: optionalCell(Code),
    list_price: optionalCell(Amount),
    currency: optionalCell(CurrencyCode),
  })
  .refine((r) => r.list_price === undefined || r.currency !== undefined, { message: 'a list price needs a currency', path: ['currency'] });

const canonicalColumns: Record<string, string> = { sku: 'sku', name: 'name', baseUom: 'base_uom', gtin: 'gtin', listPrice: 'list_price' };

/** Item master rows: one item per row, keyed by SKU. */
export const itemLoad = defineLoadType({
  name: 'item',
  required: ['sku', 'name', 'base_uom'],
  columns: ['sku', 'name', 'base_uom', 'description', 'gtin', 'status', 'brand', 'category', 'list_price', 'currency'],
  map(cells, extra, ctx) {
    const row = validate(ItemRow, cells, rowColumn);
    if (!row.ok) return row;
    const r = row.value;
    const item = validate(
      ItemV1,
      {
        id: stableId('item', r.sku),
        refs: { [ctx.system]: r.sku },
        ext: Object.keys(extra).length > 0 ? { [ctx.system]: extra } : {},
        sku: r.sku,
        name: r.name,
        baseUom: r.base_uom,
        description: r.description,
        gtin: r.gtin,
        status: r.status,
        brand: r.brand,
        category: r.category,
        listPrice: r.list_price !== undefined && r.currency !== undefined ? { amount: r.list_price, currency: r.currency } : undefined,
      },
      (path) => canonicalColumns[String(path[0])] ?? path.map(String).join('.'),
    );
    return item.ok ? { ok: true, record: { kind: 'item', item: item.value } } : item;
  },
});
