import type { CanonicalInput, CanonicalSchemaId } from '../registry.js';
import { caseExample, creditMemoExample, invoiceExample, returnAuthorizationExample } from './finance.js';
import { advanceShipNoticeExample, receiptExample, shipmentExample } from './logistics.js';
import {
  customerExample,
  inventoryPositionExample,
  itemExample,
  locationExample,
  priceListExample,
  supplierExample,
} from './masterdata.js';
import { orderAcknowledgementExample, purchaseOrderExample, salesOrderExample } from './orders.js';

/** At least one realistic valid document per canonical object; every one must always parse. */
export const canonicalExamples: { readonly [K in CanonicalSchemaId]: ReadonlyArray<CanonicalInput<K>> } = {
  'item.v1': [itemExample],
  'customer.v1': [customerExample],
  'supplier.v1': [supplierExample],
  'location.v1': [locationExample],
  'pricelist.v1': [priceListExample],
  'inventoryposition.v1': [inventoryPositionExample],
  'salesorder.v1': [salesOrderExample],
  'purchaseorder.v1': [purchaseOrderExample],
  'orderacknowledgement.v1': [orderAcknowledgementExample],
  'advanceshipnotice.v1': [advanceShipNoticeExample],
  'shipment.v1': [shipmentExample],
  'receipt.v1': [receiptExample],
  'invoice.v1': [invoiceExample],
  'returnauthorization.v1': [returnAuthorizationExample],
  'creditmemo.v1': [creditMemoExample],
  'case.v1': [caseExample],
};

export {
  advanceShipNoticeExample,
  caseExample,
  creditMemoExample,
  customerExample,
  inventoryPositionExample,
  invoiceExample,
  itemExample,
  locationExample,
  orderAcknowledgementExample,
  priceListExample,
  purchaseOrderExample,
  receiptExample,
  returnAuthorizationExample,
  salesOrderExample,
  shipmentExample,
  supplierExample,
};
