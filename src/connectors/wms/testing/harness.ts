import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope } from '../../../canonical/index.js';
import { silentLogger } from '../../../kernel/index.js';
import { startWmsSim, type WmsSim, type WmsSimOptions } from '../../../sim/wms/index.js';
import { SqliteStore } from '../../../store/index.js';
import {
  BudgetRegistry,
  type ConnectorInstance,
  createConnectorInstance,
  MemoryCapture,
  type WebhookOutcome,
  WebhookReceiver,
} from '../../sdk/index.js';
import type { WmsCredentials } from '../credentials.js';
import type { WmsSettings } from '../settings.js';
import { wmsEventsTrigger } from '../webhooks.js';
import { wmsConnector } from '../wms.connector.js';

export interface WmsHarness {
  sim: WmsSim;
  store: SqliteStore;
  capture: MemoryCapture;
  published: Envelope[];
  instance(overrides?: {
    settings?: Partial<WmsSettings>;
    credentials?: Partial<WmsCredentials>;
    name?: string;
  }): ConnectorInstance<WmsSettings, WmsCredentials>;
  /** A loopback endpoint feeding a WebhookReceiver, registered with the simulator. */
  webhooks(): Promise<{ url: string; outcomes: WebhookOutcome[]; receiver: WebhookReceiver }>;
  close(): Promise<void>;
}

export async function startWmsHarness(simOptions: WmsSimOptions = {}): Promise<WmsHarness> {
  const sim = await startWmsSim({ webhookRetryDelaysMs: [], ...simOptions });
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-wms-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const capture = new MemoryCapture(10_000);
  const published: Envelope[] = [];
  const budgets = new BudgetRegistry();
  const instances: Array<ConnectorInstance<WmsSettings, WmsCredentials>> = [];
  const servers: Server[] = [];
  const make: WmsHarness['instance'] = (overrides = {}) => {
    const instance = createConnectorInstance(
      wmsConnector,
      overrides.name ?? 'wh-leeds',
      { baseUrl: sim.url, timeoutMs: 300, ...overrides.settings },
      { apiKey: sim.apiKey, webhookSecret: sim.webhookSecret, ...overrides.credentials },
      {
        store,
        budgets,
        capture,
        logger: silentLogger(),
        publish: async (events) => {
          published.push(...events);
        },
      },
    );
    instances.push(instance);
    return instance;
  };
  return {
    sim,
    store,
    capture,
    published,
    instance: make,
    async webhooks() {
      const instance = make({ name: 'wh-leeds' });
      const receiver = new WebhookReceiver({
        store,
        connector: 'wms',
        instance: 'wh-leeds',
        spec: wmsEventsTrigger.spec,
        secret: () => wmsEventsTrigger.secret(instance.ctx.credentials),
        accept: async (delivery) => {
          published.push(...(await wmsEventsTrigger.map(delivery, instance.ctx)));
        },
      });
      const outcomes: WebhookOutcome[] = [];
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          void receiver.receive(req.headers, Buffer.concat(chunks)).then((outcome) => {
            outcomes.push(outcome);
            res.writeHead(outcome.status).end();
          });
        });
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/wms`;
      sim.subscribe(url);
      return { url, outcomes, receiver };
    },
    async close() {
      for (const i of instances) await i.close();
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await sim.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function salesOrder(id: string, lines: Array<[string, number]> = [['SKU-A', 3]]) {
  return {
    id,
    orderDate: '2026-01-05T09:00:00Z',
    currency: 'GBP',
    shipTo: { name: 'Ada Lovelace', line1: '12 Wharf Road', city: 'Leeds', postalCode: 'LS1 4DY', country: 'GB' },
    shipping: { carrier: { name: 'DHL', service: 'EXPRESS' } },
    lines: lines.map(([sku, qty], i) => ({ lineNumber: String(i + 1), item: { sku }, quantity: { value: String(qty), uom: 'EA' } })),
  };
}
