import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import { addDecimal, compareDecimal } from './decimal.js';

/** The outcome of a credit check: within the limit, or over it by how much. */
export interface CreditDecision {
  ok: boolean;
  limit: string | null;
  exposure: string;
  orderAmount: string;
}

// Raw statements in store transactions (every order exposes and settles once): on SQLite they share
// a COMMIT with whatever else is queued (ADR 8), where a statement on `store.db` commits alone.

/**
 * Open order value per customer, counted against its credit limit. An order adds its value once it
 * passes the check (`expose`, keyed by the order) and removes it when cancelled (`withdraw`).
 */
export class CreditLedger {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  // Each method takes an optional transaction to run in (an atomic step's); without one it opens its own.

  /** The customer's open exposure, not counting `exceptOrder`. */
  async exposure(customerId: string, exceptOrder?: string, outer?: Tx): Promise<string> {
    const rows = await this.store.transaction(
      (tx) =>
        exceptOrder
          ? tx.all<{ amount: string }>('SELECT amount FROM flow_credit_exposure WHERE customer_id = ? AND order_id <> ?', [
              customerId,
              exceptOrder,
            ])
          : tx.all<{ amount: string }>('SELECT amount FROM flow_credit_exposure WHERE customer_id = ?', [customerId]),
      outer,
    );
    return rows.reduce((sum, r) => addDecimal(sum, r.amount), '0.00');
  }

  /** Checks an order's amount against the limit; no limit means no check. */
  async check(request: { customerId: string; orderId: string; amount: string; limit: string | null }, tx?: Tx): Promise<CreditDecision> {
    const exposure = await this.exposure(request.customerId, request.orderId, tx);
    const ok = request.limit === null || compareDecimal(addDecimal(exposure, request.amount), request.limit) <= 0;
    return { ok, limit: request.limit, exposure, orderAmount: request.amount };
  }

  /** Counts the order's value against the customer (repeating it changes nothing). */
  async expose(request: { customerId: string; orderId: string; amount: string; currency: string }, outer?: Tx): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(
      (tx) =>
        tx.run(
          `INSERT INTO flow_credit_exposure (order_id, customer_id, amount, currency, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (order_id) DO NOTHING`,
          [request.orderId, request.customerId, request.amount, request.currency, now],
        ),
      outer,
    );
  }

  /** The order no longer counts (cancelled). */
  async withdraw(orderId: string, outer?: Tx): Promise<void> {
    await this.store.transaction((tx) => tx.run('DELETE FROM flow_credit_exposure WHERE order_id = ?', [orderId]), outer);
  }
}
