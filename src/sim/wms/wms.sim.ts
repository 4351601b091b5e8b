import { type Clock, systemClock } from '../../kernel/index.js';
import { FaultPlan, type SimServer } from '../kit/faults.js';
import { startHttpSim } from '../kit/http-sim.js';
import { WebhookDispatcher } from '../kit/webhook-dispatcher.js';
import { handleWmsApi, RateLimiter, type RateLimitOptions } from './api.route.js';
import { handleWmsControl } from './control.route.js';
import { wmsFaultResponse } from './errors.js';
import { IdempotencyStore } from './idempotency.js';
import { SnapshotExporter } from './inventory.routes.js';
import type { Asn, CreateOrderInput, InventoryRecord, WebhookEndpoint, WmsEventType, WmsOrder } from './model.js';
import { type AdvanceOptions, WmsStore } from './store.js';
import { wmsWebhooksFor } from './webhooks.js';

export interface WmsSimOptions {
  host?: string;
  port?: number;
  /** Keys accepted in `Authorization: Bearer <key>`. */
  apiKeys?: string[];
  /** Token bucket per API key; defaults to a burst of 20 restoring 10 per second. */
  rateLimit?: Partial<RateLimitOptions>;
  /** Key of X-WMS-Signature. */
  webhookSecret?: string;
  /** Warehouse code used when an order names none. */
  defaultWarehouse?: string;
  /** When set, every open order moves one lifecycle step each period (the demo's "live" warehouse). */
  autoAdvanceMs?: number;
  /** How long an inventory snapshot's cursor stays valid. */
  snapshotTtlMs?: number;
  clock?: Clock;
  faults?: FaultPlan;
  /** Waits before each webhook retry; defaults to 30 s, 2 min, 10 min, 1 h, 6 h. */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
}

export const WMS_DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];

export interface WmsSim extends SimServer {
  readonly state: WmsStore;
  readonly apiKey: string;
  readonly webhookSecret: string;
  readonly webhooks: WebhookDispatcher;
  readonly rateLimiter: RateLimiter;
  createOrder(input: CreateOrderInput): WmsOrder;
  advance(orderId: string, options?: AdvanceOptions): WmsOrder;
  receive(asnId: string, lines?: Array<{ sku: string; received: number; damaged?: number }>): Asn;
  seedInventory(sku: string, onHand: number, location?: string): InventoryRecord;
  subscribe(url: string, events?: WmsEventType[]): WebhookEndpoint;
}

/** Starts a simulated 3PL/WMS REST API (docs/sim/wms-api.md) on loopback. */
export async function startWmsSim(options: WmsSimOptions = {}): Promise<WmsSim> {
  const clock = options.clock ?? systemClock;
  const faults = options.faults ?? new FaultPlan();
  const apiKeys = options.apiKeys ?? ['wms_test_0000000000000000'];
  const webhookSecret = options.webhookSecret ?? 'whsec_wms_sim_secret';
  const rateLimit: RateLimitOptions = { limit: options.rateLimit?.limit ?? 20, refillPerSecond: options.rateLimit?.refillPerSecond ?? 10 };
  const dispatcher = new WebhookDispatcher({
    faults,
    retryDelaysMs: options.webhookRetryDelaysMs ?? WMS_DEFAULT_RETRY_DELAYS_MS,
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
  });
  const store: WmsStore = new WmsStore(
    clock,
    (event) => {
      for (const webhook of wmsWebhooksFor(event, store.webhookEndpoints.values(), webhookSecret, clock)) dispatcher.enqueue(webhook);
    },
    options.defaultWarehouse ?? 'WH1',
  );
  const limiter = new RateLimiter(rateLimit, clock);
  const deps = {
    store,
    apiKeys: new Set(apiKeys),
    rateLimit,
    clock,
    idempotency: new IdempotencyStore(),
    snapshots: new SnapshotExporter(store, clock, options.snapshotTtlMs),
    webhookSecret,
  };

  const http = await startHttpSim({
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    faults,
    faultResponse: (fault) => wmsFaultResponse(fault.status),
    control: (req) => handleWmsControl(req, { store, faults, dispatcher, limiter }),
    handle: (req) => handleWmsApi(req, deps, limiter),
  });

  const timer = options.autoAdvanceMs
    ? setInterval(() => {
        for (const order of store.activeOrders()) if (order.status !== 'exception') store.advance(order.id);
      }, options.autoAdvanceMs)
    : undefined;
  timer?.unref();

  return {
    url: http.url,
    faults,
    state: store,
    apiKey: apiKeys[0] ?? '',
    webhookSecret,
    webhooks: dispatcher,
    rateLimiter: limiter,
    createOrder: (input) => store.createOrder(input),
    advance: (orderId, advanceOptions) => store.advance(orderId, advanceOptions),
    receive: (asnId, lines) => store.receive(asnId, lines),
    seedInventory: (sku, onHand, location) => store.seedInventory(sku, location ?? store.defaultWarehouse, onHand),
    subscribe: (url, events) => store.addWebhookEndpoint(url, events),
    close: async () => {
      if (timer) clearInterval(timer);
      dispatcher.close();
      await http.close();
    },
  };
}
