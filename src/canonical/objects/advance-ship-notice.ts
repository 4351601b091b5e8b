import { z } from 'zod';
import { Address } from '../address.js';
import { lineFields, objectFields } from '../base.js';
import { Sscc } from '../gs1.js';
import { LotQuantityDetail } from '../lot.js';
import { Code, DocumentNumber, IsoDate, LineNumber, Timestamp } from '../primitives.js';
import { Dimensions, Quantity, Weight } from '../quantity.js';
import { DocumentRef, ItemRef, LocationRef, PartyRef } from '../refs.js';
import { Carrier } from '../terms.js';

/** Goods of one item in a pack (X12 856 HL item level: LIN, SN1, and lot/expiry). */
export const AsnItem = z.strictObject({
  lineNumber: LineNumber.optional().meta({ description: 'the order line this shipped against' }),
  ...lineFields,
  item: ItemRef,
  quantity: Quantity,
  orderedQuantity: Quantity.optional(),
  lots: z.array(LotQuantityDetail).default([]),
});
export type AsnItem = z.infer<typeof AsnItem>;

/** A carton or pallet (HL tare/pack level), labelled with an SSCC. A carton on a pallet names the pallet's SSCC. */
export const AsnPack = z.strictObject({
  sscc: Sscc.optional(),
  parentSscc: Sscc.optional(),
  packageType: z.enum(['carton', 'pallet', 'tote', 'bag', 'crate', 'drum', 'other']).default('carton'),
  trackingNumber: Code.optional(),
  weight: Weight.optional(),
  dimensions: Dimensions.optional(),
  items: z.array(AsnItem).default([]),
});
export type AsnPack = z.infer<typeof AsnPack>;

/** One order's part of the shipment (HL order level): its packs, or loose items when not packed. */
export const AsnOrder = z.strictObject({
  order: DocumentRef,
  customerPoNumber: DocumentNumber.optional(),
  packs: z.array(AsnPack).default([]),
  items: z.array(AsnItem).default([]).meta({ description: 'items not in an identified pack' }),
});
export type AsnOrder = z.infer<typeof AsnOrder>;

/**
 * An advance ship notice (X12 856 / EDIFACT DESADV) in the standard hierarchy:
 * shipment → orders → packs (SSCC) → items.
 */
export const AdvanceShipNoticeV1 = z
  .strictObject({
    ...objectFields,
    asnNumber: DocumentNumber,
    purpose: z.enum(['original', 'replace', 'cancel']).default('original'),
    status: z.enum(['open', 'in-transit', 'received', 'cancelled']).default('open'),
    shipper: PartyRef.optional(),
    receiver: PartyRef.optional(),
    shipFrom: Address.optional(),
    shipTo: LocationRef.optional(),
    shipToAddress: Address.optional(),
    shippedAt: Timestamp,
    eta: Timestamp.optional(),
    deliveryDate: IsoDate.optional(),
    carrier: Carrier.optional(),
    trackingNumbers: z.array(Code).default([]),
    billOfLading: Code.optional(),
    proNumber: Code.optional(),
    trailerNumber: Code.optional(),
    sealNumber: Code.optional(),
    packageCount: z.number().int().nonnegative().optional(),
    grossWeight: Weight.optional(),
    orders: z.array(AsnOrder).min(1),
  })
  .meta({ title: 'AdvanceShipNotice', description: 'A notice that goods are on their way: shipment, orders, packs, items.' });
export type AdvanceShipNotice = z.infer<typeof AdvanceShipNoticeV1>;
export type AdvanceShipNoticeInput = z.input<typeof AdvanceShipNoticeV1>;
