import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExceptionQueue } from '../../../domains/exceptions/index.js';
import { defineError, ManualClock, silentLogger } from '../../../kernel/index.js';
import { type OdooSim, startOdooSim } from '../../../sim/odoo/index.js';
import { type SupplierSim, startSupplierSim } from '../../../sim/supplier/index.js';
import { startWmsSim, type WmsSim } from '../../../sim/wms/index.js';
import { SqliteStore } from '../../../store/index.js';
import { WorkflowEngine } from '../../../workflow/index.js';
import { MemoryInboundLedger } from '../adapters/ledgers.js';
import { OdooPurchasing } from '../adapters/odoo-purchasing.js';
import { EdiInboxReader, type EdiMailbox, EdiSupplierChannel, PortalInbox, PortalSupplierChannel } from '../adapters/supplier-channels.js';
import { WmsInbound } from '../adapters/wms-inbound.js';
import { SupplierPolicy, type SupplierPolicyInput } from '../documents.js';
import { deliverSupplierDocument, deliverWarehouseReceipts } from '../inbound.js';
import type { ProcureToPayDeps, SupplierChannel } from '../ports.js';

/** A permanent failure injected by tests (the call's effect may already exist). */
export const injected = defineError('CD_ERR_TEST_P2P_INJECTED', { class: 'permanent', title: 'Injected failure' });

/**
 * Wraps an object so that the method named in `faults` runs for real and then throws: the side
 * effect exists but the caller never hears of it (a timeout after commit), the hardest case for undo.
 * `name.method` fails on its next call, `name.method#n` on its n-th call.
 */
export function faulty<T extends object>(target: T, name: string, faults: Set<string>): T {
  const calls = new Map<string, number>();
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      const key = `${name}.${String(prop)}`;
      return async (...args: unknown[]) => {
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        const result: unknown = await Reflect.apply(value, obj, args);
        for (const fault of [key, `${key}#${n}`]) {
          if (faults.has(fault)) {
            faults.delete(fault);
            throw injected(`injected failure after ${key} (call ${n})`);
          }
        }
        return result;
      };
    },
  });
}

export const EDI_SUPPLIER = 'ACME';
export const PORTAL_SUPPLIER = 'BOLT';

/** The procure-to-pay world: store, engine on a manual clock, Odoo, WMS and supplier simulators. */
export interface P2pWorld {
  dir: string;
  store: SqliteStore;
  clock: ManualClock;
  engine: WorkflowEngine;
  odoo: OdooSim;
  wms: WmsSim;
  supplier: SupplierSim;
  erp: OdooPurchasing;
  warehouse: WmsInbound;
  ledger: MemoryInboundLedger;
  exceptions: ExceptionQueue;
  deps: ProcureToPayDeps;
  /** Method names (`erp.createPurchaseOrder`, `supplier.sendPurchaseOrder`, …) that fail once after running. */
  faults: Set<string>;
  policies: Record<string, SupplierPolicyInput>;
  /** Moves documents: supplier EDI inbox, supplier documents to the flows, WMS receipts to the flows, then runs the engine. */
  pump(): Promise<void>;
  /** Pumps, advancing the clock a step at a time while instances sleep, up to `maxMs`. */
  settle(maxMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startP2pWorld(policies: Record<string, SupplierPolicyInput> = {}): Promise<P2pWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-p2p-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const clock = new ManualClock(Date.parse('2026-11-22T08:00:00Z'));
  const engine = new WorkflowEngine({ store, logger: silentLogger(), clock, retry: { maxAttempts: 3, baseMs: 1000, maxMs: 1000 } });
  const odoo = await startOdooSim();
  const wms = await startWmsSim({ rateLimit: { limit: 1000, refillPerSecond: 1000 } });
  const ediDir = join(dir, 'supplier-edi');
  const supplier = await startSupplierSim({ ediDir, ids: { supplier: EDI_SUPPLIER, buyer: 'CROSSDOCK' } });
  const erp = new OdooPurchasing({ url: odoo.url, database: odoo.database, login: 'admin', apiKey: odoo.users[0]?.apiKeys[0] ?? '' });
  const warehouse = new WmsInbound({ url: wms.url, apiKey: wms.apiKey });
  const ledger = new MemoryInboundLedger();
  const exceptions = new ExceptionQueue(store, { clock });
  const mailbox: EdiMailbox = {
    outbound: join(ediDir, 'inbox'),
    inbound: join(ediDir, 'outbox'),
    ids: { buyer: 'CROSSDOCK', supplier: EDI_SUPPLIER },
  };
  const portal = { url: supplier.url, apiKey: supplier.apiKey };
  const faults = new Set<string>();
  const all: Record<string, SupplierPolicyInput> = {
    [EDI_SUPPLIER]: { channel: 'edi' },
    [PORTAL_SUPPLIER]: { channel: 'portal' },
    ...policies,
  };
  const channels: Record<'edi' | 'portal', SupplierChannel> = {
    edi: faulty(new EdiSupplierChannel(mailbox, clock), 'supplier', faults),
    portal: faulty(new PortalSupplierChannel(portal, 'CROSSDOCK'), 'supplier', faults),
  };
  const policyOf = (s: string) => SupplierPolicy.parse(all[s] ?? { channel: 'portal' });
  const deps: ProcureToPayDeps = {
    erp: faulty(erp, 'erp', faults),
    supplierChannel: (s) => channels[policyOf(s).channel],
    warehouse: faulty(warehouse, 'wms', faults),
    ledger: faulty(ledger, 'ledger', faults),
    exceptions,
    policy: policyOf,
  };
  const ediInbox = new EdiInboxReader(mailbox);
  const portalInbox = new PortalInbox(portal);
  const deliver = (doc: Parameters<typeof deliverSupplierDocument>[1]) => deliverSupplierDocument(engine, doc).then(() => undefined);

  async function pump() {
    for (let i = 0; i < 3; i += 1) {
      await engine.drain();
      supplier.processEdiInbox();
      await ediInbox.drain(deliver);
      await portalInbox.drain(deliver);
      await deliverWarehouseReceipts(engine, warehouse, undefined, (ref) => ref.startsWith('PO'));
    }
    await engine.drain();
  }

  async function settle(maxMs = 60_000) {
    await pump();
    for (let waited = 0; waited < maxMs; waited += 1000) {
      const due = await store.db
        .selectFrom('wf_instances')
        .select(['wake_at'])
        .where('status', 'in', ['suspended', 'compensating', 'running'])
        .where('wake_at', 'is not', null)
        .execute();
      if (due.length === 0) return;
      clock.advance(1000);
      await pump();
    }
  }

  return {
    dir,
    store,
    clock,
    engine,
    odoo,
    wms,
    supplier,
    erp,
    warehouse,
    ledger,
    exceptions,
    deps,
    faults,
    policies: all,
    pump,
    settle,
    async close() {
      await engine.stop();
      await Promise.all([odoo.close(), wms.close(), supplier.close()]);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
