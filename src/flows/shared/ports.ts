import type { Case, Customer, Envelope, Invoice, SalesOrder, Shipment } from '../../canonical/index.js';
import type { RaiseInput } from '../../domains/exceptions/index.js';
import type { Tx } from '../../store/index.js';

/**
 * Ports: what flows need from the systems around them, as small interfaces. Adapters in ./adapters
 * implement them on the connectors; tests may implement them directly. Every write is idempotent by
 * the canonical id it is given, so a step retried after a crash never writes twice (ARCHITECTURE §5.6).
 */

/** The ERP: the system of record for customers, prices, orders and invoices. */
export interface ErpPort {
  /** The system key, e.g. `netsuite`; the id space of the ids this port returns. */
  readonly system: string;
  /** Creates the customer once (keyed by `customer.id`); returns the ERP's id. */
  createCustomer(customer: Customer): Promise<{ id: string }>;
  /** Unit prices the ERP holds for the SKUs (undefined: the ERP has no price for it). */
  prices(request: { skus: readonly string[]; currency: string; customerErpId?: string }): Promise<Record<string, string | undefined>>;
  /** Books the order once (keyed by `order.id`); `order.customer.refs[system]` names the ERP customer. */
  bookOrder(order: SalesOrder): Promise<{ id: string }>;
  /**
   * Cancels the order. Finds it by the crossdock order id when the ERP id is not known (the booking
   * may have timed out after succeeding). An order the ERP never got is nothing to cancel: `found: false`.
   */
  cancelOrder(request: { orderId: string; erpId?: string; reason: string }): Promise<{ found: boolean }>;
  /** Posts the invoice once (keyed by `invoice.id`). */
  postInvoice(invoice: Invoice): Promise<{ id: string }>;
}

/** The warehouse or 3PL that picks, packs and ships. */
export interface WarehousePort {
  readonly system: string;
  /** Releases the order once (keyed by `order.id`). */
  release(order: SalesOrder, location?: string): Promise<{ releaseId: string; warehouse: string }>;
  /** Cancels the release; `found: false` when the warehouse never got it. */
  cancelRelease(request: { orderId: string }): Promise<{ found: boolean }>;
}

/** A milestone as the CRM shows it on the order. */
export interface Milestone {
  status: 'Booked' | 'Released' | 'Shipped' | 'Invoiced' | 'Cancelled' | 'On Hold';
  note?: string;
}

/** The CRM (customer service's view of the order). */
export interface CrmPort {
  readonly system: string;
  /**
   * Creates or updates the customer's account and the order header (keyed by their ids); with a
   * milestone, the order carries it from this write on (one call where two would do the same).
   */
  syncOrder(order: SalesOrder, customer: Customer, milestone?: Milestone): Promise<void>;
  milestone(orderId: string, milestone: Milestone): Promise<void>;
  /** Opens (or updates) the case, keyed by `kase.id`. */
  openCase(kase: Case): Promise<{ id: string }>;
}

/** A sales channel (storefront, marketplace) the order came from. */
export interface ChannelPort {
  readonly system: string;
  /** True when this channel knows the order (it carries the channel's refs). */
  owns(order: SalesOrder): boolean;
  /** Marks the shipped lines fulfilled, with carrier and tracking; once per shipment id. */
  shipped(order: SalesOrder, shipment: Shipment): Promise<{ reference: string }>;
  /** Reflects the posted invoice on the channel order; `reflected: false` with why, when the channel cannot. */
  invoiced(order: SalesOrder, invoice: Invoice): Promise<{ reflected: boolean; note?: string }>;
}

/** One order line to reserve (availability's ReserveLine). */
export interface StockLine {
  line: string;
  item: string;
  qty: number;
  location?: string;
}

/** What was reserved of a line. */
export interface StockLineResult {
  line: string;
  item: string;
  requested: number;
  reserved: number;
  locations: Array<{ location: string; quantity: number }>;
}

/**
 * Where a port's write goes: with `tx`, into that store transaction (an atomic step's, see
 * FlowContext.atomic), so it commits or rolls back with it. An implementation must then run every
 * statement through `tx` and open no transaction of its own.
 */
export interface InStore {
  tx?: Tx;
}

/**
 * Stock per order (the availability service satisfies it: `ctx.services.availability`). `reserve`
 * is idempotent per (order, line); `release` and `commit` are safe to repeat.
 */
export interface StockPort {
  reserve(
    request: {
      order: string;
      lines: readonly StockLine[];
      channel: string;
      customer?: string;
      partial?: boolean;
    },
    options?: InStore,
  ): Promise<{ lines: readonly StockLineResult[] }>;
  release(request: { order: string; lines?: readonly string[] }, options?: InStore): Promise<unknown>;
  commit(request: { order: string; lines?: readonly string[] }, options?: InStore): Promise<unknown>;
}

/** The exception queue (domains/exceptions ExceptionQueue satisfies it). */
export interface ExceptionsPort {
  raise(input: RaiseInput): Promise<{ id: string; created: boolean }>;
  clear(dedupeKey: string, reason: string): Promise<boolean>;
}

/** Publishes the flow's events on the log (idempotent by event id); with `tx`, in that transaction (the outbox). */
export interface EventsPort {
  publish(topic: string, events: readonly Envelope[], options?: InStore): Promise<unknown>;
}
