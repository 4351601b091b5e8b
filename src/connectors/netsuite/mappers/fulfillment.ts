import type { Shipment } from '../../../canonical/index.js';
import type { NsBody } from '../records.js';
import { recordExt } from './customer.js';
import { dateOf, itemRef, num, recordRef } from './refs.js';

/** The itemFulfillment for a Shipment of one sales order (NetSuite REST API Browser: itemFulfillment; shipStatus C = shipped). */
export function itemFulfillmentRecord(shipment: Shipment): NsBody {
  const memo = [shipment.carrier?.name ?? shipment.carrier?.scac, ...shipment.trackingNumbers].filter(Boolean).join(' ');
  return {
    createdFrom: recordRef(shipment.orders[0], 'shipment.orders.0'),
    shipStatus: 'C',
    ...(shipment.shippedAt ? { tranDate: dateOf(shipment.shippedAt) } : {}),
    ...(memo ? { memo } : {}),
    ...(shipment.lines.length > 0
      ? {
          item: {
            items: shipment.lines.map((l, i) => ({ item: itemRef(l.item, `shipment.lines.${i}.item`), quantity: num(l.quantity.value) })),
          },
        }
      : {}),
    ...recordExt(shipment.ext),
  };
}
