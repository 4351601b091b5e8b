import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store } from '../../store/index.js';
import { addDecimal, compareDecimal } from './decimal.js';

/** The outcome of a credit check: within the limit, or over it by how much. */
export interface CreditDecision {
  ok: boolean;
  limit: string | null;
  exposure: string;
  orderAmount: string;
}

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

  /** The customer's open exposure, not counting `exceptOrder`. */
  async exposure(customerId: string, exceptOrder?: string): Promise<string> {
    let q = this.store.db.selectFrom('flow_credit_exposure').select('amount').where('customer_id', '=', customerId);
    if (exceptOrder) q = q.where('order_id', '!=', exceptOrder);
    const rows = await q.execute();
    return rows.reduce((sum, r) => addDecimal(sum, r.amount), '0.00');
  }

  /** Checks an order's amount against the limit; no limit means no check. */
  async check(request: { customerId: string; orderId: string; amount: string; limit: string | null }): Promise<CreditDecision> {
    const exposure = await this.exposure(request.customerId, request.orderId);
    const ok = request.limit === null || compareDecimal(addDecimal(exposure, request.amount), request.limit) <= 0;
    return { ok, limit: request.limit, exposure, orderAmount: request.amount };
  }

  /** Counts the order's value against the customer (repeating it changes nothing). */
  async expose(request: { customerId: string; orderId: string; amount: string; currency: string }): Promise<void> {
    await this.store.db
      .insertInto('flow_credit_exposure')
      .values({
        order_id: request.orderId,
        customer_id: request.customerId,
        amount: request.amount,
        currency: request.currency,
        updated_at: this.clock.now(),
      })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .execute();
  }

  /** The order no longer counts (cancelled). */
  async withdraw(orderId: string): Promise<void> {
    await this.store.db.deleteFrom('flow_credit_exposure').where('order_id', '=', orderId).execute();
  }
}
