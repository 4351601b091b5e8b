import type { ExceptionQueue } from '../../domains/exceptions/index.js';
import type { AckLine, PurchaseOrder, SupplierInvoice, SupplierPolicy } from './documents.js';

/**
 * The ERP as procure-to-pay needs it. Every write is idempotent by PO number (the undo key is the
 * business key, known before the call), so a retried or undone step never duplicates or misses.
 */
export interface PurchasingErp {
  /** Creates and confirms the PO; a second call for the same PO number returns the first one's id. */
  createPurchaseOrder(po: PurchaseOrder): Promise<{ erpId: string }>;
  /** Cancels (or removes) the PO; succeeds when there is none. */
  cancelPurchaseOrder(poNumber: string): Promise<void>;
  /** Sets quantities and prices the supplier acknowledged; rejected lines go to zero. */
  applyAcknowledgement(poNumber: string, lines: readonly AckLine[]): Promise<void>;
  /** Books the goods received against the PO (once per PO). */
  recordReceipt(poNumber: string, lines: ReadonlyArray<{ item: string; quantity: number }>): Promise<{ receiptId: string }>;
  /** Posts the supplier's bill for the matched amount (once per PO and invoice number). */
  postVendorBill(poNumber: string, invoice: SupplierInvoice, amount: string): Promise<{ billId: string }>;
}

/** Sends purchase orders to a supplier (EDI 850 or the supplier's portal) and cancels them. */
export interface SupplierChannel {
  sendPurchaseOrder(po: PurchaseOrder): Promise<{ ref: string }>;
  cancelPurchaseOrder(po: PurchaseOrder): Promise<void>;
}

/** The warehouse's expected receipts (an ASN at the WMS/3PL). */
export interface WarehouseInbound {
  expectReceipt(asn: {
    reference: string;
    location: string;
    supplier: string;
    eta?: string;
    lines: ReadonlyArray<{ item: string; quantity: number }>;
  }): Promise<{ id: string }>;
}

/**
 * Expected receipts and in-transit stock as availability sees them (on order after the ack, in
 * transit with an ETA after the ASN, gone once received). Every call replaces the PO's figures.
 */
export interface InboundLedger {
  expect(poNumber: string, location: string, lines: ReadonlyArray<{ item: string; quantity: string }>, eta?: string): Promise<void>;
  inTransit(poNumber: string, location: string, lines: ReadonlyArray<{ item: string; quantity: string }>, eta?: string): Promise<void>;
  /** Removes whatever the PO still has on order or in transit. */
  clear(poNumber: string, location: string): Promise<void>;
}

/** The exception queue, as far as flows raise and clear exceptions. */
export type ExceptionSink = Pick<ExceptionQueue, 'raise' | 'clear'>;

/** Everything procure-to-pay is built from; passed in, checked at start-up. */
export interface ProcureToPayDeps {
  erp: PurchasingErp;
  /** The channel for a supplier (by the supplier's policy). */
  supplierChannel(supplier: string): SupplierChannel;
  warehouse: WarehouseInbound;
  ledger: InboundLedger;
  exceptions: ExceptionSink;
  policy(supplier: string): SupplierPolicy;
}
