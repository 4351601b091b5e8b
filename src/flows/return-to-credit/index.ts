/**
 * return-to-credit: return request -> RMA -> WMS inspection -> restock or scrap -> credit memo ->
 * refund status to the channel, CRM case. See docs/flows.md "Return-to-credit".
 */
export { OdooReturns, rmaNumberOf } from './adapters/odoo-returns.js';
export { SalesforceCases, type SalesforceTarget } from './adapters/salesforce-cases.js';
export { shopifyOrderOf, shopifyRefunds } from './adapters/shopify-refunds.js';
export { EventLogChannelRefunds, EventLogReturnStock, MemoryChannelRefunds, MemoryReturnStock } from './adapters/stock-and-channel.js';
export { WmsReturns } from './adapters/wms-returns.js';
export {
  type Disposition,
  ReturnInspection,
  ReturnPolicy,
  type ReturnPolicyInput,
  ReturnRequest,
  type ReturnRequestInput,
} from './documents.js';
export { ReturnRefundStatusData, ReturnRefundStatusEvent } from './events.js';
export { returnRequestFromCanonical } from './from-canonical.js';
export type { ChannelRefunds, CrmCases, ReturnStock, ReturnsErp, ReturnToCreditDeps, WarehouseReturns } from './ports.js';
export {
  dispose,
  R2C_SIGNALS,
  R2cErrors,
  RETURN_TO_CREDIT,
  type ReturnToCreditResult,
  returnToCreditFlow,
} from './return-to-credit.flow.js';
