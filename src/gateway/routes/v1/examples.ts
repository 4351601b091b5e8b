/** Request examples shown in the API docs; each must pass its route's validation (a test sends them). */

export const orderExample = {
  channelOrderId: 'WEB-100234',
  customerPoNumber: 'PO-88121',
  channel: 'web',
  orderDate: '2026-03-02T09:15:00Z',
  requestedDeliveryDate: '2026-03-06',
  currency: 'USD',
  customer: { number: 'C10045', name: 'ACME Office Supply' },
  shipTo: { company: 'ACME DC East', line1: '200 Logistics Way', city: 'Columbus', region: 'OH', postalCode: '43004', country: 'US' },
  lines: [
    { lineNumber: '1', item: { sku: 'PEN-BLUE-10' }, quantity: { value: '24', uom: 'BX' }, unitPrice: { amount: '4.20', currency: 'USD' } },
    { lineNumber: '2', item: { sku: 'PAPER-A4' }, quantity: { value: '10', uom: 'CS' } },
  ],
};

export const cancelExample = { reasonCode: 'customer-request', reason: 'ordered twice' };

export const returnExample = {
  requestedAt: '2026-03-09T12:00:00Z',
  customer: { number: 'C10045' },
  order: { type: 'salesorder', number: 'WEB-100234' },
  resolution: 'credit',
  lines: [{ lineNumber: '1', item: { sku: 'PEN-BLUE-10' }, quantity: { value: '2', uom: 'BX' }, reasonCode: 'damaged' }],
};

export const acknowledgementExample = {
  ackNumber: 'ACK-5521-1',
  orderKind: 'purchase',
  order: { type: 'purchaseorder', number: 'PO-5521' },
  ackDate: '2026-03-02T10:00:00Z',
  status: 'accepted',
};

export const asnExample = {
  asnNumber: 'ASN-77120',
  shippedAt: '2026-03-03T14:00:00Z',
  status: 'in-transit',
  shipper: { number: 'SUP-STABILO' },
  shipTo: { code: 'COL' },
  orders: [
    {
      order: { type: 'purchaseorder', number: 'PO-5521' },
      items: [{ lineNumber: '1', item: { sku: 'PEN-BLUE-10' }, quantity: { value: '10', uom: 'CS' } }],
    },
  ],
};

export const inventoryUpdateExample = {
  type: 'adjustments',
  adjustments: [
    {
      item: { sku: 'PEN-BLUE-10' },
      location: { code: 'COL' },
      delta: { value: '-3', uom: 'BX' },
      reasonCode: 'damage',
      occurredAt: '2026-03-02T07:30:00Z',
    },
  ],
};
