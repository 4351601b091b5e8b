import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createAvailabilityModule } from '../src/cli/runtime/modules/availability.module.js';
import { movement, testConfig } from '../src/domains/availability/testing/fixtures.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';
import { type ShopifySim, ShopifyStore, startShopifySim } from '../src/sim/shopify/index.js';
import { TEST_POSTGRES_URL } from '../src/store/testing/postgres.js';

/**
 * Two hub processes' worth of runtime (each its own store pool, event-log consumer and read model)
 * on one PostgreSQL schema and NATS JetStream: reservations from both never share a unit, each
 * process's answers follow the other's writes, and one of them publishes to Shopify.
 */
const schema = `cd_av_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const storeUrl = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

describe('availability in cluster mode', () => {
  const hubs: Hub[] = [];
  const dirs: string[] = [];
  let sim: ShopifySim;
  let key: string;
  const granted: string[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    sim = await startShopifySim({ webhookRetryDelaysMs: [] });
    sim.stock('CL-1', 0);
    const security = { tokenKey: randomBytes(32).toString('base64'), masterKeys: `k1:${randomBytes(32).toString('base64')}` };
    const module = createAvailabilityModule({
      setup: {
        policy: testConfig,
        topics: ['inventory'],
        followIntervalMs: 50,
        publish: {
          web: {
            connector: 'shopify',
            instance: `cluster-${schema}`,
            settings: { shopUrl: sim.url, timeoutMs: 2_000, defaultLocationId: String(sim.state.defaultLocation.id) },
            credentials: { accessToken: sim.accessToken, clientSecret: sim.clientSecret },
          },
        },
      },
    });
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'cd-av-cluster-'));
      dirs.push(dir);
      const config = loadConfig({
        env: {},
        overrides: {
          dataDir: dir,
          port: 0,
          store: storeUrl,
          bus: 'nats://127.0.0.1:4222',
          security,
          'eventlog.defaultPartitions': 2,
          // One JetStream namespace per run: another suite's streams are not ours.
          'eventlog.cluster': { streamPrefix: `${schema}_`, subjectPrefix: schema },
        },
      });
      hubs.push(await startHub(config, { logger: silentLogger(), modules: [module] }));
    }
    await hubs[0]?.identity.createPartner('acme', 'Acme Retail');
    key = (await hubs[0]?.identity.createApiKey('acme', ['availability:read']))?.key ?? '';
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    await sim?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const service = (i: number) => {
    const av = hubs[i]?.services.availability;
    if (!av) throw new Error(`hub ${i} has no availability service`);
    return av;
  };
  const available = async (i: number, channel: string): Promise<unknown> => {
    const res = await fetch(`${hubs[i]?.url}/v1/availability?items=CL-1&channel=${channel}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return res.json();
  };

  it('gives no unit to two orders when both processes reserve at once, and both answer the same', async () => {
    await hubs[0]?.eventlog.publish('inventory', [movement('receipt', 'CL-1', 'DAL', 20)]);
    await until(() => service(0).position('CL-1', 'DAL')?.onHand === 20 && service(1).position('CL-1', 'DAL')?.onHand === 20);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, n) =>
        service(n % 2).reserve({ order: `SO-CL-${n}`, channel: 'b2b', lines: [{ line: '1', item: 'CL-1', qty: 3 }] }),
      ),
    );
    for (const o of outcomes) if (o.status === 'fulfilled') granted.push(o.value.order);
    const refused = outcomes.filter(
      (o) =>
        o.status === 'rejected' && o.reason instanceof Error && 'code' in o.reason && o.reason.code === 'CD_ERR_AVAILABILITY_INSUFFICIENT',
    );
    // 20 units, 3 per order: exactly six orders fit, the rest are told there is not enough.
    expect(granted).toHaveLength(6);
    expect(refused).toHaveLength(6);
    await until(() => service(0).position('CL-1', 'DAL')?.reserved === 18 && service(1).position('CL-1', 'DAL')?.reserved === 18);
    for (const i of [0, 1]) {
      expect(await available(i, 'b2b')).toMatchObject({ items: [{ item: 'CL-1', available: 2 }] });
    }
  });

  it('publishes to Shopify from one process', async () => {
    // web: 20 on hand - 18 reserved - buffer 2 = 0.
    const shopify = () => {
      const level = sim.state.level(sim.state.inventoryItemForSku('CL-1').id, sim.state.defaultLocation.id);
      return level ? ShopifyStore.available(level) : undefined;
    };
    await until(() => shopify() === 0);
    // Released by the other process: 12 reserved, web sees 20 - 12 - 2 = 6, a move off zero that is pushed.
    for (const order of granted.slice(0, 2)) await service(1).release({ order });
    await until(() => shopify() === 6);
    await until(() => service(0).position('CL-1', 'DAL')?.reserved === 12);
    expect(await available(0, 'web')).toMatchObject({ items: [{ available: 6 }] });
    // Had both processes published, each figure would have reached Shopify twice.
    const itemId = sim.state.inventoryItemForSku('CL-1').id;
    const pushed = sim.state.adjustmentGroups.flatMap((g) =>
      g.changes.filter((c) => c.inventoryItemId === itemId && c.name === 'available').map((c) => c.quantityAfterChange),
    );
    expect(pushed.at(-1)).toBe(6);
    expect(pushed.filter((q, i) => i > 0 && q === pushed[i - 1])).toEqual([]);
  });
});
