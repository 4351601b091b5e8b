import type { CanonicalInput } from '../registry.js';

export const itemExample = {
  id: '01J0ITEM0000000000000000A1',
  refs: { netsuite: '4411', shopify: '39072856' },
  ext: { netsuite: { custitem_color: 'blue' } },
  sku: 'PEN-BLUE-10',
  name: 'Ballpoint pen, blue, box of 10',
  status: 'active',
  type: 'stock',
  gtin: '4006381333931',
  brand: 'Stabilo',
  baseUom: 'EA',
  uoms: [
    { uom: 'BX', factor: '10', sellable: true },
    { uom: 'CS', factor: '120', gtin: '14006381333938', weight: { value: '6.2', unit: 'kg' }, purchasable: true },
  ],
  salesUom: 'BX',
  purchaseUom: 'CS',
  pallet: { uom: 'CS', ti: 10, hi: 5 },
  tracking: { lot: true, serial: false, expiry: false },
  weight: { value: '0.05', unit: 'kg' },
  customerItemNumbers: [{ partnerId: 'cust-acme', itemNumber: 'ACME-778812', uom: 'BX' }],
  supplierItemNumbers: [
    {
      partnerId: 'sup-stabilo',
      itemNumber: 'S-808/41',
      uom: 'CS',
      primary: true,
      cost: { amount: '38.4000', currency: 'EUR' },
      leadTimeDays: 14,
    },
  ],
  listPrice: { amount: '4.95', currency: 'USD' },
  countryOfOrigin: 'DE',
  hsCode: '960810',
  createdAt: '2024-01-02T09:00:00Z',
  updatedAt: '2024-05-01T12:30:00+02:00',
} satisfies CanonicalInput<'item.v1'>;

export const customerExample = {
  id: 'cust-acme',
  refs: { netsuite: '1207', salesforce: '001Dn00000AbCdEIAZ' },
  ext: {},
  customerNumber: 'C10045',
  name: 'ACME Office Supply',
  type: 'business',
  parent: { id: 'cust-acme-group', name: 'ACME Group' },
  role: 'sold-to-and-bill-to',
  billTo: { company: 'ACME Office Supply', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
  shipTos: [
    {
      code: 'DC-01',
      name: 'ACME DC East',
      address: { line1: '200 Logistics Way', city: 'Columbus', region: 'OH', postalCode: '43004', country: 'US' },
      gln: '0614141000012',
      isDefault: true,
    },
    { code: 'ST-0457', address: { line1: '57 Market St', city: 'Dayton', region: 'OH', postalCode: '45402', country: 'US' } },
  ],
  contacts: [{ name: 'Jane Buyer', role: 'buyer', email: 'jane@acme.example' }],
  currency: 'USD',
  paymentTerms: { code: '2/10N30', netDays: 30, discountPercent: '2', discountDays: 10, basis: 'invoice-date' },
  creditLimit: { amount: '50000.00', currency: 'USD' },
  creditHold: false,
  taxIds: [{ type: 'ein', value: '12-3456789', country: 'US' }],
  channel: 'edi',
  fulfilmentPolicy: 'ship-complete',
} satisfies CanonicalInput<'customer.v1'>;

export const supplierExample = {
  id: 'sup-stabilo',
  refs: { netsuite: '88' },
  supplierNumber: 'V2001',
  name: 'Stabilo International',
  address: { line1: 'Schwanweg 1', city: 'Heroldsberg', postalCode: '90562', country: 'DE' },
  currency: 'EUR',
  paymentTerms: { code: 'NET60', netDays: 60 },
  gln: '0614141000012',
  orderChannel: 'edi',
  leadTimeDays: 14,
  minimumOrderAmount: { amount: '500.00', currency: 'EUR' },
} satisfies CanonicalInput<'supplier.v1'>;

export const locationExample = {
  id: 'loc-col',
  refs: { netsuite: '3', shopify: '487838322' },
  code: 'COL',
  name: 'Columbus DC',
  type: 'warehouse',
  address: { line1: '200 Logistics Way', city: 'Columbus', region: 'OH', postalCode: '43004', country: 'US' },
  timeZone: 'America/New_York',
  calendar: {
    cutOffTime: '15:30',
    workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    holidays: [{ date: '2024-12-25', name: 'Christmas Day' }],
    carrierCutOffs: [{ carrier: { scac: 'UPSN', name: 'UPS' }, cutOffTime: '17:00' }],
  },
  sellable: true,
} satisfies CanonicalInput<'location.v1'>;

export const priceListExample = {
  id: 'pl-contract-acme',
  code: 'ACME-2024',
  name: 'ACME contract prices 2024',
  currency: 'USD',
  customers: [{ id: 'cust-acme' }],
  validFrom: '2024-01-01',
  validTo: '2024-12-31',
  entries: [
    { item: { sku: 'PEN-BLUE-10' }, uom: 'BX', unitPrice: { amount: '4.20', currency: 'USD' } },
    { item: { sku: 'PEN-BLUE-10' }, uom: 'BX', unitPrice: { amount: '3.95', currency: 'USD' }, minQuantity: '100' },
  ],
} satisfies CanonicalInput<'pricelist.v1'>;

export const inventoryPositionExample = {
  id: 'inv-PEN-BLUE-10-COL',
  item: { id: '01J0ITEM0000000000000000A1', sku: 'PEN-BLUE-10' },
  location: { id: 'loc-col', code: 'COL' },
  asOf: '2024-05-02T06:00:00Z',
  source: 'netsuite',
  onHand: { value: '1250', uom: 'EA' },
  allocated: { value: '300', uom: 'EA' },
  reserved: { value: '50', uom: 'EA' },
  inTransit: [
    {
      quantity: { value: '1200', uom: 'EA' },
      eta: '2024-05-09T12:00:00Z',
      asn: { number: 'ASN-7781' },
      purchaseOrder: { number: 'PO-5521' },
    },
  ],
  qualityHold: { value: '20', uom: 'EA' },
  safetyBuffer: { value: '100', uom: 'EA' },
  lots: [
    { lot: 'L2403A', expiryDate: '2027-03-31', quantity: { value: '800', uom: 'EA' } },
    { lot: 'L2404B', expiryDate: '2027-04-30', quantity: { value: '450', uom: 'EA' }, status: 'available' },
  ],
} satisfies CanonicalInput<'inventoryposition.v1'>;
