import type { CanonicalInput } from '../registry.js';

export const advanceShipNoticeExample = {
  id: 'asn-7781',
  refs: { edi: '000005512' },
  asnNumber: 'ASN-7781',
  shipper: { id: 'sup-stabilo' },
  shipTo: { id: 'loc-col' },
  shippedAt: '2024-05-03T16:00:00+02:00',
  eta: '2024-05-09T12:00:00Z',
  carrier: { scac: 'DHLF', mode: 'ltl' },
  billOfLading: 'BOL-99812',
  trackingNumbers: ['JD014600006281234567'],
  packageCount: 2,
  grossWeight: { value: '310', unit: 'kg' },
  orders: [
    {
      order: { type: 'purchaseorder', number: 'PO-5521' },
      packs: [
        { sscc: '000614141000000014', packageType: 'pallet' },
        {
          sscc: '000614141000000021',
          parentSscc: '000614141000000014',
          items: [
            {
              lineNumber: '1',
              item: { supplierItemNumber: 'S-808/41', gtin: '14006381333938' },
              quantity: { value: '8', uom: 'CS' },
              lots: [{ lot: 'L2405C', expiryDate: '2027-05-31', quantity: { value: '8', uom: 'CS' } }],
            },
          ],
        },
      ],
    },
  ],
} satisfies CanonicalInput<'advanceshipnotice.v1'>;

export const shipmentExample = {
  id: 'shp-1001-1',
  refs: { shopify: '255858046', wms: 'SHP-55120' },
  shipmentNumber: 'SHP-55120',
  status: 'exception',
  orders: [{ type: 'salesorder', number: 'SO-1001' }],
  shipFrom: { id: 'loc-col' },
  shipTo: { company: 'ACME DC East', city: 'Columbus', region: 'OH', country: 'US' },
  carrier: { scac: 'UPSN', name: 'UPS', service: 'GROUND' },
  trackingNumbers: ['1Z2345'],
  trackingUrls: ['https://www.ups.com/track?tracknum=1Z2345'],
  lines: [
    {
      order: { number: 'SO-1001' },
      orderLineNumber: '1',
      item: { sku: 'PEN-BLUE-10' },
      quantity: { value: '24', uom: 'BX' },
      lots: [{ lot: 'L2403A' }],
    },
  ],
  shippedAt: '2024-05-03T17:45:00-04:00',
  estimatedDeliveryAt: '2024-05-06T18:00:00-04:00',
  exception: { code: 'ADDRESS', description: 'address correction needed', occurredAt: '2024-05-05T09:12:00-04:00' },
  events: [
    { status: 'dispatched', at: '2024-05-03T17:45:00-04:00' },
    { status: 'exception', at: '2024-05-05T09:12:00-04:00', code: 'ADDRESS' },
  ],
} satisfies CanonicalInput<'shipment.v1'>;

export const receiptExample = {
  id: 'rcpt-3301',
  receiptNumber: 'RC-3301',
  location: { id: 'loc-col' },
  supplier: { id: 'sup-stabilo' },
  asn: { type: 'advanceshipnotice', number: 'ASN-7781' },
  orders: [{ type: 'purchaseorder', number: 'PO-5521' }],
  receivedAt: '2024-05-09T13:20:00-04:00',
  lines: [
    {
      lineNumber: '1',
      order: { number: 'PO-5521' },
      orderLineNumber: '1',
      item: { sku: 'PEN-BLUE-10' },
      expectedQuantity: { value: '8', uom: 'CS' },
      receivedQuantity: { value: '7', uom: 'CS' },
      acceptedQuantity: { value: '6', uom: 'CS' },
      rejectedQuantity: { value: '1', uom: 'CS' },
      sscc: '000614141000000021',
      lots: [{ lot: 'L2405C', expiryDate: '2027-05-31' }],
      discrepancies: [
        { type: 'short', quantity: { value: '1', uom: 'CS' } },
        { type: 'damaged', quantity: { value: '1', uom: 'CS' }, note: 'crushed carton' },
      ],
    },
  ],
} satisfies CanonicalInput<'receipt.v1'>;
