import { z } from 'zod';
import { defineOperation } from '../../sdk/index.js';
import type { SalesforceCredentials } from '../credentials.js';
import type { SalesforceSettings } from '../settings.js';
import { type CompositeResponse, compositeErrors, describeErrors, refusalOf, type SalesforceContext, sfCall } from '../transport.js';
import { type OrderSyncResult, ordersSyncInput, syncOutcome, syncRequest } from './orders.sync.js';

/** Syncs per request: two nodes each, well inside a composite graph request's 500 nodes. */
export const GRAPH_SYNC_LIMIT = 50;

export const ordersSyncManyInput = z.object({
  syncs: z.array(ordersSyncInput).min(1).max(GRAPH_SYNC_LIMIT),
});

/** What became of one sync; a failure is reported here, not thrown, so the others still count. */
export type OrderSyncOutcome =
  | { orderId: string; ok: true; result: OrderSyncResult }
  | { orderId: string; ok: false; message: string; errorCodes: string[] };

export interface OrdersSyncManyResult {
  /** One per sync, in the order given (`orderId` is the crossdock order id). */
  outcomes: OrderSyncOutcome[];
}

const graphResponseSchema = z.object({
  graphs: z.array(
    z.object({
      graphId: z.string(),
      isSuccessful: z.boolean(),
      graphResponse: z.object({
        compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() })),
      }),
    }),
  ),
});

/**
 * Several orders' syncs in one API call: a composite graph request
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_graph.htm)
 * with one graph per order, the same two upserts as `orders.sync`. Each graph is all-or-none on its
 * own, so an Account never exists without its Order, and one refused order does not hold back the
 * others. Both upserts are keyed: a repeat is safe.
 */
export const ordersSyncMany = defineOperation<
  SalesforceSettings,
  SalesforceCredentials,
  z.infer<typeof ordersSyncManyInput>,
  OrdersSyncManyResult
>({
  name: 'orders.sync-many',
  description: "Upserts several customers' Accounts and their orders' Orders in one request, each order all-or-none.",
  input: ordersSyncManyInput,
  async run(ctx: SalesforceContext, { syncs }) {
    const outcomes: Array<OrderSyncOutcome | undefined> = syncs.map(() => undefined);
    const graphs: Array<{ graphId: string; compositeRequest: unknown[] }> = [];
    for (const [i, sync] of syncs.entries()) {
      try {
        graphs.push({ graphId: `sync${i}`, compositeRequest: syncRequest(ctx, sync) });
      } catch (err) {
        outcomes[i] = refused(sync.order.id, err);
      }
    }
    if (graphs.length > 0) {
      const { body } = await sfCall(
        ctx,
        { method: 'POST', path: '/composite/graph', body: { graphs }, idempotent: true, operation: 'orders.sync-many' },
        graphResponseSchema,
      );
      const bindings: Parameters<typeof ctx.bindings.bindAll>[0][number][] = [];
      for (const graph of body.graphs) {
        const i = Number(graph.graphId.slice('sync'.length));
        const sync = syncs[i];
        if (!sync || outcomes[i]) continue;
        const response: CompositeResponse = graph.graphResponse;
        if (!graph.isSuccessful) {
          const shown = compositeErrors(response);
          outcomes[i] = {
            orderId: sync.order.id,
            ok: false,
            message: `Salesforce rolled the order sync back: ${describeErrors(shown)}`,
            errorCodes: shown.map((e) => e.errorCode),
          };
          continue;
        }
        try {
          const done = syncOutcome(ctx, sync, response);
          bindings.push(...done.bindings);
          outcomes[i] = { orderId: sync.order.id, ok: true, result: done.result };
        } catch (err) {
          outcomes[i] = refused(sync.order.id, err);
        }
      }
      await ctx.bindings.bindAll(bindings);
    }
    return {
      outcomes: syncs.map(
        (sync, i): OrderSyncOutcome =>
          outcomes[i] ?? { orderId: sync.order.id, ok: false, message: 'Salesforce answered no graph for this order', errorCodes: [] },
      ),
    };
  },
});

function refused(orderId: string, err: unknown): OrderSyncOutcome {
  const { message, errorCodes } = refusalOf(err);
  return { orderId, ok: false, message, errorCodes };
}
