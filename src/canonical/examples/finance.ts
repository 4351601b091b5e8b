import type { CanonicalInput } from '../registry.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });

export const invoiceExample = {
  id: 'inv-90011',
  refs: { netsuite: 'INV90011' },
  invoiceNumber: 'INV-90011',
  invoiceDate: '2024-05-04',
  dueDate: '2024-06-03',
  currency: 'USD',
  seller: { name: 'Crossdock Distribution Inc.' },
  buyer: { id: 'cust-acme', number: 'C10045' },
  customerPoNumber: 'ACME-PO-4471',
  orders: [{ type: 'salesorder', number: 'SO-1001' }],
  shipments: [{ type: 'shipment', number: 'SHP-55120' }],
  paymentTerms: { code: '2/10N30', netDays: 30, discountPercent: '2', discountDays: 10 },
  lines: [
    {
      lineNumber: '1',
      orderLineNumber: '1',
      item: { sku: 'PEN-BLUE-10' },
      quantity: { value: '24', uom: 'BX' },
      unitPrice: usd('3.99'),
      taxes: [{ type: 'sales', ratePercent: '6', amount: usd('5.75') }],
      lineTotal: usd('95.76'),
    },
  ],
  charges: [
    { kind: 'charge', type: 'freight', amount: usd('12.50') },
    { kind: 'allowance', type: 'promotion', code: 'C310', amount: usd('-0.00') },
  ],
  totals: { subtotal: usd('95.76'), chargeTotal: usd('12.50'), taxTotal: usd('5.75'), total: usd('114.01') },
  amountDue: usd('114.01'),
} satisfies CanonicalInput<'invoice.v1'>;

export const returnAuthorizationExample = {
  id: 'rma-2207',
  rmaNumber: 'RMA-2207',
  status: 'authorized',
  customer: { id: 'cust-acme' },
  order: { type: 'salesorder', number: 'SO-1001' },
  requestedAt: '2024-05-10T10:00:00Z',
  authorizedAt: '2024-05-10T14:00:00Z',
  returnTo: { id: 'loc-col' },
  resolution: 'credit',
  lines: [
    {
      lineNumber: '1',
      orderLineNumber: '1',
      item: { sku: 'PEN-BLUE-10' },
      quantity: { value: '2', uom: 'BX' },
      reasonCode: 'damaged',
      reasonCodeSource: 'CR-04',
      disposition: 'scrap',
      creditAmount: usd('7.98'),
    },
    {
      lineNumber: '2',
      item: { sku: 'PEN-BLUE-10' },
      quantity: { value: '1', uom: 'BX' },
      reasonCode: 'over-shipped',
      disposition: 'restock',
    },
  ],
} satisfies CanonicalInput<'returnauthorization.v1'>;

export const creditMemoExample = {
  id: 'cm-1201',
  creditMemoNumber: 'CM-1201',
  memoDate: '2024-05-15',
  currency: 'USD',
  buyer: { id: 'cust-acme' },
  invoice: { type: 'invoice', number: 'INV-90011' },
  returnAuthorization: { type: 'returnauthorization', number: 'RMA-2207' },
  reasonCode: 'damaged',
  lines: [
    { lineNumber: '1', item: { sku: 'PEN-BLUE-10' }, quantity: { value: '2', uom: 'BX' }, unitPrice: usd('3.99'), lineTotal: usd('7.98') },
  ],
  totals: { subtotal: usd('7.98'), taxTotal: usd('0.48'), total: usd('8.46') },
} satisfies CanonicalInput<'creditmemo.v1'>;

export const caseExample = {
  id: 'case-77',
  refs: { salesforce: '500Dn00000XyZaBIAV' },
  caseNumber: '00001077',
  subject: 'Shipment SHP-55120 needs address correction',
  status: 'open',
  priority: 'high',
  category: 'shipment-exception',
  origin: 'hub',
  customer: { id: 'cust-acme' },
  owner: 'cs-team-east',
  related: [
    { type: 'shipment', id: 'shp-1001-1', number: 'SHP-55120' },
    { type: 'salesorder', number: 'SO-1001' },
  ],
  openedAt: '2024-05-05T09:13:00-04:00',
  dueAt: '2024-05-05T17:00:00-04:00',
  comments: [{ at: '2024-05-05T09:20:00-04:00', author: 'hub', text: 'carrier reports address correction' }],
} satisfies CanonicalInput<'case.v1'>;
