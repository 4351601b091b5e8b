import { request } from 'undici';
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

const SET = `mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { inventoryAdjustmentGroup { reason } userErrors { code } }
}`;

function setInput(sim: ShopifySim, quantity: number) {
  const level = sim.stock('TAPE-BRN-48', 5);
  return {
    input: {
      name: 'on_hand',
      reason: 'cycle_count_available',
      ignoreCompareQuantity: true,
      quantities: [
        {
          inventoryItemId: `gid://shopify/InventoryItem/${level.inventoryItemId}`,
          locationId: `gid://shopify/Location/${level.locationId}`,
          quantity,
        },
      ],
    },
  };
}

describe('Shopify sim: armed faults', () => {
  it('answers an armed 429 with Retry-After and Shopify body, then serves normally', async () => {
    sim.faults.arm({ kind: 'status', status: 429, retryAfterSeconds: 2 }, { pathIncludes: '/graphql.json' });
    const limited = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { name } }');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.body).toEqual({
      errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
    });
    const ok = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { name } }');
    expect(ok.status).toBe(200);
  });

  it('answers an armed 503 with the vendor error body and applies nothing', async () => {
    const input = setInput(sim, 99);
    sim.faults.arm({ kind: 'status', status: 503 });
    const reply = await postGraphql(sim.graphqlUrl, sim.accessToken, SET, input);
    expect(reply.status).toBe(503);
    expect(reply.body).toEqual({ errors: 'Service Unavailable' });
    expect(sim.state.adjustmentGroups).toHaveLength(0);
  });

  it('applies a write and never answers when timeout-after-commit is armed', async () => {
    const input = setInput(sim, 42);
    sim.faults.arm({ kind: 'timeout-after-commit' }, { method: 'POST' });
    await expect(postGraphql(sim.graphqlUrl, sim.accessToken, SET, input, 300)).rejects.toThrow(/timeout/i);
    expect(sim.state.adjustmentGroups).toHaveLength(1);
    const level = [...sim.state.inventoryLevels.values()][0];
    expect(level?.onHand).toBe(42);
  });

  it('drops the connection without applying the write when drop is armed', async () => {
    const input = setInput(sim, 7);
    sim.faults.arm({ kind: 'drop' });
    await expect(postGraphql(sim.graphqlUrl, sim.accessToken, SET, input)).rejects.toThrow();
    expect(sim.state.adjustmentGroups).toHaveLength(0);
  });

  it('arms faults from another process through POST /_sim/faults and never faults the control API', async () => {
    const res = await request(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ arm: [{ fault: { kind: 'status', status: 500 }, times: 2 }] }),
    });
    expect(dig(await res.body.json(), 'pending')).toBe(2);
    const state = await request(`${sim.url}/_sim/state`);
    expect(state.statusCode).toBe(200);
    expect(dig(await state.body.json(), 'faultsPending')).toBe(2);
    const first = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { name } }');
    expect(first.status).toBe(500);
    expect(first.body).toEqual({ errors: 'Internal Server Error' });
  });
});
