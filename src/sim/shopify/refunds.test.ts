import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ShopifySim, startShopifySim } from './index.js';
import { dig, postGraphql } from './testing.js';

let sim: ShopifySim;
beforeEach(async () => {
  sim = await startShopifySim();
});
afterEach(async () => {
  await sim.close();
});

const REFUND = `mutation Refund($input: RefundInput!) {
  refundCreate(input: $input) {
    refund {
      id note
      totalRefundedSet { shopMoney { amount currencyCode } }
      refundLineItems(first: 10) { nodes { quantity restockType lineItem { id sku } } }
    }
    userErrors { field message }
  }
}`;

const lineGid = (id: number | undefined) => `gid://shopify/LineItem/${id}`;

describe('Shopify sim: refundCreate', () => {
  it('refunds line quantities at their price, charges the mutation cost, and lists the refund on the order', async () => {
    // Default lines: 6 × PALLET-WRAP-500 at 18.50 and 24 × TAPE-BRN-48 at 1.95.
    const order = sim.createOrder();
    const [wrap, tape] = order.line_items;
    const reply = await postGraphql(sim.graphqlUrl, sim.accessToken, REFUND, {
      input: {
        orderId: order.admin_graphql_api_id,
        note: 'Return R-1',
        refundLineItems: [
          { lineItemId: lineGid(wrap?.id), quantity: 2, restockType: 'NO_RESTOCK' },
          { lineItemId: lineGid(tape?.id), quantity: 4, restockType: 'NO_RESTOCK' },
        ],
        transactions: [],
      },
    });
    expect(reply.status).toBe(200);
    expect(dig(reply.body.data, 'refundCreate', 'userErrors')).toEqual([]);
    const refund = dig(reply.body.data, 'refundCreate', 'refund');
    expect(dig(refund, 'id')).toMatch(/^gid:\/\/shopify\/Refund\/\d+$/);
    expect(dig(refund, 'note')).toBe('Return R-1');
    // 2 × 18.50 + 4 × 1.95
    expect(dig(refund, 'totalRefundedSet', 'shopMoney')).toEqual({ amount: '44.80', currencyCode: 'USD' });
    expect(dig(refund, 'refundLineItems', 'nodes')).toEqual([
      { quantity: 2, restockType: 'NO_RESTOCK', lineItem: { id: lineGid(wrap?.id), sku: 'PALLET-WRAP-500' } },
      { quantity: 4, restockType: 'NO_RESTOCK', lineItem: { id: lineGid(tape?.id), sku: 'TAPE-BRN-48' } },
    ]);
    expect(reply.body.extensions?.cost.requestedQueryCost).toBe(10);

    const stored = sim.state.orders.get(order.id);
    expect(stored?.refunds).toHaveLength(1);
    expect(stored?.financial_status).toBe('partially_refunded');
    expect(stored?.line_items.map((l) => l.current_quantity)).toEqual([4, 20]);

    const read = await postGraphql(
      sim.graphqlUrl,
      sim.accessToken,
      `query($id: ID!) { order(id: $id) { refunds(first: 5) { id note totalRefundedSet { shopMoney { amount } } } lineItems(first: 5) { nodes { sku currentQuantity } } } }`,
      { id: order.admin_graphql_api_id },
    );
    expect(dig(read.body.data, 'order', 'refunds')).toEqual([
      { id: dig(refund, 'id'), note: 'Return R-1', totalRefundedSet: { shopMoney: { amount: '44.80' } } },
    ]);
    // order 1 + refunds(first: 5) × (totalRefundedSet 1 + shopMoney 1) + lineItems(first: 5) × node 1
    expect(read.body.extensions?.cost.requestedQueryCost).toBe(1 + (2 + 5 * 2) + (2 + 5 * 1));
    expect(dig(read.body.data, 'order', 'lineItems', 'nodes')).toEqual([
      { sku: 'PALLET-WRAP-500', currentQuantity: 4 },
      { sku: 'TAPE-BRN-48', currentQuantity: 20 },
    ]);
  });

  it('answers an unknown order, an unknown line item and a quantity above what is left with userErrors, changing nothing', async () => {
    const order = sim.createOrder();
    const [wrap] = order.line_items;
    const refund = (input: Record<string, unknown>) => postGraphql(sim.graphqlUrl, sim.accessToken, REFUND, { input });

    const noOrder = await refund({ orderId: 'gid://shopify/Order/1', refundLineItems: [{ lineItemId: lineGid(wrap?.id), quantity: 1 }] });
    expect(dig(noOrder.body.data, 'refundCreate')).toEqual({
      refund: null,
      userErrors: [{ field: ['orderId'], message: 'Order does not exist' }],
    });

    const noLine = await refund({
      orderId: order.admin_graphql_api_id,
      refundLineItems: [
        { lineItemId: lineGid(wrap?.id), quantity: 1 },
        { lineItemId: 'gid://shopify/LineItem/42', quantity: 1 },
      ],
    });
    expect(dig(noLine.body.data, 'refundCreate', 'userErrors')).toEqual([
      { field: ['refundLineItems', '1', 'lineItemId'], message: 'Line item does not exist' },
    ]);

    const tooMany = await refund({
      orderId: order.admin_graphql_api_id,
      refundLineItems: [{ lineItemId: lineGid(wrap?.id), quantity: 7 }],
    });
    expect(dig(tooMany.body.data, 'refundCreate', 'userErrors')).toEqual([
      { field: ['refundLineItems', '0', 'quantity'], message: 'Quantity cannot refund more items than were purchased' },
    ]);
    expect(dig(tooMany.body.data, 'refundCreate', 'refund')).toBeNull();

    // What was refunded before counts: 6 bought, 5 refunded, 2 more is too many.
    sim.refundOrder(order.id, [{ lineItemId: wrap?.id ?? 0, quantity: 5 }]);
    const afterPartial = await refund({
      orderId: order.admin_graphql_api_id,
      refundLineItems: [{ lineItemId: lineGid(wrap?.id), quantity: 2 }],
    });
    expect(dig(afterPartial.body.data, 'refundCreate', 'userErrors', 0, 'field')).toEqual(['refundLineItems', '0', 'quantity']);

    const stored = sim.state.orders.get(order.id);
    expect(stored?.refunds).toHaveLength(1);
    expect(stored?.line_items[0]?.current_quantity).toBe(1);
  });

  it('a malformed RefundInput is INVALID_VARIABLE with no data', async () => {
    const order = sim.createOrder();
    const reply = await postGraphql(sim.graphqlUrl, sim.accessToken, REFUND, {
      input: { orderId: order.admin_graphql_api_id, refundLineItems: [{ lineItemId: 'x', quantity: 1, restockType: 'SOMETIMES' }] },
    });
    expect(reply.body.errors?.[0]?.extensions?.code).toBe('INVALID_VARIABLE');
    expect(sim.state.orders.get(order.id)?.refunds).toEqual([]);
  });
});
