/**
 * procure-to-pay: purchase order to the supplier (EDI 850 or portal), acknowledgement, ASN, WMS
 * receipt, three-way match, vendor bill. See docs/flows.md "Procure-to-pay".
 */
export { acknowledgedLines, type ReceiptDiscrepancy, receiptDiscrepancies } from './acknowledgement.js';
export { callJson, HttpErrors, type JsonReply } from './adapters/http-json.js';
export { EventLogInboundLedger, MemoryInboundLedger } from './adapters/ledgers.js';
export { OdooPurchasing } from './adapters/odoo-purchasing.js';
export { OdooRpc, OdooRpcErrors, type OdooTarget, odooAmount } from './adapters/odoo-rpc.js';
export {
  EdiInboxReader,
  type EdiMailbox,
  EdiSupplierChannel,
  PortalInbox,
  PortalSupplierChannel,
  type PortalTarget,
  type SupplierDocument,
} from './adapters/supplier-channels.js';
export { WmsInbound, type WmsTarget } from './adapters/wms-inbound.js';
export { build850, readSupplierX12 } from './adapters/x12-documents.js';
export {
  AckLine,
  InvoiceDecision,
  PoLine,
  type PurchaseOrder,
  PurchaseOrderInput,
  SupplierAck,
  SupplierAsn,
  SupplierInvoice,
  SupplierPolicy,
  type SupplierPolicyInput,
  WarehouseReceipt,
} from './documents.js';
export { P2pErrors } from './errors.js';
export { type BackorderCreated, BackorderCreatedData, BackorderCreatedEvent, P2P_SIGNALS } from './events.js';
export { deliverSupplierDocument, deliverWarehouseReceipts, type SignalSink } from './inbound.js';
export * as money from './money.js';
export type { ExceptionSink, InboundLedger, ProcureToPayDeps, PurchasingErp, SupplierChannel, WarehouseInbound } from './ports.js';
export { PROCURE_TO_PAY, type ProcureToPayResult, procureToPayFlow } from './procure-to-pay.flow.js';
export { type MatchIssue, type MatchResult, MatchTolerances, threeWayMatch } from './three-way-match.js';
