import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import { type ShopifySim, startShopifySim } from './index.js';
import { dig, postGraphql } from './testing.js';

let sim: ShopifySim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const PAGE = (first: number) => `{ orders(first: ${first}) { edges { node { id name } } pageInfo { hasNextPage } } }`;

describe('Shopify sim: calculated query cost', () => {
  it('charges 2 + first per page, throttles when the bucket cannot cover the request, restores over time', async () => {
    const clock = new ManualClock();
    sim = await startShopifySim({ clock, throttle: { maximumAvailable: 50, restoreRate: 10 } });
    for (let i = 0; i < 25; i++) sim.createOrder();

    const first = await postGraphql(sim.graphqlUrl, sim.accessToken, PAGE(20));
    expect(first.body.extensions?.cost).toEqual({
      requestedQueryCost: 22,
      actualQueryCost: 22,
      throttleStatus: { maximumAvailable: 50, currentlyAvailable: 28, restoreRate: 10 },
    });
    await postGraphql(sim.graphqlUrl, sim.accessToken, PAGE(20));

    const throttled = await postGraphql(sim.graphqlUrl, sim.accessToken, PAGE(20));
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.errors).toEqual([
      { message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } },
    ]);
    expect(throttled.body.extensions?.cost).toEqual({
      requestedQueryCost: 22,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 50, currentlyAvailable: 6, restoreRate: 10 },
    });

    clock.advance(1_600);
    const restored = await postGraphql(sim.graphqlUrl, sim.accessToken, PAGE(20));
    expect(restored.body.errors).toBeUndefined();
    expect(restored.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(0);
  });

  it('refunds the difference when fewer nodes come back than requested', async () => {
    sim = await startShopifySim({ clock: new ManualClock(), throttle: { maximumAvailable: 100, restoreRate: 1 } });
    for (let i = 0; i < 3; i++) sim.createOrder();
    const reply = await postGraphql(sim.graphqlUrl, sim.accessToken, PAGE(50));
    expect(reply.body.extensions?.cost.requestedQueryCost).toBe(52);
    expect(reply.body.extensions?.cost.actualQueryCost).toBe(5);
    expect(reply.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(95);
  });

  it('rejects a query whose requested cost exceeds the single-query maximum without charging it', async () => {
    sim = await startShopifySim({ clock: new ManualClock() });
    const reply = await postGraphql(
      sim.graphqlUrl,
      sim.accessToken,
      '{ orders(first: 100) { nodes { id lineItems(first: 50) { nodes { sku } } } } }',
    );
    expect(reply.body.errors?.[0]?.extensions?.code).toBe('MAX_COST_EXCEEDED');
    expect(reply.body.errors?.[0]?.message).toMatch(/^Query cost is 5302, which exceeds the single query max cost limit \(1000\)/);
    expect(reply.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });

  it('lets a drained bucket be observed and refilled through the control API', async () => {
    const clock = new ManualClock();
    sim = await startShopifySim({ clock, throttle: { maximumAvailable: 100, restoreRate: 50 } });
    await fetch(`${sim.url}/_sim/throttle`, { method: 'POST', body: JSON.stringify({ drain: true }) });
    const throttled = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { name } }');
    expect(dig(throttled.body, 'errors', 0, 'extensions', 'code')).toBe('THROTTLED');
    clock.advance(100);
    const ok = await postGraphql(sim.graphqlUrl, sim.accessToken, '{ shop { name } }');
    expect(ok.body.data).toEqual({ shop: { name: 'Crossdock Sim Store' } });
    expect(ok.body.extensions?.cost.requestedQueryCost).toBe(1);
  });
});
