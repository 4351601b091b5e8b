import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackorderCreatedData, procureToPayFlow } from '../src/flows/procure-to-pay/index.js';
import { EDI_SUPPLIER, type P2pWorld, PORTAL_SUPPLIER, startP2pWorld } from '../src/flows/procure-to-pay/testing/harness.js';
import {
  backorderReplenishment,
  minMaxReplenishment,
  type ReplenishmentResult,
  replenishmentFlow,
  StaticSupplierCatalog,
} from '../src/flows/replenishment/index.js';

let w: P2pWorld;
let p2p: ReturnType<typeof procureToPayFlow>;
let replenish: ReturnType<typeof replenishmentFlow>;

beforeEach(async () => {
  w = await startP2pWorld();
  p2p = procureToPayFlow(w.deps);
  replenish = replenishmentFlow({
    catalog: new StaticSupplierCatalog([
      { item: 'SKU-A', supplier: EDI_SUPPLIER, unitPrice: '12.50' },
      { item: 'SKU-B', supplier: PORTAL_SUPPLIER, unitPrice: '3.10' },
      { item: 'SKU-C', supplier: EDI_SUPPLIER, unitPrice: '1.05' },
    ]),
    startPurchaseOrder: async (po, correlationid) => {
      await w.engine.start(p2p, po, { correlationid });
    },
    exceptions: w.exceptions,
  });
  w.engine.register(p2p).register(replenish);
});
afterEach(async () => {
  await w.close();
});

describe('replenishment', () => {
  it('a backorder from order-to-cash becomes one PO per supplier, each run through procure-to-pay', async () => {
    const event = BackorderCreatedData.parse({
      order: 'SO-77',
      lines: [
        { line: '1', item: 'SKU-A', location: 'DC1', quantity: '6' },
        { line: '2', item: 'SKU-B', location: 'DC1', quantity: '2' },
        { line: '3', item: 'SKU-C', location: 'DC1', quantity: '9' },
        { line: '4', item: 'SKU-Z', location: 'DC1', quantity: '1' },
      ],
    });
    const { started } = await w.engine.start(replenish, backorderReplenishment(event));
    expect(started).toBe(true);
    // the same backorder again (a redelivered event) starts nothing
    expect((await w.engine.start(replenish, backorderReplenishment(event))).started).toBe(false);
    await w.pump();
    const run = (await w.engine.get('replenishment', 'backorder:SO-77'))?.output as ReplenishmentResult;
    expect(run.purchaseOrders.map((p) => [p.supplier, p.lines])).toEqual([
      [EDI_SUPPLIER, 2],
      [PORTAL_SUPPLIER, 1],
    ]);
    expect(run.unsourced).toEqual(['SKU-Z']);
    expect(await w.exceptions.list({ category: 'replenishment.no-source' })).toHaveLength(1);
    // both POs reached their suppliers, by EDI and by the portal
    const byPo = new Map([...w.supplier.state.orders.values()].map((o) => [o.poNumber, o.via]));
    expect(run.purchaseOrders.map((p) => byPo.get(p.poNumber))).toEqual(['edi', 'portal']);

    for (const p of run.purchaseOrders) {
      w.supplier.acknowledge(p.poNumber);
      await w.pump();
      w.supplier.ship(p.poNumber);
      await w.pump();
      const asn = [...w.wms.state.asns.values()].find((a) => a.reference === p.poNumber);
      if (!asn) throw new Error('no ASN');
      w.wms.receive(asn.id);
      w.supplier.invoice(p.poNumber);
      await w.pump();
      const done = await w.engine.get('procure-to-pay', p.poNumber);
      expect(done?.status).toBe('completed');
      expect(done?.output).toMatchObject({ outcome: 'posted' });
      expect(done?.input).toMatchObject({ reason: { kind: 'backorder', ref: 'SO-77' } });
    }
    const bills = await w.erp.rpc.read('account.move', [['move_type', '=', 'in_invoice']], ['amount_total']);
    // 6 × 12.50 + 9 × 1.05 = 84.45 and 2 × 3.10 = 6.20
    expect(bills.map((b) => b.amount_total).sort()).toEqual([6.2, 84.45]);
  });

  it('a min/max review raises a PO for what is below minimum; the same period again orders nothing', async () => {
    const rules = [
      { item: 'SKU-A', location: 'DC1', min: '10', max: '40', multiple: '6' },
      { item: 'SKU-B', location: 'DC1', min: '5', max: '10' },
    ];
    const positions = { onHand: '4', committed: '1', inTransit: '0', onOrder: '0' };
    const run = minMaxReplenishment('2026-11-22T08', rules, (item) => (item === 'SKU-A' ? positions : { ...positions, onHand: '20' }));
    if (!run) throw new Error('expected a run');
    expect(run.lines).toEqual([{ item: 'SKU-A', location: 'DC1', quantity: '42' }]);
    await w.engine.start(replenish, run);
    expect((await w.engine.start(replenish, run)).started).toBe(false);
    await w.pump();
    const out = (await w.engine.get('replenishment', 'min-max:2026-11-22T08'))?.output as ReplenishmentResult;
    expect(out.purchaseOrders).toHaveLength(1);
    const order = w.supplier.state.orders.get(out.purchaseOrders[0]?.poNumber ?? '');
    expect(order?.lines.map((l) => [l.item, l.quantity, l.unitPrice])).toEqual([['SKU-A', '42', '12.50']]);
  });
});
