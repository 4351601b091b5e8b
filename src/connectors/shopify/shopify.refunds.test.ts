import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefundResult } from './operations/refunds.create.js';
import { type ShopifyHarness, startShopifyHarness } from './testing/harness.js';

let h: ShopifyHarness;
beforeAll(async () => {
  h = await startShopifyHarness();
});
afterAll(async () => {
  await h.close();
});

const requested = (operation: string) =>
  h.capture
    .list()
    .filter((c) => c.operation === operation && c.status === 200 && !c.error)
    .map((c) => JSON.parse(c.responseBody ?? '{}').extensions.cost.requestedQueryCost);

describe('refunds.create', () => {
  it('refunds the returned SKUs once, without restocking, with the key in the note; a second call returns the same refund', async () => {
    // Default lines: 6 × PALLET-WRAP-500 at 18.50 and 24 × TAPE-BRN-48 at 1.95.
    const order = h.sim.createOrder();
    const instance = h.instance();
    const input = {
      orderId: String(order.id),
      refundKey: `r2c:R-happy-${order.id}`,
      note: 'Return R-happy',
      lines: [
        { sku: 'PALLET-WRAP-500', quantity: 2 },
        { sku: 'TAPE-BRN-48', quantity: 3 },
      ],
    };
    const first = (await instance.invoke('refunds.create', input)) as RefundResult;
    const second = (await instance.invoke('refunds.create', input)) as RefundResult;
    expect(first).toEqual({ refundId: expect.stringMatching(/^\d+$/), amount: '42.85', currencyCode: 'USD' });
    expect(second).toEqual(first);
    const refunds = h.sim.state.orders.get(order.id)?.refunds ?? [];
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.note).toBe(`Return R-happy [crossdock:r2c:R-happy-${order.id}]`);
    expect(refunds[0]?.refund_line_items.map((l) => [l.line_item.sku, l.quantity, l.restock_type])).toEqual([
      ['PALLET-WRAP-500', 2, 'no_restock'],
      ['TAPE-BRN-48', 3, 'no_restock'],
    ]);
    // Our cost estimates are what Shopify requests, so the budget is charged right.
    expect(requested('refunds.plan').at(-1)).toBe(1 + 2 + 25 * 2 + 2 + 100);
    expect(requested('refunds.create').at(-1)).toBe(10);
  });

  it('a timeout after Shopify committed the refund never produces a second one', async () => {
    const order = h.sim.createOrder();
    const instance = h.instance();
    const input = { orderId: String(order.id), refundKey: `r2c:R-timeout-${order.id}`, lines: [{ sku: 'TAPE-BRN-48', quantity: 1 }] };
    // Let the planning query through, then swallow the answer to the mutation (which still commits).
    h.capture.onRecorded('refunds.plan', () => h.sim.faults.arm({ kind: 'timeout-after-commit' }, { pathIncludes: 'graphql.json' }));
    await expect(instance.invoke('refunds.create', input)).rejects.toMatchObject({
      code: 'CD_ERR_CONNECTOR_TIMEOUT',
      errorClass: 'retryable',
    });
    expect(h.sim.state.orders.get(order.id)?.refunds).toHaveLength(1);

    const retried = (await instance.invoke('refunds.create', input)) as RefundResult;
    const refunds = h.sim.state.orders.get(order.id)?.refunds ?? [];
    expect(refunds).toHaveLength(1);
    expect(retried.refundId).toBe(String(refunds[0]?.id));
    expect(requested('refunds.lookup').at(-1)).toBe(1 + 2 + 25 * 2);
  });

  it('finds an earlier refund by its key even without a binding (another instance name), and refunds nothing more', async () => {
    const order = h.sim.createOrder();
    const input = { orderId: String(order.id), refundKey: `r2c:R-rebound-${order.id}`, lines: [{ sku: 'TAPE-BRN-48', quantity: 2 }] };
    const first = (await h.instance({ name: 'store-a' }).invoke('refunds.create', input)) as RefundResult;
    const elsewhere = (await h.instance({ name: 'store-b' }).invoke('refunds.create', input)) as RefundResult;
    expect(elsewhere).toEqual(first);
    expect(h.sim.state.orders.get(order.id)?.refunds).toHaveLength(1);
  });

  it('maps failures to CD_ERR_ codes: unknown order, SKU over what is left, and Shopify userErrors with its words', async () => {
    const instance = h.instance();
    await expect(
      instance.invoke('refunds.create', { orderId: '1', refundKey: 'r2c:R-none', lines: [{ sku: 'X', quantity: 1 }] }),
    ).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_NOT_FOUND', details: { path: 'orderId' } });

    const order = h.sim.createOrder();
    await expect(
      instance.invoke('refunds.create', {
        orderId: String(order.id),
        refundKey: `r2c:R-over-${order.id}`,
        lines: [{ sku: 'PALLET-WRAP-500', quantity: 7 }],
      }),
    ).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_REJECTED', errorClass: 'permanent', details: { path: 'lines.0' } });

    const byId = await instance
      .invoke('refunds.create', {
        orderId: String(order.id),
        refundKey: `r2c:R-line-${order.id}`,
        lines: [{ lineItemId: '42', quantity: 1 }],
      })
      .catch((e: unknown) => e);
    expect(byId).toMatchObject({
      code: 'CD_ERR_CONNECTOR_REJECTED',
      errorClass: 'permanent',
      details: { path: 'refundLineItems.0.lineItemId', userErrors: [{ field: ['refundLineItems', '0', 'lineItemId'] }] },
    });
    expect(String((byId as Error).message)).toContain('Line item does not exist');
    expect(h.sim.state.orders.get(order.id)?.refunds).toEqual([]);

    await expect(
      instance.invoke('refunds.create', { orderId: String(order.id), refundKey: 'has space', lines: [{ sku: 'X', quantity: 1 }] }),
    ).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_MAPPING', errorClass: 'permanent' });
  });
});
