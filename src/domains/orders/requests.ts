import { z } from 'zod';
import {
  AdvanceShipNoticeV1,
  Code,
  DocumentNumber,
  OrderAcknowledgementV1,
  ReturnAuthorizationV1,
  SalesOrderV1,
  Text,
} from '../../canonical/index.js';

/** What the hub sets itself on a document a partner submits. */
const serverFields = { id: true, createdAt: true, updatedAt: true } as const;

/** POST /v1/orders: a canonical SalesOrder without id and status (the hub assigns both). */
export const OrderCreateRequest = SalesOrderV1.omit({ ...serverFields, status: true }).meta({
  title: 'OrderCreateRequest',
  description: 'A sales order as a partner submits it; `channelOrderId` is your own order number (unique per partner).',
});
export type OrderCreateRequest = z.infer<typeof OrderCreateRequest>;

/** POST /v1/orders/{id}/cancel. */
export const OrderCancelRequest = z
  .strictObject({ reasonCode: Code.optional(), reason: Text.optional() })
  .meta({ title: 'OrderCancelRequest', description: 'Why the order is cancelled (optional).' });
export type OrderCancelRequest = z.infer<typeof OrderCancelRequest>;

/** POST /v1/returns: a return request; the RMA number is assigned when absent. */
export const ReturnCreateRequest = ReturnAuthorizationV1.omit({ ...serverFields, status: true, rmaNumber: true })
  .extend({ rmaNumber: DocumentNumber.optional().meta({ description: 'your return number; assigned when absent' }) })
  .meta({ title: 'ReturnCreateRequest', description: 'A request to return goods.' });
export type ReturnCreateRequest = z.infer<typeof ReturnCreateRequest>;

/** POST /v1/acknowledgements: a supplier's purchase order acknowledgement (855/ORDRSP as JSON). */
export const AcknowledgementCreateRequest = OrderAcknowledgementV1.omit(serverFields).meta({
  title: 'AcknowledgementCreateRequest',
  description: "A supplier's acknowledgement of a purchase order.",
});
export type AcknowledgementCreateRequest = z.infer<typeof AcknowledgementCreateRequest>;

/** POST /v1/asns: a supplier's advance ship notice (856/DESADV as JSON). */
export const AsnCreateRequest = AdvanceShipNoticeV1.omit(serverFields).meta({
  title: 'AsnCreateRequest',
  description: 'An advance ship notice for goods on their way to the distributor.',
});
export type AsnCreateRequest = z.infer<typeof AsnCreateRequest>;
