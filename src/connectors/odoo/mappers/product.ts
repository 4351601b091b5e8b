import { type Item, ItemV1 } from '../../../canonical/index.js';
import { decimal, ODOO } from './values.js';

export interface OdooProduct {
  id: number;
  name: string;
  default_code?: string | undefined;
  barcode?: string | undefined;
  list_price: number;
  standard_price: number;
  type: string;
  active: boolean;
}

const TYPE: Record<string, Item['type']> = { product: 'stock', consu: 'non-stock', service: 'service' };

/** A product.product as an Item; the SKU is the Internal Reference (`default_code`). */
export function itemFromProduct(product: OdooProduct, currency: string, uom: string): Item {
  return ItemV1.parse({
    id: `odoo-product-${product.id}`,
    refs: { [ODOO]: String(product.id) },
    // A barcode is not always a valid GTIN (internal EAN-13s, vendor codes): it is kept as Odoo has it.
    ext: product.barcode ? { [ODOO]: { barcode: product.barcode } } : {},
    sku: product.default_code ?? `odoo-${product.id}`,
    name: product.name,
    status: product.active ? 'active' : 'inactive',
    type: TYPE[product.type] ?? 'stock',
    baseUom: uom,
    listPrice: { amount: decimal(product.list_price), currency },
    standardCost: { amount: decimal(product.standard_price), currency },
  });
}
