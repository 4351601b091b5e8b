import { z } from 'zod';
import { SalesOrderV1, Text, Timestamp } from '../../../canonical/index.js';
import { OrderCancelRequest, OrderCreateRequest } from '../../../domains/orders/index.js';
import { partnerOf } from '../../security.js';
import { type DocumentRouteDeps, IdParams, idempotentPost, PROBLEM_RESPONSES, readRoutes } from './documents.http.js';
import { cancelExample, orderExample } from './examples.js';
import { type ApiRoute, defineRoute, headerOf, NO_BODY, NO_PARAMS, NO_QUERY } from './route-spec.js';

/** One entry of an order's timeline. */
export const TimelineEntry = z.strictObject({
  at: Timestamp,
  status: z.string().min(1).max(100).meta({ description: 'the status or milestone reached' }),
  source: z.string().max(500).meta({ description: 'who or what moved the order: a partner, a flow, a system' }),
  latencyMs: z.number().nullable().optional().meta({ description: 'milliseconds since the previous entry (observability only)' }),
  note: Text.optional(),
});

export const OrderTimeline = z
  .strictObject({
    orderId: z.string(),
    source: z.enum(['observability', 'order-history']).meta({ description: 'where the entries come from' }),
    entries: z.array(TimelineEntry),
  })
  .meta({ title: 'OrderTimeline' });

/** What the observability module's `forOrder` answers (its TimelineView); only these fields are shown to partners. */
const ObservedTimeline = z.object({
  milestones: z.array(
    z.object({
      milestone: z.string().min(1).max(100),
      system: z.string().max(500),
      at: Timestamp,
      latencyMs: z.number().nullable().optional(),
    }),
  ),
});

/** /v1/orders: create, list, get, cancel, timeline. */
export function orderRoutes(deps: DocumentRouteDeps): ApiRoute[] {
  const create = defineRoute(
    {
      method: 'POST',
      path: '/v1/orders',
      operationId: 'createOrder',
      summary: 'Submit a sales order',
      description:
        'Stores the order (status `received`) and publishes `crossdock.order.received.v1` in the same transaction. Send an `Idempotency-Key` so a retry never makes a second order.',
      tag: 'Orders',
      scope: 'orders:write',
      headers: ['Idempotency-Key', 'X-Correlation-Id'],
      params: NO_PARAMS,
      query: NO_QUERY,
      body: OrderCreateRequest,
      example: orderExample,
      bodyLimit: 1024 * 1024,
      responses: {
        201: { description: 'the order as stored, with its id', schema: SalesOrderV1, headers: ['Location', 'ETag'] },
        409: {
          description: '`channelOrderId` already names another of your orders, or the same Idempotency-Key is in flight (problem+json)',
        },
        413: { description: 'body larger than 1 MiB (problem+json)' },
        415: { description: 'body is not application/json (problem+json)' },
        ...PROBLEM_RESPONSES,
        422: { description: 'validation failed, or Idempotency-Key reused with a different body (problem+json)' },
      },
    },
    async ({ body, request, reply }) =>
      idempotentPost(deps, request, reply, body, async (tx, who) => {
        const doc = await deps.documents.createOrder(tx, who, body);
        return { status: 201, doc, location: `/v1/orders/${doc.id}` };
      }),
  );

  const cancel = defineRoute(
    {
      method: 'POST',
      path: '/v1/orders/{id}/cancel',
      operationId: 'cancelOrder',
      summary: 'Cancel an order',
      description:
        'Cancels the whole order while it has not been released to a warehouse; publishes `crossdock.order.cancelled.v1`. Send `If-Match` with the ETag you read to refuse the cancel when the order changed meanwhile.',
      tag: 'Orders',
      scope: 'orders:write',
      params: IdParams,
      headers: ['Idempotency-Key', 'If-Match', 'X-Correlation-Id'],
      query: NO_QUERY,
      body: OrderCancelRequest,
      example: cancelExample,
      bodyLimit: 16 * 1024,
      responses: {
        200: { description: 'the cancelled order', schema: SalesOrderV1, headers: ['ETag'] },
        404: { description: 'no such order among yours (problem+json)' },
        409: { description: 'the order is past the point where it can be cancelled (problem+json)' },
        412: { description: 'If-Match does not name the current version (problem+json)' },
        415: { description: 'body is not application/json (problem+json)' },
        ...PROBLEM_RESPONSES,
      },
    },
    async ({ params, body, request, reply }) =>
      idempotentPost(deps, request, reply, body, async (tx, who) => {
        const doc = await deps.documents.cancelOrder(tx, who, params.id, body, headerOf(request, 'If-Match'));
        return { status: 200, doc };
      }),
  );

  const timeline = defineRoute(
    {
      method: 'GET',
      path: '/v1/orders/{id}/timeline',
      operationId: 'getOrderTimeline',
      summary: "An order's timeline",
      description: 'Every status and milestone of the order, oldest first, with the system that reported it.',
      tag: 'Orders',
      scope: 'orders:read',
      params: IdParams,
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the timeline', schema: OrderTimeline },
        404: { description: 'no such order among yours (problem+json)' },
        ...PROBLEM_RESPONSES,
      },
    },
    async ({ params, request }) => {
      const partnerId = partnerOf(request.principal);
      await deps.documents.documents.require(partnerId, 'order', params.id);
      if (deps.timelines) {
        try {
          const observed = ObservedTimeline.safeParse(await deps.timelines.forOrder(params.id));
          if (observed.success && observed.data.milestones.length > 0) {
            return {
              orderId: params.id,
              source: 'observability',
              entries: observed.data.milestones.map((m) => ({
                at: m.at,
                status: m.milestone,
                source: m.system,
                ...(m.latencyMs !== undefined ? { latencyMs: m.latencyMs } : {}),
              })),
            };
          }
        } catch (err) {
          request.log.warn({ err, orderId: params.id }, 'order timeline unavailable; answering from the order history');
        }
      }
      const history = await deps.documents.documents.history(partnerId, 'order', params.id);
      return {
        orderId: params.id,
        source: 'order-history',
        entries: history.map((h) => ({
          at: new Date(h.at).toISOString(),
          status: h.status,
          source: h.source,
          ...(h.note !== null ? { note: h.note } : {}),
        })),
      };
    },
  );

  const [list, get] = readRoutes(deps, {
    kind: 'order',
    path: '/v1/orders',
    name: 'Order',
    plural: 'Orders',
    tag: 'Orders',
    scope: 'orders:read',
    schema: SalesOrderV1,
  });
  return [create, ...(list && get ? [list, get] : []), cancel, timeline];
}
