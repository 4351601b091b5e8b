import { z } from 'zod';
import { defineEventType } from '../../canonical/index.js';

/** A NetSuite transaction changed: consumers re-read what they need (order status, invoice, fulfillment). */
export const NetSuiteRecordChangedData = z.strictObject({
  /** SuiteQL `transaction.type`: SalesOrd, ItemShip, CustInvc, PurchOrd, ItemRcpt, VendBill, … */
  type: z.string().min(1),
  id: z.string().min(1),
  externalId: z.string().min(1).optional(),
  tranId: z.string().min(1).optional(),
  lastModified: z.string().min(1),
});
export type NetSuiteRecordChanged = z.infer<typeof NetSuiteRecordChangedData>;

export const netsuiteRecordChangedEvent = defineEventType({
  type: 'crossdock.netsuite.transaction.changed.v1',
  schema: NetSuiteRecordChangedData,
  description: 'A NetSuite transaction was created or changed (SuiteQL lastmodifieddate polling).',
});
