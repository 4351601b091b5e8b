import type { CanonicalInput } from '../registry.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });

export const salesOrderExample = {
  id: 'so-01J0SO00000000000000000001',
  refs: { netsuite: 'SO-1001', edi: '000000912' },
  ext: { x12: { BEG: { '01': '00', '02': 'SA' } } },
  orderNumber: 'SO-1001',
  customerPoNumber: 'ACME-PO-4471',
  channel: 'edi',
  status: 'accepted',
  orderDate: '2024-05-02T08:15:00-04:00',
  requestedDeliveryDate: '2024-05-08',
  cancelAfterDate: '2024-05-15',
  currency: 'USD',
  customer: { id: 'cust-acme', number: 'C10045' },
  billTo: { company: 'ACME Office Supply', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
  shipTo: {
    company: 'ACME DC East',
    line1: '200 Logistics Way',
    city: 'Columbus',
    region: 'OH',
    postalCode: '43004',
    country: 'US',
    locationCode: 'DC-01',
  },
  shipping: { method: 'GROUND', carrier: { scac: 'UPSN', service: 'GROUND', mode: 'parcel' }, freightTerms: 'prepaid' },
  paymentTerms: { code: '2/10N30', netDays: 30, discountPercent: '2', discountDays: 10 },
  fulfilmentPolicy: 'ship-complete',
  lines: [
    {
      lineNumber: '1',
      item: { sku: 'PEN-BLUE-10', gtin: '4006381333931', customerItemNumber: 'ACME-778812' },
      quantity: { value: '24', uom: 'BX' },
      unitPrice: usd('4.20'),
      discounts: [{ description: 'contract', percent: '5', amount: usd('5.04') }],
      taxes: [{ type: 'sales', ratePercent: '6', amount: usd('5.75') }],
      lineTotal: usd('95.76'),
      status: 'allocated',
      refs: { edi: 'PO1-1' },
    },
    { lineNumber: '2', item: { customerItemNumber: 'ACME-990001' }, quantity: { value: '2.5', uom: 'KGM' }, status: 'backordered' },
  ],
  charges: [{ kind: 'charge', type: 'freight', amount: usd('12.50') }],
  totals: { subtotal: usd('95.76'), chargeTotal: usd('12.50'), taxTotal: usd('5.75'), total: usd('114.01') },
  notes: [{ kind: 'delivery', text: 'Dock 4, call ahead' }],
} satisfies CanonicalInput<'salesorder.v1'>;

export const purchaseOrderExample = {
  id: 'po-5521',
  refs: { netsuite: 'PO-5521' },
  poNumber: 'PO-5521',
  status: 'sent',
  orderDate: '2024-04-20T10:00:00Z',
  requestedDeliveryDate: '2024-05-09',
  currency: 'EUR',
  supplier: { id: 'sup-stabilo', gln: '0614141000012' },
  shipTo: { id: 'loc-col', code: 'COL' },
  paymentTerms: { code: 'NET60', netDays: 60 },
  lines: [
    {
      lineNumber: '1',
      item: { sku: 'PEN-BLUE-10', supplierItemNumber: 'S-808/41' },
      quantity: { value: '10', uom: 'CS' },
      unitPrice: { amount: '38.4000', currency: 'EUR' },
      salesOrder: { type: 'salesorder', number: 'SO-1001' },
      salesOrderLineNumber: '2',
    },
  ],
  totals: { total: { amount: '384.00', currency: 'EUR' } },
} satisfies CanonicalInput<'purchaseorder.v1'>;

export const orderAcknowledgementExample = {
  id: 'ack-po-5521',
  refs: { edi: '000004410' },
  orderKind: 'purchase',
  order: { type: 'purchaseorder', number: 'PO-5521' },
  ackDate: '2024-04-21T07:02:00Z',
  status: 'accepted-with-changes',
  from: { id: 'sup-stabilo' },
  lines: [
    {
      lineNumber: '1',
      item: { supplierItemNumber: 'S-808/41' },
      status: 'changed',
      orderedQuantity: { value: '10', uom: 'CS' },
      quantity: { value: '8', uom: 'CS' },
      unitPrice: { amount: '39.1000', currency: 'EUR' },
      scheduledShipDate: '2024-05-03',
      reasonCode: 'IQ',
    },
  ],
} satisfies CanonicalInput<'orderacknowledgement.v1'>;
