import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createAvailabilityModule } from '../src/cli/runtime/modules/availability.module.js';
import { adjusted, movement, shipment, testConfig } from '../src/domains/availability/testing/fixtures.js';
import { ExceptionQueue } from '../src/domains/exceptions/index.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';
import { type ShopifySim, ShopifyStore, startShopifySim } from '../src/sim/shopify/index.js';

/**
 * A real embedded hub with the availability module: events on the log move the ledger, the HTTP API
 * answers with an API key and its scope, the order service reserves, and changes reach the Shopify
 * simulator through the Shopify connector.
 */
describe('availability in a running hub', () => {
  let dir: string;
  let hub: Hub;
  let sim: ShopifySim;
  let key: string;
  let noScopeKey: string;
  let shopifyLocation: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-av-hub-'));
    sim = await startShopifySim({ webhookRetryDelaysMs: [] });
    shopifyLocation = sim.state.defaultLocation.id;
    const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
    hub = await startHub(config, {
      logger: silentLogger(),
      modules: [
        {
          // The observability module offers the queue in a full hub; this stands in for it.
          name: 'exceptions',
          async start(ctx) {
            ctx.services.exceptions = new ExceptionQueue(ctx.store);
          },
        },
        createAvailabilityModule({
          setup: {
            policy: testConfig,
            topics: ['inventory', 'shipments'],
            publish: {
              web: {
                connector: 'shopify',
                instance: 'store-test',
                settings: { shopUrl: sim.url, timeoutMs: 2_000, defaultLocationId: String(shopifyLocation) },
                credentials: { accessToken: 'env:TEST_SHOPIFY_TOKEN', clientSecret: sim.clientSecret },
              },
            },
          },
          env: { TEST_SHOPIFY_TOKEN: sim.accessToken },
        }),
      ],
    });
    await hub.identity.createPartner('acme', 'Acme Retail');
    key = (await hub.identity.createApiKey('acme', ['availability:read'])).key;
    noScopeKey = (await hub.identity.createApiKey('acme', ['orders:read'])).key;
  });
  afterAll(async () => {
    await hub?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, bearer = key) => fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  const post = (path: string, body: unknown) =>
    fetch(`${hub.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const shopifyAvailable = (sku: string): number | undefined => {
    const item = [...sim.state.inventoryItems.values()].find((i) => i.sku === sku);
    const level = item ? sim.state.level(item.id, shopifyLocation) : undefined;
    return level ? ShopifyStore.available(level) : undefined;
  };
  async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('follows inventory events and answers GET /v1/availability with an API key', async () => {
    await hub.eventlog.publish('inventory', [movement('receipt', 'HUB-1', 'DAL', 40), movement('receipt', 'HUB-1', 'RNO', 5)]);
    await until(() => hub.services.availability?.position('HUB-1', 'RNO')?.onHand === 5);
    const res = await get('/v1/availability?items=HUB-1&channel=web');
    expect(res.status).toBe(200);
    // web keeps a buffer of 2 at each location.
    expect(await res.json()).toMatchObject({
      channel: 'web',
      items: [
        {
          item: 'HUB-1',
          available: 41,
          locations: [
            { location: 'DAL', available: 38 },
            { location: 'RNO', available: 3 },
          ],
        },
      ],
    });
    const oneSite = await get('/v1/availability?items=HUB-1&channel=web&locations=RNO');
    expect(await oneSite.json()).toMatchObject({
      items: [{ item: 'HUB-1', available: 3, locations: [{ location: 'RNO', available: 3 }] }],
    });
    const byBody = await post('/v1/availability/query', { channel: 'web', items: ['HUB-1'] });
    expect(byBody.status).toBe(200);
    expect(await byBody.json()).toMatchObject({ items: [{ item: 'HUB-1', available: 41 }] });
    const explained = await (await get('/v1/availability?items=HUB-1&channel=web&explain=true')).json();
    expect(explained).toMatchObject({
      items: [{ locations: [{ location: 'DAL', explain: expect.arrayContaining([{ step: 'safety buffer', quantity: -2 }]) }, {}] }],
    });
  });

  it('refuses a caller without a key or without the availability:read scope', async () => {
    expect((await fetch(`${hub.url}/v1/availability?items=HUB-1&channel=web`)).status).toBe(401);
    const forbidden = await get('/v1/availability?items=HUB-1&channel=web', noScopeKey);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain('availability:read');
  });

  it('answers bad input with a 422 problem naming the field', async () => {
    const unknownItem = await get('/v1/availability?items=HUB-1,NOPE&channel=web');
    expect(unknownItem.status).toBe(422);
    expect(unknownItem.headers.get('content-type')).toContain('application/problem+json');
    expect(await unknownItem.json()).toMatchObject({
      detail: expect.stringContaining('unknown item NOPE'),
      errors: [{ path: 'items[1]' }],
    });

    const tooMany = Array.from({ length: 1001 }, (_, i) => `S${i}`).join(',');
    const many = await get(`/v1/availability?items=${tooMany}&channel=web`);
    expect(many.status).toBe(422);
    expect(await many.json()).toMatchObject({ detail: expect.stringContaining('at most 1000 items') });

    const manyInBody = await post('/v1/availability/query', { channel: 'web', items: Array.from({ length: 1001 }, (_, i) => `SKU-${i}`) });
    expect(manyInBody.status).toBe(422);
    expect(await manyInBody.json()).toMatchObject({ errors: [{ path: 'items', message: 'at most 1000 items per request' }] });

    const location = await get('/v1/availability?items=HUB-1&channel=b2b&locations=DAL,RNO,MARS');
    expect(location.status).toBe(422);
    expect(await location.json()).toMatchObject({
      errors: [
        { path: 'locations[1]', message: "location RNO is not one of channel b2b's (DAL)" },
        { path: 'locations[2]', message: 'unknown location MARS' },
      ],
    });

    const channel = await get('/v1/availability?items=HUB-1&channel=fax');
    expect(channel.status).toBe(422);
    expect(await channel.json()).toMatchObject({ detail: expect.stringContaining('unknown channel fax') });

    const negative = await post('/v1/availability/promise', {
      channel: 'web',
      lines: [{ item: 'HUB-1', qty: -3 }],
      shipTo: { region: 'south' },
    });
    expect(negative.status).toBe(422);
    expect(await negative.json()).toMatchObject({ errors: [{ path: 'lines[0].qty' }] });

    const text = await post('/v1/availability/promise', {
      channel: 'web',
      lines: [{ item: 'HUB-1', qty: 'ten' }],
      shipTo: { region: 'south' },
    });
    expect(text.status).toBe(422);
    expect(await text.json()).toMatchObject({ errors: [{ path: 'lines[0].qty' }] });

    const nowhere = await post('/v1/availability/promise', {
      channel: 'web',
      lines: [{ item: 'HUB-1', qty: 1 }],
      shipTo: { region: 'moon' },
    });
    expect(nowhere.status).toBe(422);
    expect(await nowhere.json()).toMatchObject({ errors: [{ path: 'shipTo' }] });
  });

  it('promises ship and delivery dates over HTTP', async () => {
    const res = await post('/v1/availability/promise', {
      channel: 'web',
      lines: [{ item: 'HUB-1', qty: 10 }],
      shipTo: { country: 'US', postalCode: '75201' },
      at: '2026-01-06T15:00:00Z',
    });
    expect(res.status).toBe(200);
    // 09:00 in Dallas, before its 15:00 cut-off: ships today, one transit day to the south region.
    expect(await res.json()).toMatchObject({
      complete: true,
      region: 'south',
      shipDate: '2026-01-06',
      deliveryDate: '2026-01-07',
      lines: [{ item: 'HUB-1', promised: 10, sources: [{ location: 'DAL', qty: 10, from: 'stock' }] }],
    });
  });

  it('gives the order flows reserve, release and commit through services.availability', async () => {
    const av = hub.services.availability;
    if (!av) throw new Error('availability service not set');
    const r = await av.reserve({ order: 'SO-HUB', channel: 'b2b', lines: [{ line: '1', item: 'HUB-1', qty: 30 }] });
    expect(r.lines[0]?.reserved).toBe(30);
    await expect(av.reserve({ order: 'SO-HUB2', channel: 'b2b', lines: [{ line: '1', item: 'HUB-1', qty: 11 }] })).rejects.toMatchObject({
      code: 'CD_ERR_AVAILABILITY_INSUFFICIENT',
    });
    await av.commit({ order: 'SO-HUB' });
    await hub.eventlog.publish('shipments', [shipment('SH-HUB', 'DAL', 'SO-HUB', [{ item: 'HUB-1', qty: 30 }])]);
    await until(() => av.position('HUB-1', 'DAL')?.onHand === 10);
    expect(av.position('HUB-1', 'DAL')).toMatchObject({ onHand: 10, allocated: 0, reserved: 0 });
  });

  it('applies an event that drives on hand negative and raises it in the exception queue', async () => {
    await hub.eventlog.publish('inventory', [movement('receipt', 'HUB-NEG', 'RNO', 2), movement('pick', 'HUB-NEG', 'RNO', 5)]);
    await until(() => hub.services.availability?.position('HUB-NEG', 'RNO')?.onHand === -3);
    const open = await hub.services.exceptions?.list({ category: 'availability.negative-on-hand' });
    expect(open).toMatchObject([
      {
        category: 'availability.negative-on-hand',
        warehouse: 'RNO',
        title: 'on-hand of HUB-NEG at RNO went negative (-3) after pick from wms/test',
        detail: { before: 2, delta: -5, after: -3 },
      },
    ]);
    expect(await get('/v1/availability?items=HUB-NEG&channel=web&locations=RNO').then((r) => r.json())).toMatchObject({
      items: [{ available: 0 }],
    });
  });

  it('pushes changes that matter to Shopify through its connector', async () => {
    sim.stock('HUB-PUB', 0, shopifyLocation);
    await hub.eventlog.publish('inventory', [movement('receipt', 'HUB-PUB', 'DAL', 50)]);
    // web total: 50 - 2 (buffer at DAL); RNO has nothing.
    await until(() => shopifyAvailable('HUB-PUB') === 48);
    // A change of 1 unit is below web's minChange of 10 and crosses no threshold: not pushed.
    await hub.eventlog.publish('inventory', [adjusted('HUB-PUB', 'DAL', -1)]);
    await until(() => hub.services.availability?.position('HUB-PUB', 'DAL')?.onHand === 49);
    await new Promise((r) => setTimeout(r, 200));
    expect(shopifyAvailable('HUB-PUB')).toBe(48);
    // Falling under the low-stock level (5) is always pushed.
    await hub.eventlog.publish('inventory', [adjusted('HUB-PUB', 'DAL', -45)]);
    await until(() => shopifyAvailable('HUB-PUB') === 2);
  });
});
