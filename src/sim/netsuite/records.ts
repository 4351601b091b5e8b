/**
 * Record types served under /services/rest/record/v1. `required` are checked on create; `references`
 * must name an existing record of the given type (`{ "id": "…" }` or `{ "externalId": "…" }`);
 * `suiteqlType` is the `transaction.type` value SuiteQL shows for transactions.
 */
export interface RecordTypeSpec {
  readonly name: string;
  readonly required: readonly string[];
  readonly references: Readonly<Record<string, string>>;
  /** Sublist whose lines carry `item: {id}` references to inventory items. */
  readonly itemSublist: boolean;
  readonly suiteqlTable: 'customer' | 'vendor' | 'item' | 'transaction';
  readonly suiteqlType?: string;
  readonly tranIdPrefix?: string;
}

export const RECORD_TYPES: Record<string, RecordTypeSpec> = {
  customer: { name: 'customer', required: ['companyName'], references: {}, itemSublist: false, suiteqlTable: 'customer' },
  vendor: { name: 'vendor', required: ['companyName'], references: {}, itemSublist: false, suiteqlTable: 'vendor' },
  inventoryItem: { name: 'inventoryItem', required: ['itemId'], references: {}, itemSublist: false, suiteqlTable: 'item' },
  salesOrder: {
    name: 'salesOrder',
    required: ['entity'],
    references: { entity: 'customer' },
    itemSublist: true,
    suiteqlTable: 'transaction',
    suiteqlType: 'SalesOrd',
    tranIdPrefix: 'SO',
  },
  itemFulfillment: {
    name: 'itemFulfillment',
    required: ['createdFrom'],
    references: { createdFrom: 'salesOrder' },
    itemSublist: true,
    suiteqlTable: 'transaction',
    suiteqlType: 'ItemShip',
    tranIdPrefix: 'IF',
  },
  invoice: {
    name: 'invoice',
    required: ['entity'],
    references: { entity: 'customer', createdFrom: 'salesOrder' },
    itemSublist: true,
    suiteqlTable: 'transaction',
    suiteqlType: 'CustInvc',
    tranIdPrefix: 'INV',
  },
  purchaseOrder: {
    name: 'purchaseOrder',
    required: ['entity'],
    references: { entity: 'vendor' },
    itemSublist: true,
    suiteqlTable: 'transaction',
    suiteqlType: 'PurchOrd',
    tranIdPrefix: 'PO',
  },
  itemReceipt: {
    name: 'itemReceipt',
    required: ['createdFrom'],
    references: { createdFrom: 'purchaseOrder' },
    itemSublist: true,
    suiteqlTable: 'transaction',
    suiteqlType: 'ItemRcpt',
    tranIdPrefix: 'IR',
  },
  vendorBill: {
    name: 'vendorBill',
    required: ['entity'],
    references: { entity: 'vendor', createdFrom: 'purchaseOrder' },
    itemSublist: true,
    suiteqlTable: 'transaction',
    suiteqlType: 'VendBill',
    tranIdPrefix: 'BILL',
  },
};

export function recordTypeOf(name: string): RecordTypeSpec | undefined {
  const key = Object.keys(RECORD_TYPES).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : RECORD_TYPES[key];
}
