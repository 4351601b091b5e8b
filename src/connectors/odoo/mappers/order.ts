import type { PurchaseOrder, SalesOrder } from '../../../canonical/index.js';
import type { OdooVals } from './partner.js';
import { odooFromIso } from './values.js';

/**
 * sale.order values: lines as one2many create commands `[0, 0, {…}]` (Odoo ORM `Command.create`); a line
 * without a price takes the product's.
 */
export function saleOrderVals(order: SalesOrder, partnerId: number, productIds: readonly number[], keyField: string): OdooVals {
  const notes = order.notes.map((n) => n.text);
  const clientRef = keyField === 'client_order_ref' ? undefined : order.customerPoNumber;
  if (keyField === 'client_order_ref' && order.customerPoNumber) notes.unshift(`Customer PO ${order.customerPoNumber}`);
  return {
    partner_id: partnerId,
    [keyField]: order.id,
    date_order: odooFromIso(order.orderDate),
    ...(clientRef ? { client_order_ref: clientRef } : {}),
    ...(order.requestedDeliveryDate ? { commitment_date: `${order.requestedDeliveryDate} 00:00:00` } : {}),
    ...(notes.length > 0 ? { note: notes.join('\n') } : {}),
    order_line: order.lines.map((line, i) => [
      0,
      0,
      {
        product_id: productIds[i],
        product_uom_qty: Number(line.quantity.value),
        ...(line.unitPrice ? { price_unit: Number(line.unitPrice.amount) } : {}),
        ...(line.description ? { name: line.description } : {}),
      },
    ]),
  };
}

/** purchase.order values, lines as `[0, 0, {product_id, product_qty, price_unit}]`. */
export function purchaseOrderVals(po: PurchaseOrder, partnerId: number, productIds: readonly number[], keyField: string): OdooVals {
  return {
    partner_id: partnerId,
    [keyField]: po.id,
    ...(keyField === 'partner_ref' ? {} : { partner_ref: po.poNumber }),
    date_order: odooFromIso(po.orderDate),
    ...(po.requestedDeliveryDate ? { date_planned: `${po.requestedDeliveryDate} 00:00:00` } : {}),
    order_line: po.lines.map((line, i) => [
      0,
      0,
      {
        product_id: productIds[i],
        product_qty: Number(line.quantity.value),
        ...(line.unitPrice ? { price_unit: Number(line.unitPrice.amount) } : {}),
        ...(line.description ? { name: line.description } : {}),
      },
    ]),
  };
}
