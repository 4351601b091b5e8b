import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesOrderExample } from '../src/canonical/examples/orders.js';
import { makeEvent } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createObservabilityModule } from '../src/cli/runtime/modules/observability.module.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';
import { TEST_POSTGRES_URL } from '../src/store/testing/postgres.js';

/**
 * Two hub processes on PostgreSQL and NATS JetStream: the timeline projection is shared, and an SLA
 * breach raises exactly one exception (one leader runs the clocks), which either process serves.
 */
const schema = `cd_obs_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const storeUrl = `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

describe('observability in cluster mode', () => {
  const hubs: Hub[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const security = { tokenKey: randomBytes(32).toString('base64'), masterKeys: `k1:${randomBytes(32).toString('base64')}` };
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'cd-obs-cluster-'));
      dirs.push(dir);
      const config = loadConfig({
        env: {},
        overrides: {
          dataDir: dir,
          port: 0,
          store: storeUrl,
          bus: 'nats://127.0.0.1:4222',
          security,
          log: { level: 'silent' },
          'eventlog.defaultPartitions': 2,
          'eventlog.cluster': { streamPrefix: `${schema}_`, subjectPrefix: schema },
          observability: {
            tickMs: 50,
            timelines: { topics: ['orders'] },
            sla: [{ id: 'accept-fast', kind: 'order', from: 'received', to: 'accepted', within: '200ms' }],
          },
        },
      });
      hubs.push(await startHub(config, { logger: silentLogger(), modules: [createObservabilityModule()] }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  it('breaches an SLA once across the cluster and closes it when the milestone arrives', async () => {
    const [a, b] = hubs;
    if (!a || !b) throw new Error('hubs did not start');
    const orders = [1, 2, 3].map((n) => ({ ...salesOrderExample, id: `so-c${n}`, orderNumber: `SO-C${n}`, channelOrderId: `#C${n}` }));
    await a.eventlog.publish(
      'orders',
      orders.map((o) =>
        makeEvent({ type: 'crossdock.order.received.v1', source: 'crossdock://connector/shopify/eu', data: o, partitionkey: o.id }),
      ),
    );
    const deadline = Date.now() + 20_000;
    let breached: Awaited<ReturnType<NonNullable<Hub['services']['exceptions']>['list']>> = [];
    while (Date.now() < deadline) {
      breached = (await b.services.exceptions?.list({ categoryPrefix: 'sla.' })) ?? [];
      if (breached.length >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Let both processes tick a few more times: no second exception, no second occurrence.
    await new Promise((r) => setTimeout(r, 500));
    breached = (await a.services.exceptions?.list({ categoryPrefix: 'sla.' })) ?? [];
    expect(breached.map((e) => [e.subject, e.occurrences]).sort()).toEqual([
      ['order/so-c1', 1],
      ['order/so-c2', 1],
      ['order/so-c3', 1],
    ]);
    expect((await b.services.timelines?.search('#C2'))?.map((h) => h.id)).toEqual(['so-c2']);

    await b.eventlog.publish('orders', [
      makeEvent({ type: 'crossdock.order.accepted.v1', source: 'crossdock://flow/o2c', data: orders[1], partitionkey: 'so-c2' }),
    ]);
    const closeBy = Date.now() + 20_000;
    let open = 3;
    while (Date.now() < closeBy && open > 2) {
      open = ((await a.services.exceptions?.list({ categoryPrefix: 'sla.', status: 'open' })) ?? []).length;
      await new Promise((r) => setTimeout(r, 100));
    }
    const still = (await a.services.exceptions?.list({ categoryPrefix: 'sla.', status: 'open' })) ?? [];
    expect(still.map((e) => e.subject).sort()).toEqual(['order/so-c1', 'order/so-c3']);
  }, 60_000);
});
