import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReturnRequestInput, type ReturnToCreditResult, returnToCreditFlow } from '../src/flows/return-to-credit/index.js';
import { type R2cWorld, startR2cWorld } from '../src/flows/return-to-credit/testing/harness.js';

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

const request = (returnId: string, source: 'channel' | 'crm' = 'channel'): ReturnRequestInput => ({
  returnId,
  source: { system: source, ref: source === 'channel' ? 'gid://shopify/Return/1' : '500000000000001' },
  order: 'SO-1001',
  customer: 'CUST-7',
  location: 'DC1',
  lines: [
    { line: '1', item: 'SKU-A', quantity: 3, unitPrice: '19.99' },
    { line: '2', item: 'SKU-B', quantity: 1, unitPrice: '5.005', reason: 'defective' },
  ],
});

function receive(rma: string, lines?: Array<{ sku: string; received: number; damaged?: number }>) {
  const asn = [...w.wms.state.asns.values()].find((a) => a.reference === rma);
  if (!asn) throw new Error(`no expected return ${rma}`);
  w.wms.receive(asn.id, lines);
}

const cases = () => w.salesforce.state.all('Case');

describe('return-to-credit end to end', () => {
  it('channel return: RMA in Odoo, WMS inspects, restock and scrap, credit memo, refund status, CRM case closed', async () => {
    await w.engine.start(flow, request('R-1'));
    await w.pump();
    const [rma] = await w.rpc.read('stock.picking', [['origin', '=', 'RMA-R-1']], ['state', 'picking_type_code']);
    expect(rma).toMatchObject({ state: 'assigned', picking_type_code: 'incoming' });
    expect(w.channel.current('R-1')).toBe('authorized');
    expect(cases()).toEqual([expect.objectContaining({ Status: 'Working', External_Id__c: 'return:R-1' })]);
    receive('RMA-R-1', [{ sku: 'SKU-A', received: 3, damaged: 1 }]);
    await w.pump();

    const view = await w.engine.get('return-to-credit', 'R-1');
    expect(view?.status).toBe('completed');
    const out = view?.output as ReturnToCreditResult;
    // 2 sound units of SKU-A at 19.99 are credited and restocked, the damaged one scrapped (not credited);
    // the defective SKU-B is credited (our fault) and scrapped: 39.98 + 5.01 = 44.99
    expect(out).toMatchObject({ outcome: 'credited', amount: '44.99' });
    expect(out.disposition).toEqual([
      { item: 'SKU-A', restock: 2, scrap: 1, credited: 2, unitPrice: '19.99' },
      { item: 'SKU-B', restock: 0, scrap: 1, credited: 1, unitPrice: '5.005' },
    ]);
    expect(w.stock.restocked.get('R-1')).toEqual([{ item: 'SKU-A', quantity: 2 }]);
    expect(w.stock.scrapped.get('R-1')).toEqual([
      { item: 'SKU-A', quantity: 1 },
      { item: 'SKU-B', quantity: 1 },
    ]);
    const memos = await w.rpc.read('account.move', [['move_type', '=', 'out_refund']], ['ref', 'state', 'amount_total', 'invoice_origin']);
    expect(memos).toEqual([expect.objectContaining({ ref: 'R-1', state: 'posted', invoice_origin: 'SO-1001' })]);
    expect(w.channel.statuses.get('R-1')?.map((s) => s.state)).toEqual(['authorized', 'refunded']);
    expect(cases()).toHaveLength(1);
    expect(cases()[0]).toMatchObject({ Status: 'Closed' });
    expect(String(cases()[0]?.Description)).toContain('Credited');
    expect((await w.rpc.read('stock.picking', [['origin', '=', 'RMA-R-1']], ['state']))[0]?.state).toBe('done');
  });

  it('with creditDamaged, damaged units are credited; a short return opens an exception', async () => {
    w.policy = { receiveWithinMs: 60_000, creditDamaged: true };
    await w.engine.start(flow, request('R-2', 'crm'));
    await w.pump();
    receive('RMA-R-2', [{ sku: 'SKU-A', received: 2, damaged: 2 }]);
    await w.pump();
    const out = (await w.engine.get('return-to-credit', 'R-2'))?.output as ReturnToCreditResult;
    // 2 damaged × 19.99 (credited by policy) + 1 × 5.005 (5.01 rounded per line) = 44.99; 1 unit of SKU-A never came
    expect(out).toMatchObject({ outcome: 'credited', amount: '44.99' });
    expect(w.stock.restocked.has('R-2')).toBe(false);
    const [short] = await w.exceptions.list({ category: 'return.quantity-short' });
    expect(short?.subject).toBe('return/R-2');
  });

  it('nothing creditable arrived: declined, no credit memo', async () => {
    await w.engine.start(flow, request('R-3'));
    await w.pump();
    receive('RMA-R-3', [
      { sku: 'SKU-A', received: 3, damaged: 3 },
      { sku: 'SKU-B', received: 0 },
    ]);
    await w.pump();
    const out = (await w.engine.get('return-to-credit', 'R-3'))?.output as ReturnToCreditResult;
    expect(out).toMatchObject({ outcome: 'declined', amount: '0.00', creditMemoId: null });
    expect(await w.rpc.read('account.move', [['move_type', '=', 'out_refund']], ['ref'])).toEqual([]);
    expect(w.channel.current('R-3')).toBe('declined');
  });
});
