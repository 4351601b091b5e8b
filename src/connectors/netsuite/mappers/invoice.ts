import type { Invoice } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';
import type { NsBody } from '../records.js';
import { recordExt } from './customer.js';
import { itemRef, num, recordRef } from './refs.js';

function lines(invoice: Invoice): NsBody {
  return {
    item: {
      items: invoice.lines.map((l, i) => {
        if (!l.item)
          throw ConnectorErrors.mapping(`invoice.lines.${i}.item: NetSuite invoice lines need an item`, {
            path: `invoice.lines.${i}.item`,
          });
        return { item: itemRef(l.item, `invoice.lines.${i}.item`), quantity: num(l.quantity.value), rate: num(l.unitPrice.amount) };
      }),
    },
  };
}

/** The invoice (AR) for a sales Invoice (NetSuite REST API Browser: invoice). */
export function invoiceRecord(invoice: Invoice): NsBody {
  return {
    entity: recordRef(invoice.buyer, 'invoice.buyer'),
    ...(invoice.orders[0] ? { createdFrom: recordRef(invoice.orders[0], 'invoice.orders.0') } : {}),
    tranDate: invoice.invoiceDate,
    ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
    ...(invoice.customerPoNumber ? { otherRefNum: invoice.customerPoNumber } : {}),
    memo: `crossdock invoice ${invoice.invoiceNumber}`,
    ...lines(invoice),
    ...recordExt(invoice.ext),
  };
}

/** The vendorBill (AP) for a purchase Invoice; the supplier's invoice number is the bill's reference number (tranId). */
export function vendorBillRecord(invoice: Invoice): NsBody {
  return {
    entity: recordRef(invoice.seller, 'invoice.seller'),
    ...(invoice.orders[0] ? { createdFrom: recordRef(invoice.orders[0], 'invoice.orders.0') } : {}),
    tranId: invoice.invoiceNumber,
    tranDate: invoice.invoiceDate,
    ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
    ...lines(invoice),
    ...recordExt(invoice.ext),
  };
}
