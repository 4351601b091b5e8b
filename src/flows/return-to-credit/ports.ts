import type { ExceptionSink } from '../procure-to-pay/index.js';
import type { ReturnPolicy, ReturnRequest } from './documents.js';

/** The ERP for returns: the RMA, and the credit memo. Idempotent by return id. */
export interface ReturnsErp {
  /** Authorizes the return (an RMA); a second call returns the first RMA. */
  authorizeReturn(request: ReturnRequest): Promise<{ rmaNumber: string; erpId: string }>;
  /** Cancels the RMA unless goods were received; succeeds when there is none. */
  cancelReturn(returnId: string): Promise<void>;
  /** Marks the RMA received with what arrived. */
  closeReturn(returnId: string, lines: ReadonlyArray<{ item: string; quantity: number }>): Promise<void>;
  /** Posts the credit memo (once per return). */
  postCreditMemo(request: ReturnRequest, amount: string): Promise<{ creditMemoId: string }>;
}

/** The warehouse expecting the returned goods. */
export interface WarehouseReturns {
  expectReturn(r: {
    reference: string;
    location: string;
    customer: string;
    lines: ReadonlyArray<{ item: string; quantity: number }>;
  }): Promise<{ id: string }>;
  /** Withdraws the expectation (or, where the WMS cannot, hands it to an operator). */
  cancelExpected(reference: string, location: string): Promise<void>;
}

/** Stock decisions after inspection, for availability. Idempotent by return id. */
export interface ReturnStock {
  restock(returnId: string, location: string, lines: ReadonlyArray<{ item: string; quantity: number }>): Promise<void>;
  scrap(returnId: string, location: string, lines: ReadonlyArray<{ item: string; quantity: number }>): Promise<void>;
}

/** Status back to where the customer asked (the sales channel). */
export interface ChannelRefunds {
  refundStatus(
    request: ReturnRequest,
    status: { state: 'authorized' | 'refunded' | 'declined' | 'cancelled'; amount?: string; creditMemoId?: string },
  ): Promise<void>;
}

/** The CRM case that follows the return. */
export interface CrmCases {
  /** Creates or updates the case of this return (keyed by return id). */
  upsertReturnCase(request: ReturnRequest, update: { status: 'Working' | 'Closed'; description: string }): Promise<{ caseId: string }>;
}

export interface ReturnToCreditDeps {
  erp: ReturnsErp;
  warehouse: WarehouseReturns;
  stock: ReturnStock;
  channel: ChannelRefunds;
  crm: CrmCases;
  exceptions: ExceptionSink;
  policy(request: ReturnRequest): ReturnPolicy;
}
