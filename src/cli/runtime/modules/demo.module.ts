import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { makeEvent, ReturnAuthorizationV1, ReturnRequestedEvent } from '../../../canonical/index.js';
import { connectNetwork } from '../../../flows/index.js';
import { asCrossdockError, toProblem } from '../../../gateway/index.js';
import { Errors, errorMessage } from '../../../kernel/index.js';
import {
  DEMO_SUPPLIER,
  DEMO_WAREHOUSE,
  type DemoNetwork,
  demoMinMaxRules,
  demoPositionOf,
  demoReturnRequest,
  demoSupplierCatalog,
  type ShippedOrder,
  startDemoNetwork,
  TrafficGenerator,
  type TrafficOptions,
} from '../../../sim/index.js';
import { DemoStats } from '../demo-summary.js';
import type { HubContext, HubModule } from '../modules.js';
import { createAvailabilityModule } from './availability.module.js';
import { wireProcurement } from './p2p-r2c.module.js';

/** What the demo offers the CLI and the console: the network, its traffic and the live counts. */
export interface DemoService {
  readonly network: DemoNetwork;
  readonly traffic: TrafficGenerator;
  readonly stats: DemoStats;
  /** The console login the demo made (an operator), when it could keep its password in the data directory. */
  readonly login?: { username: string; password: string; file: string };
}

/** The demo's console user. */
export const DEMO_USERNAME = 'demo';

/**
 * An operator login for the console: created on the first demo start with a random password, kept
 * in `<dataDir>/demo-login.txt` (owner-only), so later starts can show it again. Never a fixed password.
 */
async function demoLogin(ctx: HubContext): Promise<DemoService['login']> {
  const file = join(ctx.config.dataDir, 'demo-login.txt');
  const existing = await ctx.store.db.selectFrom('gw_users').select('username').where('username', '=', DEMO_USERNAME).executeTakeFirst();
  if (existing) {
    if (!existsSync(file)) return undefined;
    const password = readFileSync(file, 'utf8').trim();
    return password ? { username: DEMO_USERNAME, password, file } : undefined;
  }
  const password = randomBytes(12).toString('base64url');
  mkdirSync(ctx.config.dataDir, { recursive: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  await ctx.identity.createUser(DEMO_USERNAME, password, 'operator');
  return { username: DEMO_USERNAME, password, file };
}

/** Availability for the demo's one warehouse, used when the hub has no availability file of its own. */
export const DEMO_AVAILABILITY = {
  policy: {
    locations: [{ code: 'WH1', timeZone: 'America/Chicago', calendar: { cutOffTime: '23:59' } }],
    channels: { shopify: { locations: ['WH1'] }, web: { locations: ['WH1'] } },
  },
  topics: ['inventory', 'asns', 'receipts', 'shipments'],
};

/**
 * The simulators start empty on every run and hand out the same ids again, while the hub's store
 * remembers the last run's bindings (`netsuite:109` is some earlier customer). Skipping NetSuite's
 * ids past the highest one bound keeps a restarted demo from reusing them; placeholders are vendor
 * records, which the demo's flows never read.
 */
async function skipUsedNetSuiteIds(ctx: HubContext, network: DemoNetwork): Promise<void> {
  const rows = await ctx.store.db.selectFrom('md_xref').select('system_id').where('system', '=', 'netsuite').execute();
  const highest = rows.reduce((max, r) => Math.max(max, Number(r.system_id) || 0), 0);
  const firstFreeNow = 101 + network.items.length;
  for (let id = firstFreeNow; id <= highest; id += 1) network.netsuite.seed('vendor', { companyName: `Earlier demo run ${id}` });
}

/** Topics whose milestones the summary counts. */
export const DEMO_COUNTED_TOPICS = ['orders'];

const TrafficBody = z.strictObject({ ordersPerSecond: z.number().min(0).max(200) });

export interface DemoModuleOptions {
  /** Overrides of the traffic generator (tests); the order rate also comes from CROSSDOCK_DEMO_RATE. */
  traffic?: TrafficOptions;
  env?: NodeJS.ProcessEnv;
}

function rateFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.CROSSDOCK_DEMO_RATE;
  if (raw === undefined || raw === '') return undefined;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 0 || rate > 200) {
    throw Errors.config(`environment variable CROSSDOCK_DEMO_RATE: expected orders per second between 0 and 200, got "${raw}"`, {
      path: 'CROSSDOCK_DEMO_RATE',
    });
  }
  return rate;
}

/** The address simulators call the hub back on: loopback when the hub listens on every interface. */
function callbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * `crossdock start --demo` (docs/demo.md): starts the simulated sales ERP (NetSuite), 3PL WMS, CRM
 * (Salesforce), storefront (Shopify), purchasing ERP (Odoo) and supplier portal in this process;
 * gives order-to-cash its ports (`services.flowPorts`) and procure-to-pay and return-to-credit
 * theirs (`services.procurementWiring`); receives webhooks at /hooks/shopify and /hooks/wms; runs
 * the traffic generator once the gateway listens. Must run before the flows module. Without
 * `config.demo` it does nothing.
 */
export function createDemoModule(options: DemoModuleOptions = {}): HubModule {
  return {
    name: 'demo',
    async start(ctx: HubContext) {
      if (!ctx.config.demo) return;
      const logger = ctx.logger.child({ component: 'demo' });
      const env = options.env ?? process.env;
      const rate = rateFromEnv(env);
      const network = await startDemoNetwork();
      ctx.lifecycle.onStop('demo-network', () => network.close());
      await skipUsedNetSuiteIds(ctx, network);
      // Shopify's order ids restart with the simulator: a channel name per run keeps order ids new.
      const run = Date.now().toString(36).slice(-6);

      if (ctx.services.availability === undefined) {
        // No availability file: the demo brings a policy for its one warehouse.
        await createAvailabilityModule({ setup: DEMO_AVAILABILITY }).start(ctx);
      }
      const connected = connectNetwork(network.endpoints, {
        instances: { channel: `store-${run}` },
        store: ctx.store,
        budgets: ctx.budgets,
        logger,
        publish: (topic, events, tx) => ctx.eventlog.publish(topic, events, { tx }),
      });
      ctx.lifecycle.onStop('demo-connectors', () => connected.close());
      if (ctx.services.flowPorts !== undefined) logger.warn('flow ports were already set; the demo network replaces them');
      ctx.services.flowPorts = connected.ports;

      // Procure-to-pay and return-to-credit (the procurement-returns module, after flows) run on Odoo,
      // the supplier portal, the same 3PL and Salesforce; min/max reviews raise the purchase orders.
      ctx.services.procurementWiring = {
        ...wireProcurement(ctx, {
          odoo: network.endpoints.odoo,
          wms: { url: network.endpoints.wms.url, apiKey: network.endpoints.wms.apiKey },
          salesforce: {
            tokenUrl: network.endpoints.salesforce.tokenUrl,
            dataUrl: network.endpoints.salesforce.dataUrl,
            clientId: network.endpoints.salesforce.clientId,
            clientSecret: network.endpoints.salesforce.clientSecret,
          },
          suppliers: { [DEMO_SUPPLIER]: { channel: 'portal', portal: network.endpoints.supplier } },
          catalog: demoSupplierCatalog(network.items),
          defaultLocation: DEMO_WAREHOUSE,
          ...(connected.shopify ? { shopify: connected.shopify } : {}),
        }),
        minMax: { rules: demoMinMaxRules(network.items), positionOf: demoPositionOf(network), periodMs: 10_000 },
        pollMs: 1_000,
      };
      const requestReturn = async (shipped: ShippedOrder) => {
        const ra = demoReturnRequest(network, shipped, Date.now(), run);
        if (!ra) return;
        const data = ReturnAuthorizationV1.parse(ra);
        const key = `return/${data.rmaNumber}`;
        await ctx.eventlog.publish('returns', [
          makeEvent({
            source: `crossdock://connector/shopify/store-${run}`,
            type: ReturnRequestedEvent.type,
            subject: key,
            partitionkey: key,
            idempotencykey: `demo:${key}`,
            data,
          }),
        ]);
      };

      const traffic = new TrafficGenerator(network, {
        // Purchase orders keep stock up; counting stock in is a last resort so orders never stall.
        restock: { below: 8 },
        returns: { rate: 0.1, request: requestReturn },
        ...options.traffic,
        ...(rate !== undefined ? { ordersPerSecond: rate } : {}),
        onError: (err) => logger.warn({ err: errorMessage(err) }, 'demo traffic step failed'),
      });
      const exceptions = ctx.services.exceptions;
      const stats = new DemoStats({
        eventlog: ctx.eventlog,
        store: ctx.store,
        topics: DEMO_COUNTED_TOPICS,
        orderRate: () => traffic.rate,
        ...(exceptions ? { openExceptions: async () => (await exceptions.countsByCategory()).reduce((n, c) => n + c.open, 0) } : {}),
      });
      stats.subscribe();
      const login = await demoLogin(ctx);
      ctx.services.demo = { network, traffic, stats, ...(login ? { login } : {}) } satisfies DemoService;

      ctx.gateway.register(async (scope) => {
        scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
        for (const hook of connected.hooks) {
          // Public: each delivery is authenticated by the sender's signature, checked by the receiver.
          scope.post(`/hooks/${hook.system}`, { config: { public: true } }, async (request, reply) => {
            const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
            const outcome = await hook.receive(request.headers, raw);
            return reply.code(outcome.status).send({ outcome: outcome.outcome });
          });
        }
      });
      ctx.gateway.register(async (scope) => {
        scope.setErrorHandler((err, request, reply) => {
          const problem = toProblem(asCrossdockError(err), request.url);
          reply.code(problem.status).type('application/problem+json').send(problem);
        });
        scope.get('/v1/demo', { config: { scope: 'flows:read' } }, async () => ({
          ordersPerSecond: traffic.rate,
          traffic: traffic.counts,
          summary: await stats.snapshot(),
          systems: {
            netsuite: network.netsuite.url,
            wms: network.wms.url,
            salesforce: network.salesforce.url,
            shopify: network.shopify.url,
          },
        }));
        scope.put('/v1/demo/traffic', { config: { scope: 'flows:write' } }, async (request) => {
          const parsed = TrafficBody.safeParse(request.body);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const path = issue?.path.map(String).join('.') ?? '';
            throw Errors.validation(`traffic ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, {
              path,
              issues: [{ path, message: issue?.message ?? 'invalid' }],
            });
          }
          traffic.setRate(parsed.data.ordersPerSecond);
          return { ordersPerSecond: traffic.rate };
        });
      });

      // Webhooks and traffic start once the gateway listens (its port is known only then, e.g. --port 0).
      ctx.gateway.addHook('onListen', async () => {
        const address = ctx.gateway.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : ctx.config.port;
        const base = `http://${callbackHost(ctx.config.host)}:${port}`;
        for (const topic of ['orders/create', 'orders/cancelled', 'refunds/create'] as const) {
          network.shopify.subscribe(topic, `${base}/hooks/shopify`);
        }
        network.wms.subscribe(`${base}/hooks/wms`);
        traffic.start();
        logger.info({ ordersPerSecond: traffic.rate }, 'demo network running');
      });
      // Traffic stops first: the gateway closes before anything else on shutdown.
      ctx.gateway.addHook('onClose', async () => traffic.stop());
      ctx.lifecycle.onStop('demo-traffic', () => traffic.stop());
    },
  };
}

/** The demo module of a default hub: active only with `--demo` (config.demo). */
export const demoModule: HubModule = createDemoModule();
