import { AdvanceShipNoticeV1, OrderAcknowledgementV1, ReturnAuthorizationV1 } from '../../../canonical/index.js';
import {
  AcknowledgementCreateRequest,
  AsnCreateRequest,
  InventoryUpdateRequest,
  InventoryUpdateV1,
  ReturnCreateRequest,
} from '../../../domains/orders/index.js';
import { type DocumentRouteDeps, idempotentPost, PROBLEM_RESPONSES, readRoutes } from './documents.http.js';
import { acknowledgementExample, asnExample, inventoryUpdateExample, returnExample } from './examples.js';
import { type ApiRoute, defineRoute, NO_PARAMS, NO_QUERY } from './route-spec.js';

const SUBMIT_ERRORS = {
  409: { description: 'the number already names another of your documents, or the Idempotency-Key is in flight (problem+json)' },
  413: { description: 'body too large (problem+json)' },
  415: { description: 'body is not application/json (problem+json)' },
  ...PROBLEM_RESPONSES,
  422: { description: 'validation failed, or Idempotency-Key reused with a different body (problem+json)' },
} as const;

/** Documents partners send: return requests, PO acknowledgements and ASNs (suppliers), inventory updates (3PLs). */
export function submissionRoutes(deps: DocumentRouteDeps): ApiRoute[] {
  const createReturn = defineRoute(
    {
      method: 'POST',
      path: '/v1/returns',
      operationId: 'createReturn',
      summary: 'Request a return',
      description: 'Stores the return request (status `requested`) and publishes `crossdock.return.requested.v1`.',
      tag: 'Returns',
      scope: 'returns:write',
      headers: ['Idempotency-Key', 'X-Correlation-Id'],
      params: NO_PARAMS,
      query: NO_QUERY,
      body: ReturnCreateRequest,
      example: returnExample,
      bodyLimit: 512 * 1024,
      responses: {
        201: { description: 'the return request', schema: ReturnAuthorizationV1, headers: ['Location', 'ETag'] },
        ...SUBMIT_ERRORS,
      },
    },
    async ({ body, request, reply }) =>
      idempotentPost(deps, request, reply, body, async (tx, who) => {
        const doc = await deps.documents.createReturn(tx, who, body);
        return { status: 201, doc, location: `/v1/returns/${doc.id}` };
      }),
  );
  const createAck = defineRoute(
    {
      method: 'POST',
      path: '/v1/acknowledgements',
      operationId: 'createAcknowledgement',
      summary: 'Acknowledge a purchase order (suppliers)',
      description: 'Stores the acknowledgement and publishes `crossdock.purchaseorder.acknowledged.v1`.',
      tag: 'Acknowledgements',
      scope: 'acknowledgements:write',
      headers: ['Idempotency-Key', 'X-Correlation-Id'],
      params: NO_PARAMS,
      query: NO_QUERY,
      body: AcknowledgementCreateRequest,
      example: acknowledgementExample,
      bodyLimit: 512 * 1024,
      responses: {
        201: { description: 'the acknowledgement as stored', schema: OrderAcknowledgementV1, headers: ['Location', 'ETag'] },
        ...SUBMIT_ERRORS,
      },
    },
    async ({ body, request, reply }) =>
      idempotentPost(deps, request, reply, body, async (tx, who) => {
        const doc = await deps.documents.submitAcknowledgement(tx, who, body);
        return { status: 201, doc, location: `/v1/acknowledgements/${doc.id}` };
      }),
  );
  const createAsn = defineRoute(
    {
      method: 'POST',
      path: '/v1/asns',
      operationId: 'createAsn',
      summary: 'Send an advance ship notice (suppliers)',
      description: 'Stores the ASN and publishes `crossdock.asn.received.v1` (stock shows as in transit).',
      tag: 'ASNs',
      scope: 'asns:write',
      headers: ['Idempotency-Key', 'X-Correlation-Id'],
      params: NO_PARAMS,
      query: NO_QUERY,
      body: AsnCreateRequest,
      example: asnExample,
      bodyLimit: 1024 * 1024,
      responses: {
        201: { description: 'the ASN as stored', schema: AdvanceShipNoticeV1, headers: ['Location', 'ETag'] },
        ...SUBMIT_ERRORS,
      },
    },
    async ({ body, request, reply }) =>
      idempotentPost(deps, request, reply, body, async (tx, who) => {
        const doc = await deps.documents.submitAsn(tx, who, body);
        return { status: 201, doc, location: `/v1/asns/${doc.id}` };
      }),
  );
  const createInventory = defineRoute(
    {
      method: 'POST',
      path: '/v1/inventory-updates',
      operationId: 'createInventoryUpdate',
      summary: 'Report stock (warehouses and 3PLs)',
      description:
        'A snapshot (`type: snapshot`, published as `crossdock.inventory.snapshot.v1`) or adjustments (`type: adjustments`, one `crossdock.inventory.adjusted.v1` each). Accepted for processing: availability reflects it shortly after.',
      tag: 'Inventory',
      scope: 'inventory:write',
      headers: ['Idempotency-Key', 'X-Correlation-Id'],
      params: NO_PARAMS,
      query: NO_QUERY,
      body: InventoryUpdateRequest,
      example: inventoryUpdateExample,
      bodyLimit: 4 * 1024 * 1024,
      responses: { 202: { description: 'accepted', schema: InventoryUpdateV1, headers: ['Location', 'ETag'] }, ...SUBMIT_ERRORS },
    },
    async ({ body, request, reply }) =>
      idempotentPost(deps, request, reply, body, async (tx, who) => {
        const doc = await deps.documents.submitInventoryUpdate(tx, who, body);
        return { status: 202, doc, location: `/v1/inventory-updates/${doc.id}` };
      }),
  );
  return [
    createReturn,
    ...readRoutes(deps, {
      kind: 'return',
      path: '/v1/returns',
      name: 'Return',
      plural: 'Returns',
      tag: 'Returns',
      scope: 'returns:read',
      schema: ReturnAuthorizationV1,
      description: 'Your return requests and their authorizations.',
    }),
    createAck,
    ...readRoutes(deps, {
      kind: 'acknowledgement',
      path: '/v1/acknowledgements',
      name: 'Acknowledgement',
      plural: 'Acknowledgements',
      tag: 'Acknowledgements',
      scope: 'acknowledgements:read',
      schema: OrderAcknowledgementV1,
      description: 'The acknowledgements you sent.',
    }),
    createAsn,
    ...readRoutes(deps, {
      kind: 'asn',
      path: '/v1/asns',
      name: 'Asn',
      plural: 'Asns',
      tag: 'ASNs',
      scope: 'asns:read',
      schema: AdvanceShipNoticeV1,
      description: 'The ASNs you sent.',
    }),
    createInventory,
    ...readRoutes(deps, {
      kind: 'inventoryupdate',
      path: '/v1/inventory-updates',
      name: 'InventoryUpdate',
      plural: 'InventoryUpdates',
      tag: 'Inventory',
      scope: 'inventory:read',
      schema: InventoryUpdateV1,
      description: 'The inventory updates you sent.',
    }),
  ];
}
