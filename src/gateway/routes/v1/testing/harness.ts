import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  customerExample,
  invoiceExample,
  itemExample,
  purchaseOrderExample,
  shipmentExample,
} from '../../../../canonical/examples/index.js';
import { createCanonicalEventCatalog, parseCanonical } from '../../../../canonical/index.js';
import { Availability } from '../../../../domains/availability/index.js';
import { testConfig } from '../../../../domains/availability/testing/fixtures.js';
import { type DocumentKind, DocumentStore, PartnerDocuments } from '../../../../domains/orders/index.js';
import { SqlEventLog } from '../../../../eventlog/index.js';
import { type Clock, silentLogger } from '../../../../kernel/index.js';
import { createMetrics } from '../../../../observability/index.js';
import { SqliteStore } from '../../../../store/index.js';
import { createGateway } from '../../../app.js';
import { Identity, PARTNER_SCOPES } from '../../../auth/identity.js';
import { IdempotencyStore } from '../../../idempotency.js';
import { buildOpenApi, extraPaths, type OpenApiDocument, openApiRoutes } from '../../../openapi/index.js';
import { QuotaService } from '../../../quota.js';
import type { GatewayApp } from '../../../types.js';
import { availabilityRoutes } from '../availability.route.js';
import { type ApiRoute, registerPartnerDocumentRoutes, type TimelineSource } from '../index.js';

/** A gateway with every /v1 route on a temporary SQLite store, for the API tests. */
export interface ApiHarness {
  app: GatewayApp;
  store: SqliteStore;
  eventlog: SqlEventLog;
  identity: Identity;
  documents: DocumentStore;
  routes: ApiRoute[];
  /** Every route as Fastify registered it (method, url in Fastify syntax). */
  registered: Array<{ method: string; url: string }>;
  openapi(): OpenApiDocument;
  /** An API key with every partner scope, for a new partner. */
  partner(id: string, scopes?: readonly string[]): Promise<string>;
  /** Stores one document of each read-only kind (shipment, invoice, …) for a partner; returns their ids by kind. */
  seed(partnerId: string): Promise<Partial<Record<DocumentKind, string>>>;
  close(): Promise<void>;
}

export async function createApiHarness(
  options: {
    /** The idempotency store's clock (to step past its 24 hours). */
    clock?: Clock;
    bodyLimit?: number;
    timelines?: TimelineSource;
    plans?: Record<string, { limit: number; windowSeconds: number }>;
  } = {},
): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-api-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const eventlog = new SqlEventLog({ store, catalog: createCanonicalEventCatalog(), logger: silentLogger() });
  const identity = new Identity({ store, signingKey: randomBytes(32) });
  const quotas = new QuotaService(store, { plans: options.plans ?? { standard: { limit: 1_000_000, windowSeconds: 60 } } });
  const app = createGateway({
    logger: silentLogger(),
    metrics: createMetrics({ eventlog }),
    status: { version: 'test', readiness: async () => [] },
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    security: { identity, quotas, planOf: async (p) => (await identity.partner(p))?.plan ?? 'standard' },
  });
  const registered: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) registered.push({ method, url: route.url });
  });
  const documents = new DocumentStore(store);
  const routes = registerPartnerDocumentRoutes(app, {
    store,
    documents: new PartnerDocuments(documents, eventlog),
    idempotency: new IdempotencyStore(store, options.clock ? { clock: options.clock } : {}),
    ...(options.timelines ? { timelines: options.timelines } : {}),
  });
  const availability = await Availability.open({ store, policies: testConfig });
  availabilityRoutes(app, { availability });
  const openapi = () => buildOpenApi({ version: 'test', routes: routes.map((r) => r.doc), extraPaths });
  openApiRoutes(app, openapi);
  await app.ready();
  return {
    app,
    store,
    eventlog,
    identity,
    documents,
    routes,
    registered,
    openapi,
    async partner(id, scopes = PARTNER_SCOPES) {
      await identity.createPartner(id, id);
      return (await identity.createApiKey(id, scopes)).key;
    },
    async seed(partnerId) {
      const id = (kind: DocumentKind) => `${partnerId}-${kind}-1`;
      const common = { partnerId, source: 'test' };
      await store.transaction(async (tx) => {
        const shipment = parseCanonical('shipment.v1', { ...shipmentExample, id: id('shipment') });
        await documents.put(tx, { ...common, kind: 'shipment', id: shipment.id, status: shipment.status, data: shipment });
        const invoice = parseCanonical('invoice.v1', { ...invoiceExample, id: id('invoice') });
        await documents.put(tx, { ...common, kind: 'invoice', id: invoice.id, status: invoice.status, data: invoice });
        const item = parseCanonical('item.v1', { ...itemExample, id: id('item') });
        await documents.put(tx, { ...common, kind: 'item', id: item.id, status: item.status, data: item });
        const customer = parseCanonical('customer.v1', { ...customerExample, id: id('customer') });
        await documents.put(tx, { ...common, kind: 'customer', id: customer.id, status: customer.status, data: customer });
        const po = parseCanonical('purchaseorder.v1', { ...purchaseOrderExample, id: id('purchaseorder') });
        await documents.put(tx, { ...common, kind: 'purchaseorder', id: po.id, status: po.status, data: po });
      });
      return {
        shipment: id('shipment'),
        invoice: id('invoice'),
        item: id('item'),
        customer: id('customer'),
        purchaseorder: id('purchaseorder'),
      };
    },
    async close() {
      await app.close();
      await eventlog.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
