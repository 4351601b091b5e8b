import { type InventoryPosition, InventoryPositionV1 } from '../../../canonical/index.js';
import { decimal, ODOO } from './values.js';

export interface OdooQuant {
  id: number;
  product_id: [number, string] | false;
  location_id: [number, string] | false;
  quantity: number;
  reserved_quantity: number;
  lot_id?: string | undefined;
}

/** A stock.quant as an InventoryPosition: on hand = quantity, reserved = reserved_quantity, in the product's unit. */
export function positionFromQuant(quant: OdooQuant, asOf: string, uom: string): InventoryPosition {
  const [productId, productName] = quant.product_id === false ? [0, undefined] : quant.product_id;
  const [locationId, locationName] = quant.location_id === false ? [0, undefined] : quant.location_id;
  const onHand = decimal(quant.quantity);
  return InventoryPositionV1.parse({
    id: `odoo-quant-${quant.id}`,
    refs: { [ODOO]: String(quant.id) },
    item: { refs: { [ODOO]: String(productId) }, ...(productName ? { description: productName } : {}) },
    location: { refs: { [ODOO]: String(locationId) }, ...(locationName ? { name: locationName } : {}) },
    asOf,
    source: ODOO,
    onHand: { value: onHand, uom },
    reserved: { value: decimal(Math.max(0, quant.reserved_quantity)), uom },
    reportedAvailable: { value: decimal(quant.quantity - quant.reserved_quantity), uom },
    lots: quant.lot_id && quant.quantity >= 0 ? [{ lot: quant.lot_id, quantity: { value: onHand, uom } }] : [],
  });
}
