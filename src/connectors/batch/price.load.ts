import { z } from 'zod';
import { Amount, Code, CurrencyCode, IsoDate, NonNegativeDecimal, Percent, PriceEntry, Uom } from '../../canonical/index.js';
import { optionalCell, upperCell } from './columns.js';
import { defineLoadType, rowColumn, validate } from './load-type.js';

const PriceRow = z
  .object({
    price_list: Code,
    sku: Code,
    uom: upperCell(Uom),
    unit_price: Amount,
    currency: CurrencyCode,
    min_quantity: optionalCell(NonNegativeDecimal),
    discount_percent: optionalCell(Percent),
    valid_from: optionalCell(IsoDate),
    valid_to: optionalCell(IsoDate),
  })
  .refine((r) => r.valid_from === undefined || r.valid_to === undefined || r.valid_from <= r.valid_to, {
    message: 'valid_to is before valid_from',
    path: ['valid_to'],
  });

const canonicalColumns: Record<string, string> = { item: 'sku', uom: 'uom', unitPrice: 'unit_price', minQuantity: 'min_quantity' };

/** Price rows: one entry (item, unit, quantity break) of a price list per row. */
export const priceLoad = defineLoadType({
  name: 'price',
  required: ['price_list', 'sku', 'uom', 'unit_price', 'currency'],
  columns: ['price_list', 'sku', 'uom', 'unit_price', 'currency', 'min_quantity', 'discount_percent', 'valid_from', 'valid_to'],
  map(cells, extra, ctx) {
    const row = validate(PriceRow, cells, rowColumn);
    if (!row.ok) return row;
    const r = row.value;
    const entry = validate(
      PriceEntry,
      {
        item: { sku: r.sku },
        uom: r.uom,
        unitPrice: { amount: r.unit_price, currency: r.currency },
        minQuantity: r.min_quantity,
        discountPercent: r.discount_percent,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        ext: Object.keys(extra).length > 0 ? { [ctx.system]: extra } : undefined,
      },
      (path) => canonicalColumns[String(path[0])] ?? path.map(String).join('.'),
    );
    return entry.ok ? { ok: true, record: { kind: 'price', priceList: r.price_list, currency: r.currency, entry: entry.value } } : entry;
  },
});
