import { type NetSuiteSim, startNetSuiteSim } from '../netsuite/index.js';
import { type OdooSim, startOdooSim } from '../odoo/index.js';
import { type SalesforceSim, startSalesforceSim } from '../salesforce/index.js';
import { type ShopifySim, startShopifySim } from '../shopify/index.js';
import { type SupplierSim, startSupplierSim } from '../supplier/index.js';
import { startWmsSim, type WmsSim } from '../wms/index.js';
import { DEMO_ITEMS, DEMO_WAREHOUSE, type DemoItem } from './catalog.js';

/** Where the demo systems listen and how to log in (the demo's own credentials, valid only on these simulators). */
export interface DemoEndpoints {
  netsuite: { url: string; credentials: unknown; concurrencyLimit: number };
  wms: { url: string; apiKey: string; webhookSecret: string };
  salesforce: { url: string; tokenUrl: string; dataUrl: string; clientId: string; clientSecret: string };
  shopify: { url: string; accessToken: string; clientSecret: string };
  /** Odoo: the purchasing and returns ERP (purchase orders, vendor bills, RMAs, credit memos). */
  odoo: { url: string; database: string; login: string; apiKey: string };
  /** The supplier's portal API. */
  supplier: { url: string; apiKey: string };
}

/** The simulated systems of the demo distributor, running in this process. */
export interface DemoNetwork {
  readonly netsuite: NetSuiteSim;
  readonly wms: WmsSim;
  readonly salesforce: SalesforceSim;
  readonly shopify: ShopifySim;
  readonly odoo: OdooSim;
  readonly supplier: SupplierSim;
  readonly items: readonly DemoItem[];
  readonly endpoints: DemoEndpoints;
  close(): Promise<void>;
}

export interface DemoNetworkOptions {
  /** Address the simulators listen on; loopback by default (each on an ephemeral port). */
  host?: string;
  items?: readonly DemoItem[];
}

/** Demo credentials: fixed, obviously fake, and accepted only by the simulators started here. */
const DEMO_CREDENTIALS = {
  wmsApiKey: 'wms_demo_0000000000000000',
  wmsWebhookSecret: 'whsec_demo_wms',
  shopifyToken: 'shpat_demo_00000000000000000000000000',
  shopifySecret: 'shpss_demo_client_secret',
  salesforceClientId: '3MVGdemo.crossdock.client',
  salesforceSecret: 'demo-client-secret',
  supplierKey: 'sup_demo_0000000000000000',
  odooKey: 'demo0000000000000000000000000000000000ff',
} as const;

/** The demo's one supplier (a portal supplier) and the price it charges per item: 60% of the sales price. */
export const DEMO_SUPPLIER = 'ACME-SUPPLY';

/** Webhook retries a few seconds apart: a hub that was busy or restarting catches up quickly. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
const NETSUITE_CONCURRENCY = 10;

/**
 * Starts NetSuite (sales ERP), a 3PL WMS, Salesforce (CRM), a Shopify store, Odoo (purchasing
 * and returns ERP) and a supplier portal on loopback ephemeral ports, with the demo items priced in the ERP. Stock is counted into the warehouse later, by the
 * traffic generator, once the hub receives the warehouse's webhooks.
 */
export async function startDemoNetwork(options: DemoNetworkOptions = {}): Promise<DemoNetwork> {
  const host = options.host ?? '127.0.0.1';
  const items = options.items ?? DEMO_ITEMS;
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const netsuite = await startNetSuiteSim({ host, concurrencyLimit: NETSUITE_CONCURRENCY });
    started.push(netsuite);
    for (const item of items) {
      netsuite.seed('inventoryItem', { itemId: item.sku, externalId: item.sku, displayName: item.title, basePrice: Number(item.price) });
    }
    const wms = await startWmsSim({
      host,
      apiKeys: [DEMO_CREDENTIALS.wmsApiKey],
      webhookSecret: DEMO_CREDENTIALS.wmsWebhookSecret,
      defaultWarehouse: DEMO_WAREHOUSE,
      rateLimit: { limit: 500, refillPerSecond: 500 },
      webhookRetryDelaysMs: RETRY_DELAYS_MS,
    });
    started.push(wms);
    const salesforce = await startSalesforceSim({
      host,
      clientId: DEMO_CREDENTIALS.salesforceClientId,
      clientSecret: DEMO_CREDENTIALS.salesforceSecret,
    });
    started.push(salesforce);
    const shopify = await startShopifySim({
      host,
      shopDomain: 'crossdock-demo.myshopify.com',
      shopName: 'Crossdock Demo Supply',
      accessTokens: [DEMO_CREDENTIALS.shopifyToken],
      clientSecret: DEMO_CREDENTIALS.shopifySecret,
      webhookRetryDelaysMs: RETRY_DELAYS_MS,
    });
    started.push(shopify);
    const odoo = await startOdooSim({
      host,
      users: [{ uid: 2, login: 'demo-integration', password: DEMO_CREDENTIALS.odooKey, apiKeys: [DEMO_CREDENTIALS.odooKey] }],
    });
    started.push(odoo);
    const supplier = await startSupplierSim({
      host,
      apiKeys: [DEMO_CREDENTIALS.supplierKey],
      ids: { supplier: DEMO_SUPPLIER, buyer: 'CROSSDOCK' },
    });
    started.push(supplier);
    const odooUser = odoo.users[0];
    return {
      netsuite,
      wms,
      salesforce,
      shopify,
      odoo,
      supplier,
      items,
      endpoints: {
        netsuite: { url: netsuite.url, credentials: netsuite.credentials, concurrencyLimit: NETSUITE_CONCURRENCY },
        wms: { url: wms.url, apiKey: wms.apiKey, webhookSecret: wms.webhookSecret },
        salesforce: {
          url: salesforce.url,
          tokenUrl: salesforce.tokenUrl,
          dataUrl: salesforce.dataUrl,
          clientId: salesforce.clientId,
          clientSecret: salesforce.clientSecret,
        },
        shopify: { url: shopify.url, accessToken: shopify.accessToken, clientSecret: shopify.clientSecret },
        odoo: { url: odoo.url, database: odoo.database, login: odooUser?.login ?? 'admin', apiKey: odooUser?.apiKeys[0] ?? '' },
        supplier: { url: supplier.url, apiKey: supplier.apiKey },
      },
      close: () => closeAll(started),
    };
  } catch (err) {
    await closeAll(started);
    throw err;
  }
}

async function closeAll(servers: ReadonlyArray<{ close(): Promise<void> }>): Promise<void> {
  await Promise.allSettled(servers.map((s) => s.close()));
}
