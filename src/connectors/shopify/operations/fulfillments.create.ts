import { z } from 'zod';
import { type Shipment, ShipmentV1 } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { ShopifyCredentials } from '../credentials.js';
import { SHOPIFY } from '../mappers/order.js';
import type { ShopifySettings } from '../settings.js';
import { fromGid, graphql, type ShopifyContext, throwUserErrors, toGid, userErrorSchema } from '../transport.js';

export const fulfillmentsCreateInput = z.object({
  shipment: ShipmentV1,
  notifyCustomer: z.boolean().default(false),
});

export interface FulfillmentResult {
  fulfillmentId: string;
  status: string;
  trackingNumbers: string[];
}

// order 1 + fulfillments(first: 20) { trackingInfo 1 } = 1 + 2 + 20 × 1
const EXISTING_QUERY = `query Existing($id: ID!) { order(id: $id) { id fulfillments(first: 20) { id status trackingInfo { number } } } }`;
const EXISTING_COST = 23;
const existingSchema = z.object({
  order: z
    .object({
      fulfillments: z.array(
        z.object({ id: z.string(), status: z.string(), trackingInfo: z.array(z.object({ number: z.string().nullable() })) }),
      ),
    })
    .nullable(),
});

// order 1 + fulfillmentOrders(first: 5) × (node 1 + lineItems(first: 50) × node 1 + 2) + 2
const OPEN_QUERY = `query Open($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 50) { nodes { id sku remainingQuantity } } } } } }`;
const OPEN_COST = 268;
const openSchema = z.object({
  order: z
    .object({
      fulfillmentOrders: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            status: z.string(),
            lineItems: z.object({
              nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable(), remainingQuantity: z.number() })),
            }),
          }),
        ),
      }),
    })
    .nullable(),
});

const CREATE_MUTATION = `mutation Fulfil($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id status trackingInfo { number } }
    userErrors { field message }
  }
}`;
const createSchema = z.object({
  fulfillmentCreate: z.object({
    fulfillment: z
      .object({ id: z.string(), status: z.string(), trackingInfo: z.array(z.object({ number: z.string().nullable() })) })
      .nullable(),
    userErrors: z.array(userErrorSchema),
  }),
});

type LineRequest = { fulfillmentOrderId: string; fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }> };

function orderIdOf(shipment: Shipment): string {
  for (const ref of shipment.orders) {
    const id = ref.refs?.[SHOPIFY];
    if (id) return toGid('Order', id);
  }
  throw ConnectorErrors.mapping('shipment.orders: no order carries a refs.shopify id', { path: 'shipment.orders' });
}

/** Which fulfillment order lines the shipment covers: all remaining when it lists no lines, else by SKU. */
function plan(shipment: Shipment, open: NonNullable<z.infer<typeof openSchema>['order']>): LineRequest[] {
  const orders = open.fulfillmentOrders.nodes.filter((fo) => fo.status === 'OPEN' || fo.status === 'IN_PROGRESS');
  if (shipment.lines.length === 0) return orders.map((fo) => ({ fulfillmentOrderId: fo.id }));
  const remaining = new Map(orders.flatMap((fo) => fo.lineItems.nodes.map((l) => [l.id, l.remainingQuantity] as const)));
  const byFo = new Map<string, Array<{ id: string; quantity: number }>>();
  for (const [i, line] of shipment.lines.entries()) {
    let wanted = Number(line.quantity.value);
    if (!Number.isInteger(wanted))
      throw ConnectorErrors.mapping(`shipment.lines.${i}.quantity: Shopify fulfils whole units`, { path: `shipment.lines.${i}.quantity` });
    for (const fo of orders) {
      for (const l of fo.lineItems.nodes) {
        const left = remaining.get(l.id) ?? 0;
        if (wanted === 0 || left === 0 || l.sku === null || l.sku !== line.item.sku) continue;
        const take = Math.min(left, wanted);
        remaining.set(l.id, left - take);
        wanted -= take;
        const list = byFo.get(fo.id) ?? [];
        list.push({ id: l.id, quantity: take });
        byFo.set(fo.id, list);
      }
    }
    if (wanted > 0) {
      throw ConnectorErrors.rejected(
        `shipment.lines.${i}: ${line.item.sku ?? 'item'} has ${wanted} more than the order has left to fulfil`,
        {
          path: `shipment.lines.${i}`,
        },
      );
    }
  }
  return [...byFo.entries()].map(([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems }));
}

/**
 * Creates the Shopify fulfillment for a canonical Shipment (Admin GraphQL `fulfillmentCreate`, 2025-01).
 * Idempotent: the binding is written `pending` before the mutation; a retry after a timeout first looks
 * for a fulfillment of the order with the shipment's tracking number, so the customer is never told twice.
 */
export const fulfillmentsCreate = defineOperation<
  ShopifySettings,
  ShopifyCredentials,
  z.infer<typeof fulfillmentsCreateInput>,
  FulfillmentResult
>({
  name: 'fulfillments.create',
  description: 'Marks order lines fulfilled in Shopify with carrier and tracking, from a canonical Shipment.',
  input: fulfillmentsCreateInput,
  async run(ctx: ShopifyContext, input) {
    const { shipment } = input;
    const orderGid = orderIdOf(shipment);
    const tracking = shipment.trackingNumbers[0];
    const result = await ctx.bindings.idempotentCreate<FulfillmentResult>({
      connector: ctx.connector,
      instance: ctx.instance,
      objectType: 'fulfillment',
      canonicalId: shipment.id,
      externalKey: `${fromGid(orderGid)}:${tracking ?? ''}`,
      lookup: async (key) => {
        const cut = key.indexOf(':');
        const orderId = key.slice(0, cut);
        const number = key.slice(cut + 1);
        // Without a tracking number a fulfillment cannot be told apart from another: nothing to find.
        if (number === '') return undefined;
        const found = await graphql(ctx, {
          query: EXISTING_QUERY,
          variables: { id: toGid('Order', orderId) },
          cost: EXISTING_COST,
          operation: 'fulfillments.lookup',
          schema: existingSchema,
        });
        const match = found.order?.fulfillments.find((f) => f.status !== 'CANCELLED' && f.trackingInfo.some((t) => t.number === number));
        if (!match) return undefined;
        const result = {
          fulfillmentId: fromGid(match.id),
          status: match.status,
          trackingNumbers: match.trackingInfo.flatMap((t) => (t.number ? [t.number] : [])),
        };
        return { externalId: result.fulfillmentId, result };
      },
      create: async () => {
        const open = await graphql(ctx, {
          query: OPEN_QUERY,
          variables: { id: orderGid },
          cost: OPEN_COST,
          operation: 'fulfillments.plan',
          schema: openSchema,
        });
        if (!open.order) throw ConnectorErrors.notFound(`Shopify has no order ${fromGid(orderGid)}`, { path: 'shipment.orders' });
        const lineItemsByFulfillmentOrder = plan(shipment, open.order);
        if (lineItemsByFulfillmentOrder.length === 0) {
          throw ConnectorErrors.rejected(`Shopify order ${fromGid(orderGid)} has nothing left to fulfil`, { path: 'shipment.orders' });
        }
        const trackingInfo = {
          ...(shipment.carrier?.name ? { company: shipment.carrier.name } : {}),
          ...(shipment.trackingNumbers.length > 0 ? { numbers: shipment.trackingNumbers } : {}),
          ...(shipment.trackingUrls.length > 0 ? { urls: shipment.trackingUrls } : {}),
        };
        const created = await graphql(ctx, {
          query: CREATE_MUTATION,
          variables: { fulfillment: { lineItemsByFulfillmentOrder, trackingInfo, notifyCustomer: input.notifyCustomer } },
          cost: 10,
          operation: 'fulfillments.create',
          schema: createSchema,
        });
        throwUserErrors('fulfillmentCreate', created.fulfillmentCreate.userErrors);
        const f = created.fulfillmentCreate.fulfillment;
        if (!f) throw ConnectorErrors.rejected('Shopify fulfillmentCreate returned no fulfillment and no userErrors');
        const result = {
          fulfillmentId: fromGid(f.id),
          status: f.status,
          trackingNumbers: f.trackingInfo.flatMap((t) => (t.number ? [t.number] : [])),
        };
        return { externalId: result.fulfillmentId, result };
      },
    });
    return result.result;
  },
});
