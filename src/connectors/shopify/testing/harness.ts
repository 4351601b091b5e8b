import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope } from '../../../canonical/index.js';
import { silentLogger } from '../../../kernel/index.js';
import { type ShopifySim, type ShopifySimOptions, startShopifySim } from '../../../sim/shopify/index.js';
import { SqliteStore } from '../../../store/index.js';
import {
  BudgetRegistry,
  type CaptureRecord,
  type ConnectorInstance,
  createConnectorInstance,
  MemoryCapture,
  type WebhookOutcome,
  type WebhookReceiver,
} from '../../sdk/index.js';
import type { ShopifyCredentials } from '../credentials.js';
import type { ShopifySettings } from '../settings.js';
import { shopifyConnector } from '../shopify.connector.js';

/** A capture that can run a hook when a given operation's exchange is recorded (to arm a fault in between calls). */
export class HookedCapture extends MemoryCapture {
  private hooks: Array<{ operation: string; run: () => void }> = [];
  onRecorded(operation: string, run: () => void): void {
    this.hooks.push({ operation, run });
  }
  override record(entry: Omit<CaptureRecord, 'id'>): void {
    super.record(entry);
    const index = this.hooks.findIndex((h) => h.operation === entry.operation);
    if (index >= 0) this.hooks.splice(index, 1)[0]?.run();
  }
}

export interface ShopifyHarness {
  sim: ShopifySim;
  store: SqliteStore;
  capture: HookedCapture;
  published: Envelope[];
  instance(overrides?: {
    settings?: Partial<ShopifySettings>;
    credentials?: Partial<ShopifyCredentials>;
    name?: string;
  }): ConnectorInstance<ShopifySettings, ShopifyCredentials>;
  close(): Promise<void>;
}

export async function startShopifyHarness(simOptions: ShopifySimOptions = {}): Promise<ShopifyHarness> {
  const sim = await startShopifySim({ webhookRetryDelaysMs: [], ...simOptions });
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-shopify-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const capture = new HookedCapture(10_000);
  const published: Envelope[] = [];
  const budgets = new BudgetRegistry();
  const instances: Array<ConnectorInstance<ShopifySettings, ShopifyCredentials>> = [];
  return {
    sim,
    store,
    capture,
    published,
    instance(overrides = {}) {
      const instance = createConnectorInstance(
        shopifyConnector,
        overrides.name ?? 'store-eu',
        { shopUrl: sim.url, timeoutMs: 1_000, ...overrides.settings },
        { accessToken: sim.accessToken, clientSecret: sim.clientSecret, ...overrides.credentials },
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
    },
    async close() {
      for (const i of instances) await i.close();
      await sim.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback endpoint that hands every delivery to a WebhookReceiver, the way the gateway will. */
export async function startWebhookEndpoint(
  receiver: WebhookReceiver,
): Promise<{ url: string; outcomes: WebhookOutcome[]; close(): Promise<void> }> {
  const outcomes: WebhookOutcome[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void receiver.receive(req.headers, Buffer.concat(chunks)).then((outcome) => {
        outcomes.push(outcome);
        res.writeHead(outcome.status).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/shopify`,
    outcomes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
