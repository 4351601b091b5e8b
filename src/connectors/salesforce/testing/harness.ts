import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../kernel/index.js';
import { type SalesforceSim, startSalesforceSim } from '../../../sim/salesforce/index.js';
import { SqliteStore } from '../../../store/index.js';
import { BudgetRegistry, type ConnectorInstance, createConnectorInstance, MemoryCapture } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import { salesforceConnector } from '../salesforce.connector.js';
import type { SalesforceSettings } from '../settings.js';
import { simSettings } from './contract-harness.js';

export const jwtKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

export interface SalesforceTestEnv {
  sim: SalesforceSim;
  store: SqliteStore;
  capture: MemoryCapture;
  clientCredentials: SalesforceCredentials;
  jwtCredentials: SalesforceCredentials;
  instance(
    credentials?: SalesforceCredentials,
    settings?: Partial<SalesforceSettings>,
  ): ConnectorInstance<SalesforceSettings, SalesforceCredentials>;
  close(): Promise<void>;
}

/** A simulator (JWT key registered), a throw-away SQLite store and instances on them. */
export async function startSalesforceEnv(): Promise<SalesforceTestEnv> {
  const sim = await startSalesforceSim({ jwtPublicKey: jwtKeys.publicKey, queryBatchSize: 2000 });
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-sf-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const capture = new MemoryCapture(1000);
  const instances: Array<ConnectorInstance<SalesforceSettings, SalesforceCredentials>> = [];
  const clientCredentials: SalesforceCredentials = {
    kind: 'client-credentials',
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    loginUrl: sim.url,
    sessionTtlMinutes: 110,
  };
  const jwtCredentials: SalesforceCredentials = {
    kind: 'jwt-bearer',
    clientId: sim.clientId,
    username: sim.username,
    privateKeyPem: jwtKeys.privateKey,
    loginUrl: sim.url,
    audience: 'https://login.salesforce.com',
    sessionTtlMinutes: 110,
  };
  let n = 0;
  return {
    sim,
    store,
    capture,
    clientCredentials,
    jwtCredentials,
    instance(credentials = clientCredentials, settings = {}) {
      n += 1;
      const instance = createConnectorInstance(salesforceConnector, `test-${n}`, { ...simSettings(sim.url), ...settings }, credentials, {
        store,
        budgets: new BudgetRegistry(),
        logger: silentLogger(),
        capture,
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
