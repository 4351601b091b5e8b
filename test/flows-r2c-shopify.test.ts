import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetRegistry, type ConnectorInstance, createConnectorInstance } from '../src/connectors/sdk/index.js';
import { type ShopifyCredentials, type ShopifySettings, shopifyConnector } from '../src/connectors/shopify/index.js';
import { HookedCapture } from '../src/connectors/shopify/testing/harness.js';
import { shopifyOrderOf, shopifyRefunds } from '../src/flows/return-to-credit/adapters/shopify-refunds.js';
import { type ReturnRequestInput, type ReturnToCreditResult, returnToCreditFlow } from '../src/flows/return-to-credit/index.js';
import { type R2cWorld, startR2cWorld } from '../src/flows/return-to-credit/testing/harness.js';
import { silentLogger } from '../src/kernel/index.js';
import { type ShopifySim, startShopifySim } from '../src/sim/shopify/index.js';

/**
 * Return-to-credit against the Shopify simulator: a credited return of a Shopify order becomes one
 * refund on that order, even when the refund step times out after Shopify applied it and is retried.
 */
let w: R2cWorld;
let sim: ShopifySim;
let capture: HookedCapture;
let shop: ConnectorInstance<ShopifySettings, ShopifyCredentials>;
let flow: ReturnType<typeof returnToCreditFlow>;

beforeEach(async () => {
  w = await startR2cWorld({ receiveWithinMs: 60_000 });
  sim = await startShopifySim({ webhookRetryDelaysMs: [] });
  capture = new HookedCapture(1_000);
  shop = createConnectorInstance(
    shopifyConnector,
    'store-eu',
    { shopUrl: sim.url, timeoutMs: 1_000 },
    { accessToken: sim.accessToken, clientSecret: sim.clientSecret },
    { store: w.store, budgets: new BudgetRegistry(), capture, logger: silentLogger(), publish: async () => {} },
  );
  flow = returnToCreditFlow({ ...w.deps, channel: shopifyRefunds(shop, w.deps.channel) });
  w.engine.register(flow);
});
afterEach(async () => {
  await shop.close();
  await sim.close();
  await w.close();
});

function shopifyOrder() {
  return sim.createOrder({
    line_items: [
      { sku: 'SKU-A', title: 'Widget A', quantity: 3, price: '19.99' },
      { sku: 'SKU-B', title: 'Widget B', quantity: 1, price: '5.00' },
    ],
  });
}

const request = (returnId: string, order: string): ReturnRequestInput => ({
  returnId,
  source: { system: 'channel', ref: 'gid://shopify/Return/1' },
  order,
  customer: 'CUST-7',
  location: 'DC1',
  lines: [{ line: '1', item: 'SKU-A', quantity: 2, unitPrice: '19.99' }],
});

function receive(rma: string) {
  const asn = [...w.wms.state.asns.values()].find((a) => a.reference === rma);
  if (!asn) throw new Error(`no expected return ${rma}`);
  w.wms.receive(asn.id);
}

describe('return-to-credit with a Shopify channel', () => {
  it('a credited return refunds its lines on the Shopify order exactly once, although the first refund call timed out', async () => {
    const order = shopifyOrder();
    await w.engine.start(flow, request('R-S1', `shopify:store-eu:order:${order.id}`));
    await w.pump();
    expect(w.channel.current('R-S1')).toBe('authorized');
    expect(sim.state.orders.get(order.id)?.refunds).toEqual([]);

    // Shopify applies the refund but its answer never arrives; the step fails and the engine retries it.
    capture.onRecorded('refunds.plan', () => sim.faults.arm({ kind: 'timeout-after-commit' }, { pathIncludes: 'graphql.json' }));
    receive('RMA-R-S1');
    await w.settle();

    const view = await w.engine.get('return-to-credit', 'R-S1');
    expect(view?.status).toBe('completed');
    expect(view?.output as ReturnToCreditResult).toMatchObject({ outcome: 'credited', amount: '39.98' });
    const timedOut = capture.list().filter((c) => c.operation === 'refunds.create' && c.error?.includes('CD_ERR_CONNECTOR_TIMEOUT'));
    expect(timedOut).toHaveLength(1);

    const refunds = sim.state.orders.get(order.id)?.refunds ?? [];
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.refund_line_items.map((l) => [l.line_item.sku, l.quantity, l.restock_type])).toEqual([['SKU-A', 2, 'no_restock']]);
    expect(refunds[0]?.transactions[0]?.amount).toBe('39.98');
    expect(refunds[0]?.note).toMatch(/^Return R-S1 credited 39\.98 USD \(credit memo .+\) \[crossdock:r2c:R-S1\]$/);
    expect(sim.state.orders.get(order.id)?.financial_status).toBe('partially_refunded');
    // The status still reaches the other listeners, once per state.
    expect(w.channel.statuses.get('R-S1')?.map((s) => s.state)).toEqual(['authorized', 'refunded']);
  });

  it('a return of an order that is not Shopify’s only publishes its statuses', async () => {
    const order = shopifyOrder();
    await w.engine.start(flow, request('R-S2', 'SO-1001'));
    await w.pump();
    receive('RMA-R-S2');
    await w.settle();
    expect((await w.engine.get('return-to-credit', 'R-S2'))?.status).toBe('completed');
    expect(w.channel.statuses.get('R-S2')?.map((s) => s.state)).toEqual(['authorized', 'refunded']);
    expect(sim.state.orders.get(order.id)?.refunds).toEqual([]);
    expect(capture.list().filter((c) => c.operation?.startsWith('refunds.'))).toEqual([]);
  });
});

describe('shopifyOrderOf', () => {
  it('reads the Shopify order from a canonical Shopify order id or an Order GID, nothing else', () => {
    const source = { system: 'channel' as const, ref: 'gid://shopify/Return/1' };
    expect(shopifyOrderOf({ order: 'shopify:store-eu:order:5100000000123', source })).toBe('5100000000123');
    expect(shopifyOrderOf({ order: 'gid://shopify/Order/42', source })).toBe('42');
    expect(shopifyOrderOf({ order: 'SO-1', source: { system: 'channel', ref: 'gid://shopify/Order/7' } })).toBe('7');
    expect(shopifyOrderOf({ order: 'SO-1', source })).toBeUndefined();
    expect(shopifyOrderOf({ order: 'netsuite:erp:order:12', source: { system: 'crm', ref: '500000000000001' } })).toBeUndefined();
  });
});
