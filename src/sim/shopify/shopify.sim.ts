import { type Clock, systemClock } from '../../kernel/index.js';
import { FaultPlan, type SimServer } from '../kit/faults.js';
import { startHttpSim } from '../kit/http-sim.js';
import { TokenBucket } from '../kit/token-bucket.js';
import { WebhookDispatcher } from '../kit/webhook-dispatcher.js';
import { handleShopifyControl } from './control.route.js';
import { shopifyErrorResponse } from './errors.js';
import { mutationRoot, queryRoot } from './graphql/schema.js';
import { handleGraphql } from './graphql.route.js';
import type { InventoryLevelRecord, OrderTemplate, RestOrder, RestRefund, WebhookSubscriptionRecord, WebhookTopic } from './model.js';
import { ShopifyStore } from './store.js';
import { webhooksFor } from './webhooks.js';

export interface ShopifySimOptions {
  host?: string;
  port?: number;
  shopDomain?: string;
  shopName?: string;
  currencyCode?: string;
  /** The API version the simulator serves; other versions in the path fall forward to it, as on Shopify. */
  apiVersion?: string;
  /** Admin API access tokens accepted in X-Shopify-Access-Token. */
  accessTokens?: string[];
  /** The app's client secret: the key of X-Shopify-Hmac-Sha256. */
  clientSecret?: string;
  /** Calculated-cost bucket; defaults to 2000 points restoring at 100 points/s. */
  throttle?: { maximumAvailable?: number; restoreRate?: number };
  maxQueryCost?: number;
  mutationCost?: number;
  clock?: Clock;
  faults?: FaultPlan;
  /**
   * Waits before each webhook retry. Shopify retries 8 times over 4 hours with exponential backoff
   * (https://shopify.dev/changelog/updates-to-webhook-retry-mechanism); tests pass milliseconds.
   */
  webhookRetryDelaysMs?: number[];
  /** Shopify gives a receiver 5 s to answer. */
  webhookTimeoutMs?: number;
}

export const SHOPIFY_DEFAULT_RETRY_DELAYS_MS = [1, 2, 4, 8, 16, 32, 64, 113].map((minutes) => minutes * 60_000);

export interface ShopifySim extends SimServer {
  readonly state: ShopifyStore;
  readonly apiVersion: string;
  readonly shopDomain: string;
  readonly accessToken: string;
  readonly clientSecret: string;
  /** `${url}/admin/api/${apiVersion}/graphql.json` */
  readonly graphqlUrl: string;
  readonly throttle: TokenBucket;
  readonly webhooks: WebhookDispatcher;
  createOrder(template?: OrderTemplate): RestOrder;
  cancelOrder(orderId: number, reason?: string): RestOrder;
  refundOrder(orderId: number, lines?: Array<{ lineItemId: number; quantity: number }>, note?: string): RestRefund;
  stock(sku: string, onHand: number, locationId?: number): InventoryLevelRecord;
  subscribe(topic: WebhookTopic, address: string): WebhookSubscriptionRecord;
}

const GRAPHQL_PATH = /^\/admin\/api\/([0-9]{4}-[0-9]{2}|unstable)\/graphql\.json$/;

/** Starts a Shopify Admin API simulator (GraphQL, cost throttling, signed webhooks) on loopback. */
export async function startShopifySim(options: ShopifySimOptions = {}): Promise<ShopifySim> {
  const clock = options.clock ?? systemClock;
  const faults = options.faults ?? new FaultPlan();
  const apiVersion = options.apiVersion ?? '2025-01';
  const shopDomain = options.shopDomain ?? 'crossdock-sim.myshopify.com';
  const accessTokens = options.accessTokens ?? ['shpat_sim_0000000000000000000000000000'];
  const clientSecret = options.clientSecret ?? 'shpss_sim_client_secret';
  const bucket = new TokenBucket({
    capacity: options.throttle?.maximumAvailable ?? 2000,
    refillPerSecond: options.throttle?.restoreRate ?? 100,
    clock,
  });
  const dispatcher = new WebhookDispatcher({
    faults,
    retryDelaysMs: options.webhookRetryDelaysMs ?? SHOPIFY_DEFAULT_RETRY_DELAYS_MS,
    timeoutMs: options.webhookTimeoutMs ?? 5_000,
  });
  const store: ShopifyStore = new ShopifyStore(clock, (event) => {
    for (const webhook of webhooksFor(event, store.webhookSubscriptions.values(), { shopDomain, apiVersion, clientSecret, clock })) {
      dispatcher.enqueue(webhook);
    }
  });
  const shop = { name: options.shopName ?? 'Crossdock Sim Store', domain: shopDomain, currencyCode: options.currencyCode ?? 'USD' };
  const tokens = new Set(accessTokens);

  const http = await startHttpSim({
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    faults,
    faultResponse: (fault) => shopifyErrorResponse(fault.status),
    control: (req) => handleShopifyControl(req, { store, faults, bucket, dispatcher }),
    handle: (req) => {
      const match = GRAPHQL_PATH.exec(req.path);
      if (!match) return shopifyErrorResponse(404);
      if (req.method !== 'POST') return { status: 405, body: { errors: 'Method Not Allowed' } };
      const response = handleGraphql(req, {
        accessTokens: tokens,
        bucket,
        maxQueryCost: options.maxQueryCost ?? 1000,
        mutationCost: options.mutationCost ?? 10,
        queryRoot: () => queryRoot(store, shop),
        mutationRoot: () => mutationRoot(store),
      });
      response.headers = { ...(response.headers ?? {}), 'x-shopify-api-version': apiVersion };
      return response;
    },
  });

  return {
    url: http.url,
    faults,
    state: store,
    apiVersion,
    shopDomain,
    accessToken: accessTokens[0] ?? '',
    clientSecret,
    graphqlUrl: `${http.url}/admin/api/${apiVersion}/graphql.json`,
    throttle: bucket,
    webhooks: dispatcher,
    createOrder: (template) => store.createOrder(template),
    cancelOrder: (orderId, reason) => store.cancelOrder(orderId, reason),
    refundOrder: (orderId, lines, note) => store.refundOrder(orderId, lines, note ?? null),
    stock: (sku, onHand, locationId) => store.stock(sku, onHand, locationId),
    subscribe: (topic, address) => store.subscribe(topic, address),
    close: async () => {
      dispatcher.close();
      await http.close();
    },
  };
}
