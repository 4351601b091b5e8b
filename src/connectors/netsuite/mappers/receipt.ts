import type { Receipt } from '../../../canonical/index.js';
import type { NsBody } from '../records.js';
import { recordExt } from './customer.js';
import { dateOf, itemRef, num, recordRef } from './refs.js';

/** The itemReceipt for a Receipt against one purchase order (NetSuite REST API Browser: itemReceipt). */
export function itemReceiptRecord(receipt: Receipt): NsBody {
  return {
    createdFrom: recordRef(receipt.orders[0], 'receipt.orders.0'),
    tranDate: dateOf(receipt.receivedAt),
    memo: `crossdock receipt ${receipt.receiptNumber}`,
    item: {
      items: receipt.lines.map((l, i) => ({ item: itemRef(l.item, `receipt.lines.${i}.item`), quantity: num(l.receivedQuantity.value) })),
    },
    ...recordExt(receipt.ext),
  };
}
