import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExceptionQueue } from '../../../domains/exceptions/index.js';
import { ManualClock, silentLogger } from '../../../kernel/index.js';
import { type OdooSim, startOdooSim } from '../../../sim/odoo/index.js';
import { type SalesforceSim, startSalesforceSim } from '../../../sim/salesforce/index.js';
import { startWmsSim, type WmsSim } from '../../../sim/wms/index.js';
import { SqliteStore } from '../../../store/index.js';
import { WorkflowEngine } from '../../../workflow/index.js';
import { deliverWarehouseReceipts, OdooRpc, WmsInbound } from '../../procure-to-pay/index.js';
import { faulty } from '../../procure-to-pay/testing/harness.js';
import { OdooReturns } from '../adapters/odoo-returns.js';
import { SalesforceCases } from '../adapters/salesforce-cases.js';
import { MemoryChannelRefunds, MemoryReturnStock } from '../adapters/stock-and-channel.js';
import { WmsReturns } from '../adapters/wms-returns.js';
import { ReturnPolicy, type ReturnPolicyInput } from '../documents.js';
import type { ReturnToCreditDeps } from '../ports.js';
import { R2C_SIGNALS } from '../return-to-credit.flow.js';

/** The return-to-credit world: store, engine on a manual clock, Odoo, WMS and Salesforce simulators. */
export interface R2cWorld {
  store: SqliteStore;
  clock: ManualClock;
  engine: WorkflowEngine;
  odoo: OdooSim;
  wms: WmsSim;
  salesforce: SalesforceSim;
  rpc: OdooRpc;
  stock: MemoryReturnStock;
  channel: MemoryChannelRefunds;
  exceptions: ExceptionQueue;
  deps: ReturnToCreditDeps;
  faults: Set<string>;
  policy: ReturnPolicyInput;
  pump(): Promise<void>;
  settle(maxMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startR2cWorld(policy: ReturnPolicyInput = {}): Promise<R2cWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-r2c-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const clock = new ManualClock(Date.parse('2026-11-22T08:00:00Z'));
  const engine = new WorkflowEngine({ store, logger: silentLogger(), clock, retry: { maxAttempts: 3, baseMs: 1000, maxMs: 1000 } });
  const [odoo, wms, salesforce] = await Promise.all([
    startOdooSim(),
    startWmsSim({ rateLimit: { limit: 1000, refillPerSecond: 1000 } }),
    startSalesforceSim(),
  ]);
  const rpc = new OdooRpc({ url: odoo.url, database: odoo.database, login: 'admin', apiKey: odoo.users[0]?.apiKeys[0] ?? '' });
  const exceptions = new ExceptionQueue(store, { clock });
  const inbound = new WmsInbound({ url: wms.url, apiKey: wms.apiKey });
  const stock = new MemoryReturnStock();
  const channel = new MemoryChannelRefunds();
  const faults = new Set<string>();
  const world: R2cWorld = {
    store,
    clock,
    engine,
    odoo,
    wms,
    salesforce,
    rpc,
    stock,
    channel,
    exceptions,
    faults,
    policy,
    deps: {
      erp: faulty(new OdooReturns(rpc), 'erp', faults),
      warehouse: faulty(new WmsReturns(inbound, exceptions), 'wms', faults),
      stock: faulty(stock, 'stock', faults),
      channel: faulty(channel, 'channel', faults),
      crm: faulty(
        new SalesforceCases({
          tokenUrl: salesforce.tokenUrl,
          dataUrl: salesforce.dataUrl,
          clientId: salesforce.clientId,
          clientSecret: salesforce.clientSecret,
        }),
        'crm',
        faults,
      ),
      exceptions,
      policy: () => ReturnPolicy.parse(world.policy),
    },
    async pump() {
      for (let i = 0; i < 3; i += 1) {
        await engine.drain();
        await deliverWarehouseReceipts(engine, inbound, R2C_SIGNALS.inspected, (ref) => ref.startsWith('RMA-'));
      }
      await engine.drain();
    },
    async settle(maxMs = 60_000) {
      await world.pump();
      for (let waited = 0; waited < maxMs; waited += 1000) {
        const due = await store.db
          .selectFrom('wf_instances')
          .select(['wake_at'])
          .where('status', 'in', ['suspended', 'compensating', 'running'])
          .where('wake_at', 'is not', null)
          .execute();
        if (due.length === 0) return;
        clock.advance(1000);
        await world.pump();
      }
    },
    async close() {
      await engine.stop();
      await Promise.all([odoo.close(), wms.close(), salesforce.close()]);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
