import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orderTemplateSchema, type ShopifySim, startShopifySim } from './index.js';
import { dig, postGraphql } from './testing.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples');
const fixtureOrder = orderTemplateSchema.parse(
  JSON.parse(readFileSync(resolve(samples, 'ecommerce/shopify_python_api__order.json'), 'utf8')).order,
);

let sim: ShopifySim;
beforeEach(async () => {
  sim = await startShopifySim();
});
afterEach(async () => {
  await sim.close();
});

const ORDERS_PAGE = `
  query Orders($first: Int!, $after: String) {
    orders(first: $first, after: $after) {
      edges { cursor node { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('Shopify sim: authentication', () => {
  it('rejects a missing or wrong access token with Shopify 401 body and accepts the right one', async () => {
    const missing = await postGraphql(sim.graphqlUrl, undefined, '{ shop { name } }');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });

    const wrong = await postGraphql(sim.graphqlUrl, 'shpat_wrong', '{ shop { name } }');
    expect(wrong.status).toBe(401);

    const ok = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { name myshopifyDomain } }');
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ shop: { name: 'Crossdock Sim Store', myshopifyDomain: sim.shopDomain } });
    expect(ok.headers['x-shopify-api-version']).toBe('2025-01');
  });
});

describe('Shopify sim: orders', () => {
  it('walks every order through cursor pages with no gaps or repeats', async () => {
    const created = Array.from({ length: 7 }, () => sim.createOrder());
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const reply = await postGraphql(sim.graphqlUrl, sim.accessToken, ORDERS_PAGE, { first: 3, after });
      const edges = dig(reply.body.data, 'orders', 'edges');
      if (!Array.isArray(edges)) throw new Error('edges missing');
      for (const edge of edges) seen.push(String(dig(edge, 'node', 'id')));
      pages++;
      if (dig(reply.body.data, 'orders', 'pageInfo', 'hasNextPage') !== true) break;
      after = String(dig(reply.body.data, 'orders', 'pageInfo', 'endCursor'));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(created.map((o) => `gid://shopify/Order/${o.id}`));
  });

  it('serves a vendor sample order by GID with money as strings and big ids inside GIDs', async () => {
    const order = sim.createOrder(fixtureOrder);
    const reply = await postGraphql(
      sim.graphqlUrl,
      sim.accessToken,
      `query One($id: ID!) {
        order(id: $id) {
          id name legacyResourceId displayFulfillmentStatus
          totalPriceSet { shopMoney { amount currencyCode } }
          shippingAddress { city countryCodeV2 }
          lineItems(first: 10) { nodes { sku quantity } }
        }
      }`,
      { id: order.admin_graphql_api_id },
    );
    const data = dig(reply.body.data, 'order');
    expect(dig(data, 'id')).toMatch(/^gid:\/\/shopify\/Order\/\d{13}$/);
    expect(dig(data, 'legacyResourceId')).toBe(String(order.id));
    expect(dig(data, 'displayFulfillmentStatus')).toBe('UNFULFILLED');
    expect(dig(data, 'totalPriceSet', 'shopMoney')).toEqual({ amount: order.total_price, currencyCode: 'USD' });
    expect(dig(data, 'shippingAddress')).toEqual({ city: 'Louisville', countryCodeV2: 'US' });
    expect(dig(data, 'lineItems', 'nodes')).toEqual([
      { sku: 'IPOD2008GREEN', quantity: 1 },
      { sku: 'IPOD2008RED', quantity: 1 },
      { sku: 'IPOD2008BLACK', quantity: 1 },
    ]);
  });

  it('answers an unknown field with undefinedField and a malformed GID with a field error', async () => {
    const typo = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { nmae } }');
    expect(typo.status).toBe(200);
    expect(typo.body.errors?.[0]?.extensions?.code).toBe('undefinedField');
    expect(typo.body.data).toBeUndefined();

    const bad = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ order(id: "12345") { id } }');
    expect(bad.body.data).toEqual({ order: null });
    expect(bad.body.errors?.[0]?.message).toBe("Invalid global id '12345'");

    const syntax = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { name }');
    expect(syntax.body.errors?.[0]?.message).toMatch(/^Parse error on end of file/);
  });

  it('honours named fragments, aliases, @skip and operationName in a multi-operation document', async () => {
    const order = sim.createOrder();
    const res = await fetch(sim.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': sim.accessToken },
      body: JSON.stringify({
        operationName: 'Second',
        variables: { id: order.admin_graphql_api_id, hide: true },
        query: `
          query First { shop { name } }
          query Second($id: ID!, $hide: Boolean = false) {
            mine: order(id: $id) { ...OrderBits email @skip(if: $hide) ... on Order { __typename } }
          }
          fragment OrderBits on Order { name, legacyResourceId }`,
      }),
    });
    const body: unknown = await res.json();
    expect(dig(body, 'data')).toEqual({ mine: { name: order.name, legacyResourceId: String(order.id), __typename: 'Order' } });
  });

  it('filters orders with the search syntax subset and requires first or last', async () => {
    sim.createOrder();
    const second = sim.createOrder();
    const named = await postGraphql(sim.graphqlUrl, sim.accessToken, `{ orders(first: 5, query: "name:${second.name}") { nodes { id } } }`);
    expect(dig(named.body.data, 'orders', 'nodes')).toEqual([{ id: second.admin_graphql_api_id }]);

    const unbounded = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ orders { nodes { id } } }');
    expect(unbounded.body.errors?.[0]?.message).toBe('you must provide one of first or last');
  });
});

describe('Shopify sim: fulfillment', () => {
  it('creates a fulfillment from fulfillment orders and refuses to fulfil the same lines twice', async () => {
    sim.stock('PALLET-WRAP-500', 40);
    const order = sim.createOrder();
    const fos = await postGraphql(
      sim.graphqlUrl,
      sim.accessToken,
      `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 10) { nodes { id remainingQuantity sku } } } } } }`,
      { id: order.admin_graphql_api_id },
    );
    const fo = dig(fos.body.data, 'order', 'fulfillmentOrders', 'nodes', 0);
    expect(dig(fo, 'status')).toBe('OPEN');
    const foId = String(dig(fo, 'id'));
    const mutation = `mutation Ship($fulfillment: FulfillmentInput!) {
      fulfillmentCreate(fulfillment: $fulfillment) {
        fulfillment { id status trackingInfo(first: 1) { company number } }
        userErrors { field message }
      }
    }`;
    const variables = {
      fulfillment: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: foId }],
        trackingInfo: { company: 'UPS', number: '1Z999AA10123456784' },
      },
    };
    const created = await postGraphql(sim.graphqlUrl, sim.accessToken, mutation, variables);
    expect(dig(created.body.data, 'fulfillmentCreate', 'userErrors')).toEqual([]);
    expect(dig(created.body.data, 'fulfillmentCreate', 'fulfillment', 'status')).toBe('SUCCESS');
    expect(dig(created.body.data, 'fulfillmentCreate', 'fulfillment', 'trackingInfo')).toEqual([
      { company: 'UPS', number: '1Z999AA10123456784' },
    ]);
    expect(created.body.extensions?.cost.requestedQueryCost).toBe(10);

    expect(sim.state.orders.get(order.id)?.fulfillment_status).toBe('fulfilled');
    const item = [...sim.state.inventoryItems.values()].find((i) => i.sku === 'PALLET-WRAP-500')!;
    expect(sim.state.level(item.id, sim.state.defaultLocation.id)?.onHand).toBe(34);

    const again = await postGraphql(sim.graphqlUrl, sim.accessToken, mutation, variables);
    expect(dig(again.body.data, 'fulfillmentCreate', 'fulfillment')).toBeNull();
    expect(dig(again.body.data, 'fulfillmentCreate', 'userErrors', 0, 'message')).toMatch(/unfulfillable status= closed/);
  });
});

describe('Shopify sim: inventory', () => {
  const SET = `mutation Set($input: InventorySetQuantitiesInput!) {
    inventorySetQuantities(input: $input) {
      inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
      userErrors { code field message }
    }
  }`;

  it('sets available with compare-and-set, rejects a stale compareQuantity, and reads levels back', async () => {
    const level = sim.stock('TAPE-BRN-48', 10);
    const itemGid = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
    const locationGid = `gid://shopify/Location/${level.locationId}`;
    const input = (quantity: number, compareQuantity: number) => ({
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: itemGid, locationId: locationGid, quantity, compareQuantity }],
      },
    });

    const ok = await postGraphql(sim.graphqlUrl, sim.accessToken, SET, input(25, 10));
    expect(dig(ok.body.data, 'inventorySetQuantities', 'userErrors')).toEqual([]);
    expect(dig(ok.body.data, 'inventorySetQuantities', 'inventoryAdjustmentGroup', 'changes')).toEqual([
      { name: 'available', delta: 15, quantityAfterChange: 25 },
      { name: 'on_hand', delta: 15, quantityAfterChange: 25 },
    ]);

    const stale = await postGraphql(sim.graphqlUrl, sim.accessToken, SET, input(30, 10));
    expect(dig(stale.body.data, 'inventorySetQuantities', 'userErrors', 0, 'code')).toBe('COMPARE_QUANTITY_STALE');
    expect(dig(stale.body.data, 'inventorySetQuantities', 'inventoryAdjustmentGroup')).toBeNull();

    const badReason = await postGraphql(sim.graphqlUrl, sim.accessToken, SET, {
      input: {
        name: 'available',
        reason: 'because',
        ignoreCompareQuantity: true,
        quantities: [{ inventoryItemId: itemGid, locationId: locationGid, quantity: 1 }],
      },
    });
    expect(dig(badReason.body.data, 'inventorySetQuantities', 'userErrors', 0, 'code')).toBe('INVALID_REASON');

    const levels = await postGraphql(
      sim.graphqlUrl,
      sim.accessToken,
      `query($id: ID!) { inventoryItem(id: $id) { sku inventoryLevels(first: 5) { nodes { quantities(names: ["available", "on_hand"]) { name quantity } location { id } } } } }`,
      { id: itemGid },
    );
    expect(dig(levels.body.data, 'inventoryItem', 'inventoryLevels', 'nodes')).toEqual([
      {
        quantities: [
          { name: 'available', quantity: 25 },
          { name: 'on_hand', quantity: 25 },
        ],
        location: { id: locationGid },
      },
    ]);
  });

  it('reports a malformed mutation input as INVALID_VARIABLE without changing stock', async () => {
    const level = sim.stock('TAPE-BRN-48', 10);
    const reply = await postGraphql(sim.graphqlUrl, sim.accessToken, SET, {
      input: { name: 'available', reason: 'correction', quantities: [{ quantity: 3 }] },
    });
    expect(reply.body.errors?.[0]?.extensions?.code).toBe('INVALID_VARIABLE');
    expect(level.onHand).toBe(10);
  });
});
