import { afterEach, describe, expect, it } from 'vitest';
import { createCanonicalEventCatalog } from '../canonical/index.js';
import { SqlEventLog } from '../eventlog/index.js';
import { ManualClock, silentLogger } from '../kernel/index.js';
import { createMetrics } from '../observability/index.js';
import type { SqliteStore } from '../store/index.js';
import { SqliteStore as Sqlite } from '../store/index.js';
import { createGateway } from './app.js';
import type { GatewayApp } from './types.js';
import { deprecationHeader, installVersioning, sunsetHeader, versionedRoute } from './versioning.js';

const DEPRECATED = Date.parse('2026-06-01T00:00:00Z');
const SUNSET = Date.parse('2026-12-01T00:00:00Z');

let app: GatewayApp | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
  app = undefined;
  store = undefined;
});

async function build(clock: ManualClock): Promise<GatewayApp> {
  const opened = Sqlite.open({ file: ':memory:' });
  store = opened;
  await opened.migrate();
  const eventlog = new SqlEventLog({ store: opened, catalog: createCanonicalEventCatalog(), logger: silentLogger() });
  const gw = createGateway({
    logger: silentLogger(),
    metrics: createMetrics({ eventlog }),
    status: { version: 't', readiness: async () => [] },
  });
  installVersioning(
    gw,
    [{ version: 'v1', deprecatedAt: DEPRECATED, sunsetAt: SUNSET, link: 'https://docs.example/migrate-v2', successor: 'v2' }],
    {
      clock,
    },
  );
  // v2 renamed `qty` to `quantity`; v1 clients keep sending and receiving `qty`.
  versionedRoute<{ sku: string; quantity: number }>(gw, {
    method: 'POST',
    path: '/widgets/:sku',
    config: { public: true },
    handler: async (request) => {
      const body = request.body as { quantity: number };
      return { sku: (request.params as { sku: string }).sku, quantity: body.quantity * 2 };
    },
    versions: {
      v1: {
        request: (b) => ({ quantity: (b as { qty: number }).qty }),
        response: (c) => ({ sku: c.sku, qty: c.quantity }),
      },
      v2: {},
    },
  });
  await gw.ready();
  app = gw;
  return gw;
}

describe('API versioning', () => {
  it('formats Deprecation as an RFC 9745 date and Sunset as an RFC 8594 HTTP-date', () => {
    expect(deprecationHeader(DEPRECATED)).toBe('@1780272000');
    expect(sunsetHeader(SUNSET)).toBe('Tue, 01 Dec 2026 00:00:00 GMT');
  });

  it('serves two versions side by side, announcing the deprecation only on the old one', async () => {
    const clock = new ManualClock(Date.parse('2026-07-01T00:00:00Z'));
    const app = await build(clock);
    const v1 = await app.inject({ method: 'POST', url: '/v1/widgets/W-1', payload: { qty: 3 } });
    expect(v1.statusCode).toBe(200);
    expect(v1.json()).toEqual({ sku: 'W-1', qty: 6 });
    expect(v1.headers.deprecation).toBe('@1780272000');
    expect(v1.headers.sunset).toBe('Tue, 01 Dec 2026 00:00:00 GMT');
    expect(v1.headers.link).toBe(
      '<https://docs.example/migrate-v2>; rel="deprecation"; type="text/html", </v2/widgets/W-1>; rel="successor-version"',
    );
    const v2 = await app.inject({ method: 'POST', url: '/v2/widgets/W-1', payload: { quantity: 3 } });
    expect(v2.json()).toEqual({ sku: 'W-1', quantity: 6 });
    expect(v2.headers.deprecation).toBeUndefined();
    expect(v2.headers.sunset).toBeUndefined();
  });

  it('answers 410 Gone on a version past its sunset while the successor keeps serving', async () => {
    const clock = new ManualClock(SUNSET + 1);
    const app = await build(clock);
    const v1 = await app.inject({ method: 'POST', url: '/v1/widgets/W-1', payload: { qty: 3 } });
    expect(v1.statusCode).toBe(410);
    expect(v1.headers['content-type']).toContain('application/problem+json');
    expect(v1.json()).toMatchObject({ code: 'CD_ERR_API_VERSION_RETIRED' });
    expect(v1.json().detail).toContain('/v2/widgets/W-1');
    const v2 = await app.inject({ method: 'POST', url: '/v2/widgets/W-1', payload: { quantity: 1 } });
    expect(v2.statusCode).toBe(200);
  });
});
