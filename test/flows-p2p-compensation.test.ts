import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PurchaseOrderInput, procureToPayFlow } from '../src/flows/procure-to-pay/index.js';
import { EDI_SUPPLIER, type P2pWorld, PORTAL_SUPPLIER, startP2pWorld } from '../src/flows/procure-to-pay/testing/harness.js';

/**
 * "Fail at each step": every side-effecting step of procure-to-pay fails once right after its
 * effect happened (the answer is lost). Before the supplier ships, compensation must leave nothing
 * behind in the simulators; after it, nothing is undone and an operator retry finishes the PO
 * without duplicates.
 */
let w: P2pWorld;
let flow: ReturnType<typeof procureToPayFlow>;

beforeEach(async () => {
  w = await startP2pWorld({
    [EDI_SUPPLIER]: { channel: 'edi', ackTimeoutMs: 60_000, asnTimeoutMs: 120_000 },
    [PORTAL_SUPPLIER]: { channel: 'portal', ackTimeoutMs: 60_000, asnTimeoutMs: 120_000 },
  });
  flow = procureToPayFlow(w.deps);
  w.engine.register(flow);
});
afterEach(async () => {
  await w.close();
});

const po = (poNumber: string, supplier: string): PurchaseOrderInput => ({
  poNumber,
  supplier,
  location: 'DC1',
  lines: [
    { line: '1', item: 'SKU-A', quantity: '10', unitPrice: '12.50' },
    { line: '2', item: 'SKU-B', quantity: '5', unitPrice: '2.00' },
  ],
});

/** Drives the supplier as far as `until` (each stage followed by a pump). */
async function supplierTo(poNumber: string, until: 'none' | 'ack' | 'asn') {
  await w.pump();
  if (until === 'none') return;
  if (w.supplier.state.orders.get(poNumber)?.status === 'received') w.supplier.acknowledge(poNumber);
  await w.pump();
  if (until === 'ack') return;
  if (w.supplier.state.orders.get(poNumber)?.status === 'acknowledged') w.supplier.ship(poNumber);
  await w.pump();
}

/** Nothing of the PO may remain live anywhere: ERP cancelled or absent, supplier cancelled or absent, no expected receipt. */
async function expectNoOrphans(poNumber: string) {
  const erp = await w.erp.rpc.read('purchase.order', [['partner_ref', '=', poNumber]], ['state', 'name']);
  expect(erp.every((r) => r.state === 'cancel')).toBe(true);
  if (erp[0]) {
    const pickings = await w.erp.rpc.read('stock.picking', [['origin', '=', erp[0].name]], ['state']);
    expect(pickings.every((p) => p.state === 'cancel')).toBe(true);
  }
  const order = w.supplier.state.orders.get(poNumber);
  expect(order === undefined || order.status === 'cancelled' || order.status === 'rejected').toBe(true);
  expect(w.ledger.entries.has(poNumber)).toBe(false);
  expect([...w.wms.state.asns.values()].filter((a) => a.reference === poNumber)).toEqual([]);
}

const beforeShipping: Array<{ fault: string; reach: 'none' | 'ack'; supplier: string }> = [
  { fault: 'erp.createPurchaseOrder', reach: 'none', supplier: EDI_SUPPLIER },
  { fault: 'supplier.sendPurchaseOrder', reach: 'none', supplier: EDI_SUPPLIER },
  { fault: 'supplier.sendPurchaseOrder', reach: 'none', supplier: PORTAL_SUPPLIER },
  { fault: 'erp.applyAcknowledgement', reach: 'ack', supplier: PORTAL_SUPPLIER },
  { fault: 'ledger.expect', reach: 'ack', supplier: EDI_SUPPLIER },
  { fault: 'ledger.expect', reach: 'ack', supplier: PORTAL_SUPPLIER },
];

describe('procure-to-pay: fail at each step before the supplier ships', () => {
  for (const [i, c] of beforeShipping.entries()) {
    it(`${c.fault} (${c.supplier === EDI_SUPPLIER ? 'EDI' : 'portal'}) fails after its effect: everything is undone`, async () => {
      const poNumber = `PO20${i}`;
      if (c.fault === 'erp.applyAcknowledgement')
        w.supplier.setBehaviour(poNumber, { ack: { 'SKU-A': { status: 'changed', quantity: '7' } } });
      w.faults.add(c.fault);
      await w.engine.start(flow, po(poNumber, c.supplier));
      await supplierTo(poNumber, c.reach);
      w.supplier.processEdiInbox(); // an EDI cancellation reaches the supplier
      await w.settle();
      const view = await w.engine.get('procure-to-pay', poNumber);
      expect(view?.status).toBe('failed');
      expect(view?.error?.code).toBe('CD_ERR_TEST_P2P_INJECTED');
      await expectNoOrphans(poNumber);
      const [failure] = await w.exceptions.list({ category: 'procurement.flow-failed' });
      expect(failure?.subject).toBe(`po/${poNumber}`);
      expect(failure?.actions).toEqual([]);
    });
  }

  it('no acknowledgement within the SLA: exception, PO cancelled in the ERP and at the supplier', async () => {
    await w.engine.start(flow, po('PO210', PORTAL_SUPPLIER));
    await w.pump();
    expect(w.supplier.state.orders.get('PO210')?.status).toBe('received');
    await w.settle(120_000);
    expect((await w.engine.get('procure-to-pay', 'PO210'))?.error?.code).toBe('CD_ERR_P2P_ACK_OVERDUE');
    await expectNoOrphans('PO210');
    expect(w.supplier.state.orders.get('PO210')?.status).toBe('cancelled');
    expect(await w.exceptions.list({ category: 'supplier.ack-overdue' })).toHaveLength(1);
    expect(await w.exceptions.list({ category: 'procurement.flow-failed' })).toEqual([]);
  });

  it('every line rejected: the ERP PO is cancelled and a low-severity exception says why', async () => {
    w.supplier.setBehaviour('PO211', { ack: { 'SKU-A': { status: 'rejected' }, 'SKU-B': { status: 'rejected' } } });
    await w.engine.start(flow, po('PO211', EDI_SUPPLIER));
    await supplierTo('PO211', 'ack');
    await w.settle();
    expect((await w.engine.get('procure-to-pay', 'PO211'))?.error?.code).toBe('CD_ERR_P2P_PO_REJECTED');
    await expectNoOrphans('PO211');
    const [rejected] = await w.exceptions.list({ category: 'supplier.po-rejected' });
    expect(rejected?.severity).toBe('low');
  });

  it('acknowledged but never shipped: the expected receipt is cleared and the supplier PO cancelled', async () => {
    await w.engine.start(flow, po('PO212', EDI_SUPPLIER));
    await supplierTo('PO212', 'ack');
    expect(w.ledger.entries.get('PO212')?.state).toBe('on-order');
    await w.settle(180_000);
    w.supplier.processEdiInbox();
    expect((await w.engine.get('procure-to-pay', 'PO212'))?.error?.code).toBe('CD_ERR_P2P_ASN_OVERDUE');
    await expectNoOrphans('PO212');
    expect(w.supplier.state.orders.get('PO212')?.status).toBe('cancelled');
  });
});

const afterShipping = ['ledger.inTransit', 'wms.expectReceipt', 'erp.recordReceipt', 'erp.postVendorBill'];

describe('procure-to-pay: fail at each step after the supplier shipped', () => {
  for (const [i, fault] of afterShipping.entries()) {
    it(`${fault} fails: nothing is undone, an operator retry completes without duplicates`, async () => {
      const poNumber = `PO30${i}`;
      w.faults.add(fault);
      await w.engine.start(flow, po(poNumber, PORTAL_SUPPLIER));
      await supplierTo(poNumber, 'asn');
      const asn = [...w.wms.state.asns.values()].find((a) => a.reference === poNumber);
      if (asn) w.wms.receive(asn.id);
      await w.pump();
      if (w.supplier.state.orders.get(poNumber)?.status === 'shipped') w.supplier.invoice(poNumber);
      await w.settle();
      const failed = await w.engine.get('procure-to-pay', poNumber);
      expect(failed?.status).toBe('failed');
      // goods are real: ERP PO still confirmed, the supplier's order still shipped or invoiced
      expect((await w.erp.rpc.read('purchase.order', [['partner_ref', '=', poNumber]], ['state']))[0]?.state).toBe('purchase');
      expect(['shipped', 'invoiced']).toContain(w.supplier.state.orders.get(poNumber)?.status);
      const [failure] = await w.exceptions.list({ category: 'procurement.flow-failed', status: 'open' });
      expect(failure?.actions).toEqual([{ kind: 'retry-flow', flow: 'procure-to-pay', key: poNumber }]);

      // the operator fixed the cause and presses retry
      await w.engine.retryInstance('procure-to-pay', poNumber);
      await w.pump();
      const wmsAsn = [...w.wms.state.asns.values()].filter((a) => a.reference === poNumber);
      if (wmsAsn[0]?.status === 'expected') w.wms.receive(wmsAsn[0].id);
      await w.pump();
      if (w.supplier.state.orders.get(poNumber)?.status === 'shipped') w.supplier.invoice(poNumber);
      await w.settle();
      const done = await w.engine.get('procure-to-pay', poNumber);
      expect(done?.status).toBe('completed');
      expect(done?.output).toMatchObject({ outcome: 'posted' });
      expect([...w.wms.state.asns.values()].filter((a) => a.reference === poNumber)).toHaveLength(1);
      expect(await w.erp.rpc.read('account.move', [['move_type', '=', 'in_invoice']], ['ref'])).toEqual([
        expect.objectContaining({ ref: `INV-${poNumber}` }),
      ]);
      const pickings = await w.erp.rpc.read('stock.picking', [['picking_type_code', '=', 'incoming']], ['state']);
      expect(pickings.map((p) => p.state)).toEqual(['done']);
      expect(w.ledger.entries.has(poNumber)).toBe(false);
      // The retried run completed, so the exception its failure opened closed itself.
      expect((await w.exceptions.get(failure?.id ?? '')).status).not.toBe('open');
    });
  }
});

describe('procure-to-pay: transient faults', () => {
  it('an ERP outage and a lost answer are retried; the ERP still has one PO', async () => {
    w.odoo.faults.arm({ kind: 'status', status: 503 }, { times: 2 });
    await w.engine.start(flow, po('PO400', PORTAL_SUPPLIER));
    await w.settle(10_000);
    w.supplier.faults.arm({ kind: 'timeout-after-commit' }, { pathIncludes: '/v1/purchase-orders' });
    await w.settle(10_000);
    expect(await w.erp.rpc.read('purchase.order', [], ['partner_ref'])).toEqual([expect.objectContaining({ partner_ref: 'PO400' })]);
    expect(w.supplier.state.orders.size).toBe(1);
    expect((await w.engine.get('procure-to-pay', 'PO400'))?.waitingFor?.type).toBe('crossdock.supplier.ack.received.v1');
  });
});
