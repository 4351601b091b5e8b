import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Availability } from '../../../domains/availability/index.js';
import { movement, testConfig } from '../../../domains/availability/testing/fixtures.js';
import { ManualClock, silentLogger } from '../../../kernel/index.js';
import { SqliteStore } from '../../../store/index.js';
import type { GatewayApp } from '../../types.js';
import { availabilityRoutes } from './availability.route.js';

describe('GET /v1/availability and POST /v1/availability/promise', () => {
  const store = SqliteStore.open({ file: ':memory:' });
  let app: GatewayApp;

  beforeAll(async () => {
    await store.migrate();
    const availability = await Availability.open({
      store,
      policies: testConfig,
      clock: new ManualClock(Date.parse('2026-01-05T16:00:00Z')),
    });
    for (const [item, location, qty] of [
      ['SKU1', 'DAL', 10],
      ['SKU1', 'RNO', 5],
      ['SKU2', 'DAL', 3],
    ] as const) {
      await store.transaction((tx) => availability.applyInventoryEvent(movement('receipt', item, location, qty), tx));
    }
    app = Fastify({ loggerInstance: silentLogger() });
    availabilityRoutes(app, { availability });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers per location and in total', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/availability?items=SKU1,SKU2&channel=web' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      channel: 'web',
      items: [
        {
          item: 'SKU1',
          available: 11,
          locations: [
            { location: 'DAL', available: 8 },
            { location: 'RNO', available: 3 },
          ],
        },
        { item: 'SKU2', available: 1 },
      ],
    });
  });

  it('explains each figure on request', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/availability?items=SKU2&channel=web&explain=true' });
    expect(res.json().items[0].locations[0].explain).toEqual([
      { step: 'on hand', quantity: 3 },
      { step: 'allocated', quantity: 0 },
      { step: 'reserved', quantity: 0 },
      { step: 'quality hold', quantity: 0 },
      { step: 'excluded lots', quantity: 0, detail: 'none expiring by 2026-02-04' },
      { step: 'safety buffer', quantity: -2 },
    ]);
  });

  it('names an unknown item, an unknown channel and too many items as problem+json with paths', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/v1/availability?items=SKU1,NOPE&channel=fax' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json()).toMatchObject({
      type: '/problems/CD_ERR_VALIDATION',
      status: 422,
      code: 'CD_ERR_VALIDATION',
      errors: [
        { path: 'items[1]', message: 'unknown item NOPE' },
        { path: 'channel', message: expect.stringContaining('unknown channel fax') },
      ],
    });
    const many = Array.from({ length: 1001 }, () => 'SKU1').join(',');
    const tooMany = await app.inject({ method: 'GET', url: `/v1/availability?items=${many}&channel=web` });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors).toEqual([{ path: 'items', message: 'at most 1000 items per request, got 1001' }]);
    const missing = await app.inject({ method: 'GET', url: '/v1/availability?items=SKU1' });
    expect(missing.json().errors[0].path).toBe('channel');
  });

  it('promises dates for order lines', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/availability/promise',
      payload: { lines: [{ item: 'SKU1', qty: 2 }], shipTo: { country: 'US', postalCode: '75201' }, channel: 'web' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ complete: true, region: 'south', shipDate: '2026-01-05', deliveryDate: '2026-01-06' });
  });

  it('rejects negative and non-numeric quantities naming the line', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/availability/promise',
      payload: {
        lines: [
          { item: 'SKU1', qty: -2 },
          { item: 'SKU1', qty: 'ten' },
        ],
        shipTo: { region: 'south' },
        channel: 'web',
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['lines[0].qty', 'lines[1].qty']);
    const unknownItem = await app.inject({
      method: 'POST',
      url: '/v1/availability/promise',
      payload: { lines: [{ item: 'GHOST', qty: 1 }], shipTo: { region: 'south' }, channel: 'web' },
    });
    expect(unknownItem.json()).toMatchObject({ status: 422, errors: [{ path: 'lines[0].item', message: 'unknown item GHOST' }] });
  });
});
