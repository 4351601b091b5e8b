/**
 * A hub process for the order-to-cash chaos test: embedded SQLite in `dataDir`, availability,
 * the WMS webhook receiver and the flows module on the simulators named in `info`. On every start
 * it (re)publishes the stock receipt and the orders with fixed event ids, so a restarted process
 * adds nothing twice. Prints `ready` once serving and `progress <final>` every 500 ms.
 *
 *   node flows-chaos-hub.ts '{"dataDir":"…","port":1234,"orders":1000,"info":{…}}'
 */
import { z } from 'zod';
import { startHub } from '../../src/cli/runtime/hub.js';
import { createFlowsModule } from '../../src/cli/runtime/modules/flows.module.js';
import { movement } from '../../src/domains/availability/testing/fixtures.js';
import { loadConfig, silentLogger } from '../../src/kernel/index.js';
import { chaosOrderId, loadAvailabilityModule, loadNetworkModule, loadOrderEvent, type NetworkInfo } from './flows-chaos-network.js';

const Config = z.object({ dataDir: z.string(), port: z.number().int(), orders: z.number().int().positive(), info: z.unknown() });

function isNetworkInfo(value: unknown): value is NetworkInfo {
  return typeof value === 'object' && value !== null && 'netsuite' in value && 'wms' in value && 'salesforce' in value;
}

async function main() {
  const config = Config.parse(JSON.parse(process.argv[2] ?? '{}'));
  if (!isNetworkInfo(config.info)) throw new Error('info: not a NetworkInfo');
  const hubConfig = loadConfig({ env: {}, overrides: { dataDir: config.dataDir, port: config.port, log: { level: 'silent' } } });
  const hub = await startHub(hubConfig, {
    logger: silentLogger(),
    modules: [
      loadAvailabilityModule(),
      loadNetworkModule(config.info, { withChannel: false }),
      createFlowsModule({ engine: { pollIntervalMs: 20, concurrency: 64, leaseMs: 5_000 } }),
    ],
  });
  await hub.eventlog.publish('inventory', [{ ...movement('receipt', 'SKU-A', 'WH1', 10_000_000), id: 'chaos-stock-receipt' }]);
  const events = Array.from({ length: config.orders }, (_, i) => {
    const id = chaosOrderId(i);
    return loadOrderEvent({
      id,
      eventId: `chaos-order-${id}`,
      source: 'crossdock://chaos',
      buyer: `Chaos buyer ${i}`,
      customerRef: `chaos-cust-${i}`,
      quantity: '1',
    });
  });
  for (let i = 0; i < events.length; i += 250) await hub.eventlog.publish('orders', events.slice(i, i + 250));
  process.stdout.write('ready\n');
  setInterval(() => {
    void hub.store.db
      .selectFrom('wf_instances')
      .select(['status'])
      .where('flow', '=', 'order-to-cash')
      .execute()
      .then((rows) => {
        const final = rows.filter((r) => r.status === 'completed').length;
        const failed = rows.filter((r) => r.status === 'failed' || r.status === 'cancelled').length;
        process.stdout.write(`progress ${final} ${failed} ${rows.length}\n`);
      })
      .catch(() => undefined);
  }, 500);
}

main().catch((err: unknown) => {
  process.stderr.write(`chaos hub failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
