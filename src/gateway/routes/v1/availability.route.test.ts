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

describe('availability as a partner sees it', () => {
  const store = SqliteStore.open({ file: ':memory:' });
  let app: GatewayApp;

  beforeAll(async () => {
    await store.migrate();
    const availability = await Availability.open({
      store,
      policies: testConfig,
      clock: new ManualClock(Date.parse('2026-01-05T16:00:00Z')),
    });
    await store.transaction((tx) => availability.applyInventoryEvent(movement('receipt', 'SKU-FENCE', 'DAL', 30), tx));
    app = Fastify({ loggerInstance: silentLogger() });
    app.decorateRequest('principal', undefined);
    // Stands in for the gateway's authentication: `x-partner` names the calling partner, or a user.
    app.addHook('onRequest', async (request) => {
      const partner = request.headers['x-partner'];
      request.principal =
        typeof partner === 'string'
          ? { kind: 'partner', partnerId: partner, scopes: new Set(['availability:read']), credential: 'test' }
          : { kind: 'user', username: 'ops', role: 'operator', scopes: new Set(['availability:read']), credential: 'test' };
    });
    availabilityRoutes(app, { availability });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const fenced = async (headers: Record<string, string>, query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/availability?items=SKU-FENCE&channel=web${query}`, headers });
    return { status: res.statusCode, body: res.json() };
  };

  it('applies the partner’s own customer policies and refuses another customer’s, naming the field', async () => {
    // KEY1 has 10 units fenced for it and no safety buffer (the web channel keeps 2): as KEY1 it
    // sees 12 more than anyone else.
    const own = await fenced({ 'x-partner': 'KEY1' }, '');
    const other = await fenced({ 'x-partner': 'acme' }, '');
    expect(own.status).toBe(200);
    expect(other.status).toBe(200);
    expect(own.body.items[0].available - other.body.items[0].available).toBe(12);
    expect((await fenced({ 'x-partner': 'KEY1' }, '&customer=KEY1')).body).toEqual(own.body);
    const refused = await fenced({ 'x-partner': 'acme' }, '&customer=KEY1');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'CD_ERR_AUTH_SCOPE', errors: [{ path: 'customer' }] });
    const promise = await app.inject({
      method: 'POST',
      url: '/v1/availability/promise',
      headers: { 'x-partner': 'acme' },
      payload: { lines: [{ item: 'SKU-FENCE', qty: 1 }], shipTo: { country: 'US' }, channel: 'web', customer: 'KEY1' },
    });
    expect(promise.statusCode).toBe(403);
    // An operator may look as any customer.
    expect((await fenced({}, '&customer=KEY1')).body).toEqual(own.body);
  });
});
