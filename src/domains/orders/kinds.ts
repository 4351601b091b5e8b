import { z } from 'zod';
import {
  AdvanceShipNoticeV1,
  CustomerV1,
  Id,
  InventoryAdjustedData,
  InventorySnapshotData,
  InvoiceV1,
  ItemV1,
  OrderAcknowledgementV1,
  PurchaseOrderV1,
  ReturnAuthorizationV1,
  SalesOrderV1,
  ShipmentV1,
  Timestamp,
} from '../../canonical/index.js';

/** A 3PL's stock report: a snapshot of positions, or adjustments (counts, damage, found stock). */
export const InventoryUpdateRequest = z
  .discriminatedUnion('type', [
    InventorySnapshotData.extend({ type: z.literal('snapshot') }),
    z.strictObject({ type: z.literal('adjustments'), adjustments: z.array(InventoryAdjustedData).min(1).max(1000) }),
  ])
  .meta({ title: 'InventoryUpdateRequest', description: 'A stock snapshot or a list of adjustments from a warehouse or 3PL.' });
export type InventoryUpdateRequest = z.infer<typeof InventoryUpdateRequest>;

/** What the hub keeps of an inventory update: the report as received, with its id and time. */
export const InventoryUpdateV1 = z
  .strictObject({
    id: Id,
    receivedAt: Timestamp,
    status: z.enum(['accepted']),
    update: InventoryUpdateRequest,
  })
  .meta({ title: 'InventoryUpdate', description: 'An inventory update as the hub received and published it.' });
export type InventoryUpdate = z.infer<typeof InventoryUpdateV1>;

/**
 * The partner-facing document kinds: the schema each stored document satisfies, and the field that
 * holds the partner's own number for it (unique per partner and kind).
 */
export const documentKinds = {
  order: { schema: SalesOrderV1, numberField: 'channelOrderId' },
  shipment: { schema: ShipmentV1, numberField: undefined },
  invoice: { schema: InvoiceV1, numberField: undefined },
  return: { schema: ReturnAuthorizationV1, numberField: 'rmaNumber' },
  item: { schema: ItemV1, numberField: undefined },
  customer: { schema: CustomerV1, numberField: undefined },
  purchaseorder: { schema: PurchaseOrderV1, numberField: undefined },
  acknowledgement: { schema: OrderAcknowledgementV1, numberField: 'ackNumber' },
  asn: { schema: AdvanceShipNoticeV1, numberField: 'asnNumber' },
  inventoryupdate: { schema: InventoryUpdateV1, numberField: undefined },
} as const;

export type DocumentKind = keyof typeof documentKinds;
export const DOCUMENT_KINDS = Object.keys(documentKinds).filter(isDocumentKind);

export function isDocumentKind(value: string): value is DocumentKind {
  return Object.hasOwn(documentKinds, value);
}

/** The document types by kind, as the API returns them. */
export interface DocumentTypes {
  order: z.output<typeof SalesOrderV1>;
  shipment: z.output<typeof ShipmentV1>;
  invoice: z.output<typeof InvoiceV1>;
  return: z.output<typeof ReturnAuthorizationV1>;
  item: z.output<typeof ItemV1>;
  customer: z.output<typeof CustomerV1>;
  purchaseorder: z.output<typeof PurchaseOrderV1>;
  acknowledgement: z.output<typeof OrderAcknowledgementV1>;
  asn: z.output<typeof AdvanceShipNoticeV1>;
  inventoryupdate: InventoryUpdate;
}

/** The event log topics partner submissions are published on. */
export const DOCUMENT_TOPICS = {
  orders: 'orders',
  returns: 'returns',
  purchasing: 'purchasing',
  inventory: 'inventory',
} as const;
