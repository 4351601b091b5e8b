import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type SalesOrder, SalesOrderV1 } from '../../src/canonical/index.js';
import { type Hub, startHub } from '../../src/cli/runtime/hub.js';
import { createAvailabilityModule } from '../../src/cli/runtime/modules/availability.module.js';
import { salesOrderFromShopify } from '../../src/connectors/shopify/index.js';
import { movement } from '../../src/domains/availability/testing/fixtures.js';
import { ExceptionQueue } from '../../src/domains/exceptions/index.js';
import { defaultRules, MasterData } from '../../src/domains/masterdata/index.js';
import { CreditLedger, createOrderToCashFlow, type O2cPolicyInput, OrderHeldEvent, OrderToCash } from '../../src/flows/index.js';
import { createLogger, defineError, loadConfig, silentLogger } from '../../src/kernel/index.js';
import { WorkflowEngine } from '../../src/workflow/index.js';
import { networkModule, startNetwork } from '../flows-o2c-network.js';

/** The error an armed fault throws after the real call succeeded (its answer is "lost"). */
export const InjectedFault = defineError('CD_ERR_TEST_O2C_INJECTED', { class: 'permanent', title: 'Injected test fault' });

/**
 * Named faults, each firing once: `<port>.<method>` or `<port>.<method>:<detail>` (the detail
 * names a CRM milestone status, an event type or an exception category). The wrapped call runs for
 * real first, so the side effect exists when the step fails.
 */
export class FaultPlan {
  private readonly armed = new Set<string>();
  readonly fired: string[] = [];

  arm(name: string): void {
    this.armed.add(name);
  }

  /** Wraps an object: its async methods run, then throw if their fault is armed. Sync methods pass through. */
  wrap<T extends object>(target: T, port: string): T {
    const plan = this;
    return new Proxy(target, {
      get(obj, prop, receiver) {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          const out: unknown = value.apply(obj, args);
          if (!(out instanceof Promise)) return out;
          return out.then((result: unknown) => {
            for (const name of [`${port}.${prop}`, `${port}.${prop}:${detailOf(args)}`]) {
              if (!plan.armed.delete(name)) continue;
              plan.fired.push(name);
              throw InjectedFault(`injected fault after ${name}`, { fault: name });
            }
            return result;
          });
        };
      },
    });
  }
}

const Detail = z.union([
  z.object({ status: z.string() }).transform((m) => m.status),
  z.object({ category: z.string() }).transform((r) => r.category),
  z.array(z.object({ type: z.string() })).transform((events) => events[0]?.type ?? ''),
]);

/** What tells calls of one method apart: a milestone's status, an exception's category, an event's type. */
function detailOf(args: readonly unknown[]): string {
  for (const a of args) {
    const d = Detail.safeParse(a);
    if (d.success) return d.data;
  }
  return '';
}

/** Stock seeded per world: plenty of SKU-A (the test orders' item). */
export const STOCK_UNITS = 1_000_000;

export interface O2cWorldOptions {
  policy?: O2cPolicyInput;
  engine?: { concurrency?: number; pollIntervalMs?: number };
}

/**
 * An embedded hub with availability and the WMS webhook receiver, the four simulators, and an
 * order-to-cash engine whose every dependency goes through a {@link FaultPlan}.
 */
export async function startO2cWorld(options: O2cWorldOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cd-o2c-world-'));
  const net = await startNetwork();
  const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
  const hub: Hub = await startHub(config, {
    logger: silentLogger(),
    modules: [
      createAvailabilityModule({
        setup: {
          policy: {
            locations: [{ code: 'WH1', timeZone: 'UTC', calendar: { cutOffTime: '23:59' } }],
            channels: { web: { locations: ['WH1'] } },
          },
          topics: ['inventory', 'shipments'],
        },
      }),
      networkModule(net.info),
      { name: 'o2c-world-events', eventTypes: [OrderHeldEvent], start: async () => {} },
    ],
  });
  net.wms.subscribe(`${hub.url}/hooks/wms`, ['order.shipped', 'order.exception']);
  await hub.eventlog.publish('inventory', [movement('receipt', 'SKU-A', 'WH1', STOCK_UNITS)]);
  const ports = hub.services.flowPorts;
  const availability = hub.services.availability;
  if (!ports || !availability) throw new Error('the network or availability module did not start');

  const faults = new FaultPlan();
  const exceptions = new ExceptionQueue(hub.store);
  const masterdata = new MasterData(hub.store, { rules: defaultRules(ports.erp.system) });
  const credit = new CreditLedger(hub.store);
  const flow = createOrderToCashFlow({
    erp: faults.wrap(ports.erp, 'erp'),
    warehouse: faults.wrap(ports.warehouse, 'warehouse'),
    ...(ports.crm ? { crm: faults.wrap(ports.crm, 'crm') } : {}),
    channels: (ports.channels ?? []).map((c) => faults.wrap(c, 'channel')),
    stock: faults.wrap(availability, 'stock'),
    exceptions: faults.wrap(exceptions, 'exceptions'),
    events: faults.wrap(hub.eventlog, 'events'),
    masterdata: faults.wrap(masterdata, 'masterdata'),
    credit: faults.wrap(credit, 'credit'),
    policy: { shipSlaMs: 60_000, ...options.policy },
  });
  const engine = new WorkflowEngine({
    store: hub.store,
    logger: process.env.O2C_DEBUG ? createLogger({ level: 'debug' }) : silentLogger(),
    pollIntervalMs: options.engine?.pollIntervalMs ?? 10,
    concurrency: options.engine?.concurrency ?? 16,
  });
  engine.register(flow);
  const o2c = new OrderToCash(engine, flow);
  o2c.subscribe(hub.eventlog, ['shipments'], 'o2c-world');
  engine.startWorkers();

  let shopifySeq = 0;
  const shopifyIds = new Map<string, number>();
  /** A Shopify order for `qty` x SKU-A, as the channel connector maps it (so the channel owns it). */
  function shopifyOrder(qty = 2): SalesOrder {
    shopifySeq += 1;
    const raw = net.shopify.createOrder({
      email: `buyer${shopifySeq}@example.com`,
      currency: 'USD',
      line_items: [{ sku: 'SKU-A', quantity: qty, price: '10.00', title: 'Widget A' }],
      shipping_address: { name: 'Ann Lee', address1: '1 Main St', city: 'Dallas', zip: '75201', country_code: 'US' },
      customer: { email: `buyer${shopifySeq}@example.com`, first_name: 'Ann', last_name: 'Lee' },
    });
    const order = SalesOrderV1.parse({ ...salesOrderFromShopify(raw, 'store'), channel: 'web' });
    shopifyIds.set(order.id, raw.id);
    return order;
  }

  const wmsOrder = (id: string) => [...net.wms.state.orders.values()].find((o) => o.reference === id);
  const NsLines = z.object({ items: z.array(z.object({ isClosed: z.boolean().optional() })) });

  /** What the simulators and the hub still hold for an order. */
  async function sideEffects(id: string) {
    const ns = net.netsuite.state.byExternalId('salesOrder', id);
    const nsLines = ns ? NsLines.parse(ns.item).items : [];
    const reservations = await hub.store.db.selectFrom('av_reservations').select(['status']).where('order_id', '=', id).execute();
    const exposure = await hub.store.db.selectFrom('flow_credit_exposure').select('order_id').where('order_id', '=', id).execute();
    return {
      erpOrder: ns === undefined ? 'none' : nsLines.every((l) => l.isClosed === true) ? 'closed' : 'open',
      wmsRelease: wmsOrder(id)?.status ?? 'none',
      reservations: reservations.map((r) => r.status),
      creditExposure: exposure.length,
      invoices: net.netsuite.state.all('invoice').filter((i) => i.externalId === `inv-${id}`).length,
    };
  }

  return {
    hub,
    net,
    engine,
    flow,
    o2c,
    faults,
    exceptions,
    shopifyOrder,
    /** The Shopify order behind a crossdock order made by `shopifyOrder`. */
    shopifyOrderOf: (id: string) => {
      const raw = shopifyIds.get(id);
      return raw === undefined ? undefined : net.shopify.state.orders.get(raw);
    },
    masterdata,
    wmsOrder,
    sideEffects,
    async close() {
      await engine.stop();
      await hub.stop();
      await net.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type O2cWorld = Awaited<ReturnType<typeof startO2cWorld>>;
