import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerV1, type SalesOrder } from '../src/canonical/index.js';
import { O2C_FLOW } from '../src/flows/index.js';
import { type O2cWorld, startO2cWorld } from './support/flows-chaos-world.js';

/**
 * "Fail at each step" for order-to-cash: every side-effecting call fails once right after its
 * effect happened (the answer is lost, the error is permanent). Before the warehouse ships,
 * compensation must leave nothing behind: no open NetSuite order, no active WMS release, no stock
 * reservation, no credit exposure. After it, nothing is undone (the goods left) and an operator
 * retry finishes the order with one invoice.
 */
let w: O2cWorld;

beforeAll(async () => {
  // A short SLA so the wait's breach (an exception raised while waiting) can be failed too.
  w = await startO2cWorld({ policy: { shipSlaMs: 1_500 } });
}, 30_000);
afterAll(async () => {
  await w?.close();
});

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** How the warehouse behaves once the order waits for its shipment. */
type Warehouse = 'ship' | 'exception-then-ship' | 'late-then-ship';

/** Runs one order to a final state, shipping it (as `warehouse` says) when the flow waits for it. */
async function drive(order: SalesOrder, warehouse: Warehouse, timeoutMs = 20_000) {
  await w.o2c.start(order);
  const start = Date.now();
  let exceptionRaised = false;
  let shipped = false;
  for (;;) {
    const view = await w.o2c.status(order.id);
    if (view && FINAL.has(view.status)) return view;
    if (Date.now() - start > timeoutMs) throw new Error(`order ${order.id} not final: ${JSON.stringify(view)}`);
    const wms = w.wmsOrder(order.id);
    // Only a suspended instance really waits (a failing one may still show its last wait).
    if (view?.status === 'suspended' && view.waitingFor?.type === 'o2c.shipment' && wms && !shipped) {
      if (warehouse === 'exception-then-ship' && !exceptionRaised) {
        w.net.wms.advance(wms.id, { exception: { code: 'damaged', sku: 'SKU-A', quantity: 1 } });
        exceptionRaised = true;
      } else if (
        warehouse === 'ship' ||
        (warehouse === 'late-then-ship' && doneStep(view.steps, 'sla.breach')) ||
        (warehouse === 'exception-then-ship' && doneStep(view.steps, 'shipment.exception'))
      ) {
        if (wms.status === 'released' || wms.status === 'exception') {
          w.net.wms.advance(wms.id, { to: 'shipped' });
          shipped = true;
        }
      }
    }
    if (view?.status === 'suspended' && view.waitingFor?.type === 'o2c.hold')
      await w.o2c.decide(order.id, 'billing', { decision: 'release', by: 'pat' });
    await new Promise((r) => setTimeout(r, 20));
  }
}

const doneStep = (steps: ReadonlyArray<{ step: string; status: string }>, prefix: string) =>
  steps.some((s) => s.step.startsWith(prefix) && s.status === 'done');

async function expectNoOrphans(id: string) {
  const left = await w.sideEffects(id);
  expect(['none', 'closed']).toContain(left.erpOrder);
  expect(['none', 'cancelled']).toContain(left.wmsRelease);
  expect(left.reservations.filter((s) => s !== 'released')).toEqual([]);
  expect(left.creditExposure).toBe(0);
  expect(left.invoices).toBe(0);
}

/** Faults that fire before the goods leave, with the step they hit. */
const beforeShipping: Array<{ fault: string; step: string; warehouse?: Warehouse }> = [
  { fault: 'masterdata.put', step: 'customer.resolve (canonical customer created)' },
  { fault: 'erp.createCustomer', step: 'customer.resolve (ERP customer created)' },
  { fault: 'erp.prices', step: 'price.check' },
  { fault: 'credit.check', step: 'credit.check' },
  { fault: 'credit.expose', step: 'credit.expose' },
  { fault: 'events.publish:crossdock.order.accepted.v1', step: 'evt.accepted' },
  { fault: 'stock.reserve', step: 'stock.reserve' },
  { fault: 'events.publish:crossdock.order.allocated.v1', step: 'evt.allocated' },
  { fault: 'erp.bookOrder', step: 'erp.book' },
  { fault: 'crm.syncOrder', step: 'crm.sync (with the Booked milestone)' },
  { fault: 'warehouse.release', step: 'wms.release' },
  { fault: 'stock.commit', step: 'stock.commit' },
  { fault: 'events.publish:crossdock.order.released.v1', step: 'evt.released' },
  { fault: 'crm.milestone:Released', step: 'crm.released' },
  { fault: 'exceptions.raise:order.shipment-late', step: 'sla.breach (the shipment wait timed out)', warehouse: 'late-then-ship' },
  { fault: 'crm.openCase', step: 'shipment.exception (the wait got an exception)', warehouse: 'exception-then-ship' },
];

describe('order-to-cash: fail at each step before the goods leave', () => {
  for (const [i, c] of beforeShipping.entries()) {
    it(`${c.step}: fails after ${c.fault}; everything is undone`, async () => {
      w.faults.arm(c.fault);
      const order = w.shopifyOrder(2 + i);
      const view = await drive(order, c.warehouse ?? 'ship');
      expect(w.faults.fired).toContain(c.fault);
      expect(view.status).toBe('failed');
      expect(view.error?.message).toContain(c.fault);
      expect(view.error?.code).toBe('CD_ERR_TEST_O2C_INJECTED');
      await expectNoOrphans(order.id);
      const [failure] = await w.exceptions.list({ subject: `order/${order.id}`, category: 'order.flow-failed' });
      expect(failure?.actions).toEqual([]);
      expect(failure?.detail).toMatchObject({ shipped: false });
    }, 30_000);
  }

  it('the matrix reaches real effects: a released order that fails has its release and booking undone', async () => {
    w.faults.arm('crm.milestone:Released');
    const order = w.shopifyOrder(3);
    await drive(order, 'ship');
    // The effects existed before the undo: the WMS release is cancelled (not absent), the ERP order closed.
    const left = await w.sideEffects(order.id);
    expect(left.wmsRelease).toBe('cancelled');
    expect(left.erpOrder).toBe('closed');
    expect(left.reservations.length).toBeGreaterThan(0);
  }, 30_000);
});

/** Faults after the warehouse shipped: nothing may be undone. */
const afterShipping: Array<{ fault: string; step: string }> = [
  { fault: 'events.publish:crossdock.order.shipped.v1', step: 'evt.shipped' },
  { fault: 'channel.shipped', step: 'channel.shipped' },
  { fault: 'crm.milestone:Shipped', step: 'crm.shipped' },
  { fault: 'erp.postInvoice', step: 'erp.invoice' },
  { fault: 'credit.withdraw', step: 'credit.settle' },
  { fault: 'events.publish:crossdock.invoice.posted.v1', step: 'evt.invoice.posted' },
  { fault: 'channel.invoiced', step: 'channel.invoiced' },
  { fault: 'crm.milestone:Invoiced', step: 'crm.invoiced' },
];

describe('order-to-cash: fail at each step after the goods left', () => {
  for (const [i, c] of afterShipping.entries()) {
    it(`${c.step}: fails after ${c.fault}; nothing is undone and a retry invoices once`, async () => {
      w.faults.arm(c.fault);
      const order = w.shopifyOrder(4 + i);
      const failed = await drive(order, 'ship');
      expect(w.faults.fired).toContain(c.fault);
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe('CD_ERR_TEST_O2C_INJECTED');
      const during = await w.sideEffects(order.id);
      expect(during.erpOrder).toBe('open');
      expect(during.wmsRelease).toBe('shipped');
      expect(during.reservations.length).toBeGreaterThan(0);
      expect(during.reservations.filter((s) => s === 'released')).toEqual([]);
      const [failure] = await w.exceptions.list({ subject: `order/${order.id}`, category: 'order.flow-failed', status: 'open' });
      expect(failure?.actions).toEqual([{ kind: 'retry-flow', flow: O2C_FLOW, key: order.id }]);

      await w.engine.retryInstance(O2C_FLOW, order.id);
      const done = await drive(order, 'ship');
      expect(done.status).toBe('completed');
      expect(done.output).toMatchObject({ status: 'invoiced', orderId: order.id });
      const after = await w.sideEffects(order.id);
      expect(after.invoices).toBe(1);
      expect(after.erpOrder).toBe('open');
      expect(after.creditExposure).toBe(0);
      expect(after.reservations.filter((s) => s === 'reserved' || s === 'committed')).toEqual([]);
      expect(w.shopifyOrderOf(order.id)?.fulfillments.length).toBe(1);
      // The retried run completed, so the exception its failure opened closed itself.
      expect(await w.exceptions.list({ subject: `order/${order.id}`, category: 'order.flow-failed', status: 'open' })).toEqual([]);
      expect((await w.exceptions.get(failure?.id ?? '')).status).not.toBe('open');
    }, 30_000);
  }
});

describe('order-to-cash: cancellation and holds leave nothing behind', () => {
  it('an order rejected at a credit hold holds no stock and no credit', async () => {
    const order = { ...w.shopifyOrder(1), customer: { id: 'cust-limited', refs: {} } };
    // A customer with a zero credit limit: the first order goes on hold; the operator rejects it.
    await w.masterdata.put(
      'customer',
      'cust-limited',
      CustomerV1.parse({ id: 'cust-limited', name: 'Limited', creditLimit: { amount: '0.00', currency: 'USD' } }),
      'test',
    );
    await w.o2c.start(order);
    const start = Date.now();
    let view = await w.o2c.status(order.id);
    while (view?.waitingFor?.type !== 'o2c.hold' && !FINAL.has(view?.status ?? '') && Date.now() - start < 15_000) {
      await new Promise((r) => setTimeout(r, 20));
      view = await w.o2c.status(order.id);
    }
    if (view?.status === 'suspended' && view.waitingFor?.type === 'o2c.hold')
      await w.o2c.decide(order.id, 'credit', { decision: 'reject', by: 'pat' });
    while (!FINAL.has(view?.status ?? '') && Date.now() - start < 15_000) {
      await new Promise((r) => setTimeout(r, 20));
      view = await w.o2c.status(order.id);
    }
    expect(view?.error ?? null).toBeNull();
    expect(view?.status).toBe('completed');
    await expectNoOrphans(order.id);
  }, 30_000);
});
