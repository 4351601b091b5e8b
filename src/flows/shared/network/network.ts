import type { Envelope } from '../../../canonical/index.js';
import { netsuiteConnector } from '../../../connectors/netsuite/index.js';
import { salesforceConnector } from '../../../connectors/salesforce/index.js';
import {
  type BudgetRegistry,
  type ConnectorDeps,
  createConnectorInstance,
  type Headers,
  type WebhookOutcome,
  WebhookReceiver,
} from '../../../connectors/sdk/index.js';
import { mapShopifyDelivery, shopifyConnector, shopifyWebhookSpec } from '../../../connectors/shopify/index.js';
import { mapWmsDelivery, wmsConnector, wmsEventsTrigger } from '../../../connectors/wms/index.js';
import type { Logger } from '../../../kernel/index.js';
import type { Store, Tx } from '../../../store/index.js';
import type { AnyInstance } from '../adapters/invoke.js';
import { netsuiteErp } from '../adapters/netsuite.erp.js';
import { salesforceCrm } from '../adapters/salesforce.crm.js';
import { shopifyChannel } from '../adapters/shopify.channel.js';
import { wmsWarehouse } from '../adapters/wms.warehouse.js';
import type { FlowPorts } from '../wiring.js';
import { topicFor } from './topics.js';

/** Where each system of an order-to-cash network answers and how to log in (simulators or real accounts). */
export interface NetworkEndpoints {
  /** NetSuite REST (token-based auth credentials as the NetSuite connector takes them). */
  netsuite: { url: string; credentials: unknown; concurrencyLimit?: number };
  /** The 3PL WMS: API key and the secret its webhooks are signed with. */
  wms: { url: string; apiKey: string; webhookSecret: string };
  /** Salesforce: a connected app's client-credentials flow. */
  salesforce?: { url: string; clientId: string; clientSecret: string };
  /** A Shopify store: Admin API token and the app's client secret (webhook HMAC key). */
  shopify?: { url: string; accessToken: string; clientSecret: string };
}

/** What connecting needs from the hub: its store, rate budgets, logger and the event log's publish. */
export interface NetworkDeps {
  store: Store;
  budgets: BudgetRegistry;
  logger: Logger;
  /** Publishes events in the webhook's transaction, so an accepted delivery and its events commit together. */
  publish(topic: string, events: readonly Envelope[], tx: Tx): Promise<unknown>;
  /** Connector call timeout; 5 s by default (loopback simulators answer in milliseconds). */
  timeoutMs?: number;
  /**
   * Connector instance names, NETWORK_INSTANCES by default. The channel's name is part of every
   * order id it produces (`shopify:<instance>:order:<id>`), so a network whose ids restart (the
   * demo's simulators) takes a fresh channel name per run.
   */
  instances?: Partial<Record<keyof typeof NETWORK_INSTANCES, string>>;
}

/** One system's inbound webhooks: verify, dedupe, keep the raw body, map to canonical, publish. */
export interface InboundHooks {
  /** Connector id, e.g. `shopify` — the path the hub serves it at is `/hooks/<system>`. */
  readonly system: string;
  receive(headers: Headers, rawBody: Buffer): Promise<WebhookOutcome>;
}

/** The order-to-cash network, connected: the flows' ports and the webhook receivers to host. */
export interface ConnectedNetwork {
  readonly ports: FlowPorts;
  readonly hooks: readonly InboundHooks[];
  /** The Shopify connector instance, when a store is connected (return-to-credit refunds on it). */
  readonly shopify?: AnyInstance;
  close(): Promise<void>;
}

/** Connector instance names the network uses (each has its own rate budget, bindings and receipts). */
export const NETWORK_INSTANCES = { erp: 'erp', warehouse: 'wh', crm: 'crm', channel: 'store' } as const;

/**
 * Builds connector instances on the endpoints and the flows' ports on them: NetSuite as ERP, the WMS
 * as warehouse, Salesforce as CRM and Shopify as channel (the last two when given). Shopify order
 * webhooks are published as canonical events on `orders`; WMS events on `shipments`, `inventory`
 * or `receipts` by type (see topicFor).
 */
export function connectNetwork(endpoints: NetworkEndpoints, deps: NetworkDeps): ConnectedNetwork {
  const timeoutMs = deps.timeoutMs ?? 5_000;
  const names = { ...NETWORK_INSTANCES, ...deps.instances };
  const connectorDeps: ConnectorDeps = { store: deps.store, budgets: deps.budgets, logger: deps.logger, publish: async () => {} };
  const ns = createConnectorInstance(
    netsuiteConnector,
    names.erp,
    { baseUrl: endpoints.netsuite.url, concurrencyLimit: endpoints.netsuite.concurrencyLimit ?? 10, timeoutMs },
    endpoints.netsuite.credentials,
    connectorDeps,
  );
  const wms = createConnectorInstance(
    wmsConnector,
    names.warehouse,
    { baseUrl: endpoints.wms.url, timeoutMs },
    { apiKey: endpoints.wms.apiKey, webhookSecret: endpoints.wms.webhookSecret },
    connectorDeps,
  );
  const closers: Array<() => Promise<void>> = [() => ns.close(), () => wms.close()];
  const ports: FlowPorts = { erp: netsuiteErp(ns, { priceCacheMs: 60_000 }), warehouse: wmsWarehouse(wms) };
  const hooks: InboundHooks[] = [];
  let shopInstance: AnyInstance | undefined;

  const wmsReceiver = new WebhookReceiver({
    store: deps.store,
    connector: 'wms',
    instance: names.warehouse,
    spec: wmsEventsTrigger.spec,
    secret: () => endpoints.wms.webhookSecret,
    accept: async (delivery, tx) => publishByTopic('warehouse', mapWmsDelivery(delivery, wms.ctx), tx, deps),
  });
  hooks.push({ system: 'wms', receive: (headers, raw) => wmsReceiver.receive(headers, raw) });

  if (endpoints.salesforce) {
    const sf = createConnectorInstance(
      salesforceConnector,
      names.crm,
      { instanceUrl: endpoints.salesforce.url, externalIdField: 'External_Id__c', timeoutMs },
      {
        kind: 'client-credentials',
        clientId: endpoints.salesforce.clientId,
        clientSecret: endpoints.salesforce.clientSecret,
        loginUrl: endpoints.salesforce.url,
        sessionTtlMinutes: 110,
      },
      connectorDeps,
    );
    closers.push(() => sf.close());
    ports.crm = salesforceCrm(sf);
  }

  if (endpoints.shopify) {
    const shopify = endpoints.shopify;
    const shop = createConnectorInstance(
      shopifyConnector,
      names.channel,
      { shopUrl: shopify.url, timeoutMs },
      { accessToken: shopify.accessToken, clientSecret: shopify.clientSecret },
      connectorDeps,
    );
    closers.push(() => shop.close());
    shopInstance = shop;
    ports.channels = [shopifyChannel(shop)];
    const shopReceiver = new WebhookReceiver({
      store: deps.store,
      connector: 'shopify',
      instance: names.channel,
      spec: shopifyWebhookSpec,
      secret: () => shopify.clientSecret,
      accept: async (delivery, tx) => publishByTopic('channel', mapShopifyDelivery(delivery, shop.ctx), tx, deps),
    });
    hooks.push({ system: 'shopify', receive: (headers, raw) => shopReceiver.receive(headers, raw) });
  }

  return {
    ports,
    hooks,
    ...(shopInstance ? { shopify: shopInstance } : {}),
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

async function publishByTopic(system: 'channel' | 'warehouse', events: readonly Envelope[], tx: Tx, deps: NetworkDeps): Promise<void> {
  const byTopic = new Map<string, Envelope[]>();
  for (const event of events) {
    const topic = topicFor(system, event.type);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
  }
  for (const [topic, batch] of byTopic) await deps.publish(topic, batch, tx);
}
