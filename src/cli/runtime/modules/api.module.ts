import { readFileSync } from 'node:fs';
import {
  applyOrderStatusEvent,
  DOCUMENT_TOPICS,
  DocumentStore,
  ORDER_STATUS_EVENTS,
  PartnerDocuments,
} from '../../../domains/orders/index.js';
import {
  buildOpenApi,
  extraPaths,
  IdempotencyStore,
  openApiRoutes,
  registerPartnerDocumentRoutes,
  type TimelineSource,
} from '../../../gateway/index.js';
import type { HubContext, HubModule, HubServices } from '../modules.js';

function isTimelineSource(value: unknown): value is TimelineSource {
  return typeof value === 'object' && value !== null && 'forOrder' in value && typeof value.forOrder === 'function';
}

/** Looks the observability module's timelines up at request time, so module start order does not matter. */
function lazyTimelines(services: HubServices): TimelineSource {
  return {
    async forOrder(orderId) {
      const source = services.timelines;
      return isTimelineSource(source) ? source.forOrder(orderId) : undefined;
    },
  };
}

function apiVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  return `1 (crossdock ${version})`;
}

/**
 * The partner document API: /v1 orders, shipments, invoices, returns, items, customers, purchase
 * orders, acknowledgements, ASNs and inventory updates; /openapi.json and /docs. Offers the document
 * store to other modules as `services.documents` (flows put shipments, invoices, … there for the
 * partner they concern) and keeps each partner's orders in step with order lifecycle events.
 */
export const apiModule: HubModule = {
  name: 'api',
  async start(ctx: HubContext) {
    const documents = new DocumentStore(ctx.store);
    const partnerDocuments = new PartnerDocuments(documents, ctx.eventlog);
    ctx.services.documents = documents;
    const routes = registerPartnerDocumentRoutes(ctx.gateway, {
      store: ctx.store,
      documents: partnerDocuments,
      idempotency: new IdempotencyStore(ctx.store),
      timelines: lazyTimelines(ctx.services),
    });
    const version = apiVersion();
    openApiRoutes(ctx.gateway, () => buildOpenApi({ version, routes: routes.map((r) => r.doc), extraPaths }));
    ctx.eventlog.subscribe({
      group: 'api-order-status',
      topic: DOCUMENT_TOPICS.orders,
      types: Object.keys(ORDER_STATUS_EVENTS),
      handler: async (event, hctx) => {
        await applyOrderStatusEvent(documents, event, hctx.tx);
      },
    });
  },
};
