import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../kernel/index.js';
import { type NetSuiteSim, startNetSuiteSim } from '../../../sim/netsuite/index.js';
import { SqliteStore } from '../../../store/index.js';
import { BudgetRegistry, type ConnectorInstance, createConnectorInstance } from '../../sdk/index.js';
import type { NetSuiteCredentials } from '../credentials.js';
import { netsuiteConnector } from '../netsuite.connector.js';
import type { NetSuiteSettings } from '../settings.js';
import { simSettings } from './contract-harness.js';

export interface NetSuiteTestEnv {
  sim: NetSuiteSim;
  store: SqliteStore;
  instance(
    settings?: Partial<NetSuiteSettings>,
    credentials?: NetSuiteCredentials,
  ): ConnectorInstance<NetSuiteSettings, NetSuiteCredentials>;
  close(): Promise<void>;
}

export async function startNetSuiteEnv(options: { processingDelayMs?: number } = {}): Promise<NetSuiteTestEnv> {
  const sim = await startNetSuiteSim({ concurrencyLimit: 5, processingDelayMs: options.processingDelayMs ?? 0 });
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-ns-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const instances: Array<ConnectorInstance<NetSuiteSettings, NetSuiteCredentials>> = [];
  let n = 0;
  return {
    sim,
    store,
    instance(settings = {}, credentials = sim.credentials) {
      n += 1;
      const instance = createConnectorInstance(netsuiteConnector, `test-${n}`, simSettings(sim.url, settings), credentials, {
        store,
        budgets: new BudgetRegistry(),
        logger: silentLogger(),
        publish: async () => {},
      });
      instances.push(instance);
      return instance;
    },
    async close() {
      for (const i of instances) await i.close();
      await sim.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
