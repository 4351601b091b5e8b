import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createDemoModule } from '../src/cli/runtime/modules/demo.module.js';
import { hubModules } from '../src/cli/runtime/modules.js';
import { loadConfig, silentLogger } from '../src/kernel/index.js';

/**
 * A newcomer stops `npm start` and runs it again on the same ./data: the simulators start empty and
 * hand out the same ids again, while the store remembers the first run. Orders of the second run
 * must flow to invoices as well, none failing on the first run's bindings or ids.
 */
describe('the demo, started twice on one data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-demo-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(): Promise<{ hub: Hub; invoicedInThisRun: () => number }> {
    const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, demo: true, log: { level: 'silent' } } });
    const modules = hubModules.map((m) => (m.name === 'demo' ? createDemoModule({ env: { CROSSDOCK_DEMO_RATE: '3' } }) : m));
    const hub = await startHub(config, { logger: silentLogger(), modules });
    const demo = hub.services.demo;
    if (!demo) throw new Error('demo not running');
    const invoicedInThisRun = () => demo.network.netsuite.state.all('invoice').length;
    return { hub, invoicedInThisRun };
  }

  async function until(check: () => boolean, timeoutMs: number): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('keeps orders flowing on the second start', async () => {
    const first = await run();
    await until(() => first.invoicedInThisRun() >= 3, 25_000);
    await first.hub.stop();

    const second = await run();
    try {
      await until(() => second.invoicedInThisRun() >= 5, 25_000);
      const failed = await second.hub.store.db
        .selectFrom('wf_instances')
        .select(['key', 'error'])
        .where('flow', '=', 'order-to-cash')
        .where('status', '=', 'failed')
        .execute();
      expect(failed).toEqual([]);
      // Each run's orders carry that run's channel name (`shopify:store-<run>:order:<id>`), so the
      // second run's Shopify ids, which start over, never meet the first run's orders.
      const keys = await second.hub.store.db.selectFrom('wf_instances').select('key').where('flow', '=', 'order-to-cash').execute();
      expect(new Set(keys.map((k) => k.key.split(':')[1])).size).toBe(2);
      const invoiced = second.hub.services.demo?.network.netsuite.state.all('invoice') ?? [];
      const channelsInvoicedNow = new Set(invoiced.map((i) => String(i.externalId).split(':')[1]));
      expect(channelsInvoicedNow.size).toBe(1);
    } finally {
      await second.hub.stop();
    }
  }, 60_000);
});
