import type { PurchaseOrder } from '../../../canonical/index.js';
import type { NsBody } from '../records.js';
import { recordExt } from './customer.js';
import { dateOf, itemRef, num, recordRef } from './refs.js';

/** The purchaseOrder for a PurchaseOrder (NetSuite REST API Browser: purchaseOrder); the PO number goes in memo and otherRefNum. */
export function purchaseOrderRecord(po: PurchaseOrder): NsBody {
  return {
    entity: recordRef(po.supplier, 'po.supplier'),
    tranDate: dateOf(po.orderDate),
    otherRefNum: po.poNumber,
    ...(po.requestedDeliveryDate ? { dueDate: po.requestedDeliveryDate } : {}),
    currencyCode: po.currency,
    item: {
      items: po.lines.map((l, i) => ({
        item: itemRef(l.item, `po.lines.${i}.item`),
        quantity: num(l.quantity.value),
        ...(l.unitPrice ? { rate: num(l.unitPrice.amount) } : {}),
      })),
    },
    ...recordExt(po.ext),
  };
}
