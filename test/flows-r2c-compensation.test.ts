import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReturnRequestInput, returnToCreditFlow } from '../src/flows/return-to-credit/index.js';
import { type R2cWorld, startR2cWorld } from '../src/flows/return-to-credit/testing/harness.js';

/**
 * "Fail at each step" for return-to-credit: each side effect fails once right after it happened.
 * Before the goods arrive, compensation leaves nothing live in Odoo, Salesforce, the channel or the
 * WMS (whose API cannot withdraw an ASN: an operator task is opened instead). After they arrived,
 * nothing is undone and an operator retry finishes the return without duplicates.
 */
let w: R2cWorld;
let flow: ReturnType<typeof returnToCreditFlow>;

beforeEach(async () => {
  w = await startR2cWorld({ receiveWithinMs: 60_000 });
  flow = returnToCreditFlow(w.deps);
  w.engine.register(flow);
});
afterEach(async () => {
  await w.close();
});

const request = (returnId: string): ReturnRequestInput => ({
  returnId,
  source: { system: 'channel', ref: `ret-${returnId}` },
  order: 'SO-2001',
  customer: 'CUST-9',
  location: 'DC1',
  lines: [{ line: '1', item: 'SKU-A', quantity: 2, unitPrice: '10.10' }],
});

async function expectNoOrphans(returnId: string) {
  const rma = await w.rpc.read('stock.picking', [['origin', '=', `RMA-${returnId}`]], ['state']);
  expect(rma.every((r) => r.state === 'cancel')).toBe(true);
  const status = w.channel.current(returnId);
  expect(status === undefined || status === 'cancelled').toBe(true);
  const cases = w.salesforce.state.findBy('Case', 'External_Id__c', `return:${returnId}`);
  expect(cases.every((c) => c.Status === 'Closed')).toBe(true);
  const asns = [...w.wms.state.asns.values()].filter((a) => a.reference === `RMA-${returnId}`);
  if (asns.length > 0) {
    const [task] = await w.exceptions.list({ category: 'warehouse.expected-return-cancel', status: 'open' });
    expect(task?.detail).toEqual({ reference: `RMA-${returnId}` });
  }
  expect(await w.rpc.read('account.move', [['move_type', '=', 'out_refund']], ['ref'])).toEqual([]);
  expect(w.stock.restocked.has(returnId)).toBe(false);
}

const beforeArrival = ['erp.authorizeReturn', 'crm.upsertReturnCase#1', 'channel.refundStatus#1', 'wms.expectReturn'];

describe('return-to-credit: fail at each step before the goods arrive', () => {
  for (const [i, fault] of beforeArrival.entries()) {
    it(`${fault} fails after its effect: everything is undone`, async () => {
      const id = `R-10${i}`;
      w.faults.add(fault);
      await w.engine.start(flow, request(id));
      await w.settle();
      const view = await w.engine.get('return-to-credit', id);
      expect(view?.status).toBe('failed');
      expect(view?.error?.code).toBe('CD_ERR_TEST_P2P_INJECTED');
      await expectNoOrphans(id);
      const [failure] = await w.exceptions.list({ category: 'return.flow-failed' });
      expect(failure?.actions).toEqual([]);
    });
  }

  it('the goods never arrive: RMA cancelled, channel told, case closed, WMS task opened', async () => {
    await w.engine.start(flow, request('R-110'));
    await w.settle(120_000);
    expect((await w.engine.get('return-to-credit', 'R-110'))?.error?.code).toBe('CD_ERR_R2C_NOT_RECEIVED');
    await expectNoOrphans('R-110');
    expect(w.channel.statuses.get('R-110')?.map((s) => s.state)).toEqual(['authorized', 'cancelled']);
    expect(w.salesforce.state.findBy('Case', 'External_Id__c', 'return:R-110')).toHaveLength(1);
    expect(await w.exceptions.list({ category: 'return.not-received' })).toHaveLength(1);
    expect(await w.exceptions.list({ category: 'warehouse.expected-return-cancel' })).toHaveLength(1);
  });
});

const afterArrival = ['stock.restock', 'erp.closeReturn', 'erp.postCreditMemo', 'channel.refundStatus#2', 'crm.upsertReturnCase#2'];

describe('return-to-credit: fail at each step after the goods arrived', () => {
  for (const [i, fault] of afterArrival.entries()) {
    it(`${fault} fails: nothing is undone, an operator retry completes without duplicates`, async () => {
      const id = `R-20${i}`;
      w.faults.add(fault);
      await w.engine.start(flow, request(id));
      await w.pump();
      const asn = [...w.wms.state.asns.values()].find((a) => a.reference === `RMA-${id}`);
      if (!asn) throw new Error('no expected return');
      w.wms.receive(asn.id);
      await w.settle();
      expect((await w.engine.get('return-to-credit', id))?.status).toBe('failed');
      expect((await w.rpc.read('stock.picking', [['origin', '=', `RMA-${id}`]], ['state']))[0]?.state).not.toBe('cancel');
      expect(w.channel.current(id)).not.toBe('cancelled');
      const [failure] = await w.exceptions.list({ category: 'return.flow-failed', status: 'open' });
      expect(failure?.actions).toEqual([{ kind: 'retry-flow', flow: 'return-to-credit', key: id }]);

      await w.engine.retryInstance('return-to-credit', id);
      await w.settle();
      const done = await w.engine.get('return-to-credit', id);
      expect(done?.status).toBe('completed');
      expect(done?.output).toMatchObject({ amount: '20.20' });
      expect(await w.rpc.read('account.move', [['move_type', '=', 'out_refund']], ['ref'])).toEqual([expect.objectContaining({ ref: id })]);
      expect(w.salesforce.state.findBy('Case', 'External_Id__c', `return:${id}`)).toEqual([expect.objectContaining({ Status: 'Closed' })]);
      expect(w.channel.statuses.get(id)?.map((s) => s.state)).toEqual(['authorized', 'refunded']);
      expect(w.stock.restocked.get(id)).toEqual([{ item: 'SKU-A', quantity: 2 }]);
      expect((await w.rpc.read('stock.picking', [['origin', '=', `RMA-${id}`]], ['state']))[0]?.state).toBe('done');
      // The retried run completed, so the exception its failure opened closed itself.
      expect((await w.exceptions.get(failure?.id ?? '')).status).not.toBe('open');
    });
  }
});
