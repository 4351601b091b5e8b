import { z } from 'zod';
import type { HubContext, HubModule } from '../src/cli/runtime/modules.js';
import { netsuiteConnector } from '../src/connectors/netsuite/index.js';
import { salesforceConnector } from '../src/connectors/salesforce/index.js';
import { BudgetRegistry, createConnectorInstance, WebhookReceiver } from '../src/connectors/sdk/index.js';
import { shopifyConnector } from '../src/connectors/shopify/index.js';
import { mapWmsDelivery, wmsConnector, wmsEventsTrigger } from '../src/connectors/wms/index.js';
import { type FlowPorts, netsuiteErp, salesforceCrm, shopifyChannel, wmsWarehouse } from '../src/flows/index.js';
import { startNetSuiteSim } from '../src/sim/netsuite/index.js';
import { startSalesforceSim } from '../src/sim/salesforce/index.js';
import { startShopifySim } from '../src/sim/shopify/index.js';
import { startWmsSim } from '../src/sim/wms/index.js';

/** Where the simulators listen and how to log in: enough for another process to build its ports. */
export const NetworkInfoSchema = z.object({
  netsuite: z.object({ url: z.string(), credentials: z.unknown() }),
  wms: z.object({ url: z.string(), apiKey: z.string(), webhookSecret: z.string() }),
  salesforce: z.object({ url: z.string(), clientId: z.string(), clientSecret: z.string() }),
  shopify: z.object({ url: z.string(), accessToken: z.string(), clientSecret: z.string() }),
});
export type NetworkInfo = z.infer<typeof NetworkInfoSchema>;

/** Items the ERP prices: SKU -> base price. */
export const PRICES: Record<string, number> = { 'SKU-A': 10, 'SKU-B': 25, 'SKU-C': 4.5 };

/** The simulators order-to-cash talks to, on loopback, with the ERP's items seeded. */
export async function startNetwork(
  options: { netsuiteConcurrency?: number; wmsWebhookRetryDelaysMs?: number[]; salesforceDailyApiLimit?: number } = {},
) {
  const netsuite = await startNetSuiteSim({ concurrencyLimit: options.netsuiteConcurrency ?? 50 });
  for (const [sku, price] of Object.entries(PRICES)) netsuite.seed('inventoryItem', { itemId: sku, externalId: sku, basePrice: price });
  const wms = await startWmsSim({
    rateLimit: { limit: 1_000_000, refillPerSecond: 1_000_000 },
    webhookRetryDelaysMs: options.wmsWebhookRetryDelaysMs ?? [200, 500, 1000, 2000, 4000, 8000],
  });
  const salesforce = await startSalesforceSim({
    queryBatchSize: 2000,
    ...(options.salesforceDailyApiLimit !== undefined ? { dailyApiLimit: options.salesforceDailyApiLimit } : {}),
  });
  const shopify = await startShopifySim({ webhookRetryDelaysMs: [] });
  const info: NetworkInfo = {
    netsuite: { url: netsuite.url, credentials: netsuite.credentials },
    wms: { url: wms.url, apiKey: wms.apiKey, webhookSecret: wms.webhookSecret },
    salesforce: { url: salesforce.url, clientId: salesforce.clientId, clientSecret: salesforce.clientSecret },
    shopify: { url: shopify.url, accessToken: shopify.accessToken, clientSecret: shopify.clientSecret },
  };
  return {
    netsuite,
    wms,
    salesforce,
    shopify,
    info,
    async close() {
      await Promise.all([netsuite.close(), wms.close(), salesforce.close(), shopify.close()]);
    },
  };
}

/**
 * A hub module giving the flows their ports (connector instances on the simulators) and receiving
 * the warehouse's webhooks at /hooks/wms, published on the `shipments` topic as canonical events.
 */
export function networkModule(
  info: NetworkInfo,
  options: {
    withCrm?: boolean;
    withChannel?: boolean;
    /** The WMS connector's own request budget; the real 3PL's 9 requests/s when absent. */
    wmsRateLimit?: { perSecond: number; burst: number };
  } = {},
): HubModule {
  return {
    name: 'o2c-network',
    async start(ctx: HubContext) {
      const deps = { store: ctx.store, budgets: new BudgetRegistry(), logger: ctx.logger, publish: async () => {} };
      const ns = createConnectorInstance(
        netsuiteConnector,
        'erp',
        { baseUrl: info.netsuite.url, concurrencyLimit: 50, timeoutMs: 5_000 },
        info.netsuite.credentials,
        deps,
      );
      const wms = createConnectorInstance(
        wmsConnector,
        'wh',
        { baseUrl: info.wms.url, timeoutMs: 5_000, ...(options.wmsRateLimit ? { rateLimit: options.wmsRateLimit } : {}) },
        { apiKey: info.wms.apiKey, webhookSecret: info.wms.webhookSecret },
        deps,
      );
      const sf = createConnectorInstance(
        salesforceConnector,
        'crm',
        {
          instanceUrl: info.salesforce.url,
          externalIdField: 'External_Id__c',
          rate: { perSecond: 100_000, burst: 100_000 },
          timeoutMs: 5_000,
        },
        {
          kind: 'client-credentials',
          clientId: info.salesforce.clientId,
          clientSecret: info.salesforce.clientSecret,
          loginUrl: info.salesforce.url,
          sessionTtlMinutes: 110,
        },
        deps,
      );
      const shop = createConnectorInstance(
        shopifyConnector,
        'store',
        { shopUrl: info.shopify.url, timeoutMs: 5_000 },
        { accessToken: info.shopify.accessToken, clientSecret: info.shopify.clientSecret },
        deps,
      );
      const ports: FlowPorts = {
        erp: netsuiteErp(ns, { priceCacheMs: 60_000 }),
        warehouse: wmsWarehouse(wms),
        ...(options.withCrm === false ? {} : { crm: salesforceCrm(sf) }),
        ...(options.withChannel === false ? {} : { channels: [shopifyChannel(shop)] }),
      };
      ctx.services.flowPorts = ports;
      const receiver = new WebhookReceiver({
        store: ctx.store,
        connector: 'wms',
        instance: 'wh',
        spec: wmsEventsTrigger.spec,
        secret: () => info.wms.webhookSecret,
        accept: async (delivery, tx) => {
          const events = mapWmsDelivery(delivery, wms.ctx);
          if (events.length > 0) await ctx.eventlog.publish('shipments', events, { tx });
        },
      });
      ctx.gateway.register(async (scope) => {
        scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
        scope.post('/hooks/wms', { config: { public: true } }, async (request, reply) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.from('');
          const outcome = await receiver.receive(request.headers, raw);
          return reply.code(outcome.status).send({ outcome: outcome.outcome });
        });
      });
      ctx.lifecycle.onStop('o2c-network', async () => {
        await Promise.all([ns.close(), wms.close(), sf.close(), shop.close()]);
      });
    },
  };
}
