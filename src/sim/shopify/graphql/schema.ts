import { z } from 'zod';
import { parseGid, type RestOrder, WEBHOOK_TOPICS, type WebhookTopic } from '../model.js';
import type { ShopifyStore } from '../store.js';
import { connection } from './connection.js';
import { type Args, FieldError, field, type GqlObject, ValidationError } from './execute.js';
import {
  adjustmentGroupNode,
  fulfillmentNode,
  fulfillmentOrderNode,
  inventoryItemNode,
  locationNode,
  orderNode,
  refundNode,
  webhookSubscriptionNode,
} from './nodes.js';

export interface ShopInfo {
  name: string;
  domain: string;
  currencyCode: string;
}

/** Looks an object up by GID; a malformed GID is an error, an unknown one is null (Shopify's behaviour). */
function byGid<T>(args: Args, type: string, lookup: (id: number) => T | undefined): T | null {
  const id = parseGid(args.id, type);
  if (id === undefined) throw new FieldError(`Invalid global id '${String(args.id)}'`, 'argumentLiteralsIncompatible');
  return lookup(id) ?? null;
}

/**
 * The subset of Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax) the `orders`
 * query honours: space-separated terms ANDed together, `name:`, `status:open|closed|cancelled|any`,
 * and `created_at:` / `updated_at:` with `>`, `>=`, `<`, `<=`. Other terms are ignored, like unknown
 * filters on Shopify.
 */
export function matchesOrderQuery(order: RestOrder, query: string): boolean {
  for (const term of query.split(/\s+/).filter(Boolean)) {
    const match = /^([a-z_]+):(>=|<=|>|<)?(.+)$/.exec(term);
    if (!match) continue;
    const [, key, op, rawValue] = match;
    const value = rawValue!.replace(/^['"]|['"]$/g, '');
    if (key === 'name' && order.name !== value && order.name !== `#${value}`) return false;
    if (key === 'status') {
      const state = order.cancelled_at ? 'cancelled' : order.closed_at ? 'closed' : 'open';
      if (value !== 'any' && value !== state) return false;
    }
    if (key === 'created_at' || key === 'updated_at') {
      const at = Date.parse(key === 'created_at' ? order.created_at : order.updated_at);
      const bound = Date.parse(value);
      if (Number.isNaN(bound)) continue;
      const ok = op === '>' ? at > bound : op === '>=' ? at >= bound : op === '<' ? at < bound : op === '<=' ? at <= bound : at === bound;
      if (!ok) return false;
    }
  }
  return true;
}

const ORDER_SORT: Record<string, (o: RestOrder) => string | number> = {
  ID: (o) => o.id,
  CREATED_AT: (o) => o.created_at,
  UPDATED_AT: (o) => o.updated_at,
  PROCESSED_AT: (o) => o.processed_at,
  ORDER_NUMBER: (o) => o.order_number,
};

export function queryRoot(store: ShopifyStore, shop: ShopInfo): GqlObject {
  return {
    __typename: 'QueryRoot',
    shop: { __typename: 'Shop', name: shop.name, myshopifyDomain: shop.domain, currencyCode: shop.currencyCode },
    order: field((args) => {
      const order = byGid(args, 'Order', (id) => store.orders.get(id));
      return order ? orderNode(store, order) : null;
    }),
    orders: connection(
      'Order',
      (args) => {
        const sortKey = typeof args.sortKey === 'string' ? args.sortKey : 'ID';
        const key = ORDER_SORT[sortKey];
        if (!key)
          throw new FieldError(`Argument 'sortKey' on Field 'orders' has an invalid value (${sortKey}).`, 'argumentLiteralsIncompatible');
        const query = typeof args.query === 'string' ? args.query : '';
        return [...store.orders.values()]
          .filter((o) => matchesOrderQuery(o, query))
          .sort((a, b) => {
            const ka = key(a);
            const kb = key(b);
            return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
          });
      },
      (order) => orderNode(store, order),
    ),
    fulfillmentOrder: field((args) => {
      const fo = byGid(args, 'FulfillmentOrder', (id) => store.fulfillmentOrders.get(id));
      return fo ? fulfillmentOrderNode(store, fo) : null;
    }),
    fulfillment: field((args) => {
      const id = parseGid(args.id, 'Fulfillment');
      if (id === undefined) throw new FieldError(`Invalid global id '${String(args.id)}'`, 'argumentLiteralsIncompatible');
      for (const order of store.orders.values()) {
        const found = order.fulfillments.find((f) => f.id === id);
        if (found) return fulfillmentNode(store, found);
      }
      return null;
    }),
    inventoryItem: field((args) => {
      const item = byGid(args, 'InventoryItem', (id) => store.inventoryItems.get(id));
      return item ? inventoryItemNode(store, item) : null;
    }),
    inventoryItems: connection(
      'InventoryItem',
      (args) => {
        const sku = typeof args.query === 'string' ? /sku:(\S+)/.exec(args.query)?.[1]?.replace(/^['"]|['"]$/g, '') : undefined;
        return [...store.inventoryItems.values()].filter((i) => sku === undefined || i.sku === sku).sort((a, b) => a.id - b.id);
      },
      (item) => inventoryItemNode(store, item),
    ),
    location: field((args) => {
      const location = byGid(args, 'Location', (id) => store.locations.get(id));
      return location ? locationNode(store, location) : null;
    }),
    locations: connection(
      'Location',
      () => [...store.locations.values()],
      (location) => locationNode(store, location),
    ),
  };
}

// Input shapes of the mutations, from the 2025-01 reference (FulfillmentInput, InventorySetQuantitiesInput,
// WebhookSubscriptionInput). A value that does not fit is an INVALID_VARIABLE error, as on Shopify.
const fulfillmentInputSchema = z.object({
  lineItemsByFulfillmentOrder: z
    .array(
      z.object({
        fulfillmentOrderId: z.string(),
        fulfillmentOrderLineItems: z.array(z.object({ id: z.string(), quantity: z.number().int() })).nullish(),
      }),
    )
    .min(1),
  trackingInfo: z
    .object({
      company: z.string().nullish(),
      number: z.string().nullish(),
      numbers: z.array(z.string()).nullish(),
      url: z.string().nullish(),
      urls: z.array(z.string()).nullish(),
    })
    .nullish(),
  notifyCustomer: z.boolean().nullish(),
  originAddress: z.record(z.string(), z.unknown()).nullish(),
});

const inventorySetQuantitiesInputSchema = z.object({
  name: z.string(),
  reason: z.string(),
  referenceDocumentUri: z.string().nullish(),
  ignoreCompareQuantity: z.boolean().nullish(),
  quantities: z.array(
    z.object({
      inventoryItemId: z.string(),
      locationId: z.string(),
      quantity: z.number().int(),
      compareQuantity: z.number().int().nullish(),
    }),
  ),
});

// RefundInput (2025-01): refundLineItems are RefundLineItemInput, transactions OrderTransactionInput.
const refundInputSchema = z.object({
  orderId: z.string(),
  note: z.string().nullish(),
  notify: z.boolean().nullish(),
  currency: z.string().nullish(),
  refundLineItems: z
    .array(
      z.object({
        lineItemId: z.string(),
        quantity: z.number().int(),
        restockType: z.enum(['CANCEL', 'LEGACY_RESTOCK', 'NO_RESTOCK', 'RETURN']).nullish(),
        locationId: z.string().nullish(),
      }),
    )
    .nullish(),
  shipping: z.object({ amount: z.union([z.string(), z.number()]).nullish(), fullRefund: z.boolean().nullish() }).nullish(),
  refundDuties: z.array(z.record(z.string(), z.unknown())).nullish(),
  transactions: z
    .array(
      z.object({
        orderId: z.string(),
        gateway: z.string(),
        kind: z.enum(['AUTHORIZATION', 'CAPTURE', 'CHANGE', 'EMV_AUTHORIZATION', 'REFUND', 'SALE', 'SUGGESTED_REFUND', 'VOID']),
        amount: z.union([z.string(), z.number()]),
        parentId: z.string().nullish(),
      }),
    )
    .nullish(),
});

const webhookSubscriptionInputSchema = z.object({
  callbackUrl: z.url(),
  format: z.enum(['JSON', 'XML']).nullish(),
});

/** Reasons Shopify accepts for inventory changes (InventorySetQuantitiesInput.reason). */
export const INVENTORY_REASONS = new Set([
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_created',
  'movement_updated',
  'movement_received',
  'movement_canceled',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
]);

function parseInput<S extends z.ZodType>(schema: S, value: unknown, argName: string, typeName: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` for ${issue.path.join('.')}` : '';
  throw new ValidationError([
    {
      message: `Variable $${argName} of type ${typeName}! was provided invalid value${where} (${issue?.message ?? 'invalid'})`,
      extensions: { code: 'INVALID_VARIABLE', problems: parsed.error.issues.map((i) => ({ path: i.path, explanation: i.message })) },
    },
  ]);
}

const userError = (field: string[] | null, message: string) => ({ __typename: 'UserError', field, message });

export function mutationRoot(store: ShopifyStore): GqlObject {
  const fulfillmentCreate = field((args) => {
    const input = parseInput(fulfillmentInputSchema, args.fulfillment, 'fulfillment', 'FulfillmentInput');
    const requests: Array<{ fulfillmentOrderId: number; lines: Array<{ id: number; quantity: number }> | undefined }> = [];
    for (const group of input.lineItemsByFulfillmentOrder) {
      const foId = parseGid(group.fulfillmentOrderId, 'FulfillmentOrder');
      if (foId === undefined) {
        return {
          __typename: 'FulfillmentCreatePayload',
          fulfillment: null,
          userErrors: [userError(['fulfillment'], 'Invalid fulfillment order id.')],
        };
      }
      const lines = group.fulfillmentOrderLineItems?.map((l) => ({
        id: parseGid(l.id, 'FulfillmentOrderLineItem') ?? -1,
        quantity: l.quantity,
      }));
      requests.push({ fulfillmentOrderId: foId, lines: lines && lines.length > 0 ? lines : undefined });
    }
    const tracking = input.trackingInfo ?? {};
    const result = store.fulfill(requests, {
      company: tracking.company ?? null,
      number: tracking.number ?? tracking.numbers?.[0] ?? null,
      url: tracking.url ?? tracking.urls?.[0] ?? null,
    });
    if ('errors' in result) {
      return {
        __typename: 'FulfillmentCreatePayload',
        fulfillment: null,
        userErrors: result.errors.map((e) => userError(e.field, e.message)),
      };
    }
    return { __typename: 'FulfillmentCreatePayload', fulfillment: fulfillmentNode(store, result.fulfillment), userErrors: [] };
  });

  /**
   * Validates everything before anything changes (a refused refund leaves the order as it was), then
   * refunds through the store. The refund's transaction is the refunded lines' value whether or not
   * transactions are given, and nothing is restocked: the simulator keeps no payment gateway and
   * returns go back through the warehouse, not Shopify's inventory.
   */
  const refundCreate = field((args) => {
    const input = parseInput(refundInputSchema, args.input, 'input', 'RefundInput');
    const refused = (errors: Array<ReturnType<typeof userError>>) => ({
      __typename: 'RefundCreatePayload',
      refund: null,
      order: null,
      userErrors: errors,
    });
    const orderId = parseGid(input.orderId, 'Order');
    const order = orderId === undefined ? undefined : store.orders.get(orderId);
    if (!order) return refused([userError(['orderId'], 'Order does not exist')]);
    const errors: Array<ReturnType<typeof userError>> = [];
    const lines: Array<{ lineItemId: number; quantity: number }> = [];
    const wanted = new Map<number, number>();
    (input.refundLineItems ?? []).forEach((l, i) => {
      const path = ['refundLineItems', String(i)];
      const lineId = parseGid(l.lineItemId, 'LineItem');
      const line = lineId === undefined ? undefined : order.line_items.find((candidate) => candidate.id === lineId);
      if (!line) {
        errors.push(userError([...path, 'lineItemId'], 'Line item does not exist'));
        return;
      }
      if (l.quantity <= 0) {
        errors.push(userError([...path, 'quantity'], 'Quantity must be greater than 0'));
        return;
      }
      // The same line twice counts together against what is left to refund.
      const total = (wanted.get(line.id) ?? 0) + l.quantity;
      if (total > line.current_quantity) {
        errors.push(userError([...path, 'quantity'], 'Quantity cannot refund more items than were purchased'));
        return;
      }
      wanted.set(line.id, total);
      lines.push({ lineItemId: line.id, quantity: l.quantity });
    });
    if (errors.length > 0) return refused(errors);
    const refund = store.refundOrder(order.id, lines, input.note ?? null);
    return { __typename: 'RefundCreatePayload', refund: refundNode(store, refund), order: orderNode(store, order), userErrors: [] };
  });

  return {
    __typename: 'Mutation',
    refundCreate,
    fulfillmentCreate,
    // Deprecated name of the same mutation, still served by 2025-01.
    fulfillmentCreateV2: fulfillmentCreate,
    inventorySetQuantities: field((args) => {
      const input = parseInput(inventorySetQuantitiesInputSchema, args.input, 'input', 'InventorySetQuantitiesInput');
      const errors: Array<{ __typename: string; code: string; field: string[]; message: string }> = [];
      const err = (code: string, path: string[], message: string) =>
        errors.push({ __typename: 'InventorySetQuantitiesUserError', code, field: ['input', ...path], message });
      if (input.name !== 'available' && input.name !== 'on_hand')
        err('INVALID_NAME', ['name'], 'The quantity name must be either "available" or "on_hand".');
      if (!INVENTORY_REASONS.has(input.reason)) err('INVALID_REASON', ['reason'], 'The specified reason is invalid.');
      const quantities: Array<{ inventoryItemId: number; locationId: number; quantity: number }> = [];
      input.quantities.forEach((q, i) => {
        const itemId = parseGid(q.inventoryItemId, 'InventoryItem');
        const locationId = parseGid(q.locationId, 'Location');
        if (itemId === undefined || !store.inventoryItems.has(itemId)) {
          err('INVALID_INVENTORY_ITEM', ['quantities', String(i), 'inventoryItemId'], 'The specified inventory item could not be found.');
          return;
        }
        if (locationId === undefined || !store.locations.has(locationId)) {
          err('INVALID_LOCATION', ['quantities', String(i), 'locationId'], 'The specified location could not be found.');
          return;
        }
        if (input.ignoreCompareQuantity !== true) {
          if (q.compareQuantity === undefined || q.compareQuantity === null) {
            err(
              'COMPARE_QUANTITY_REQUIRED',
              ['quantities', String(i), 'compareQuantity'],
              'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.',
            );
            return;
          }
          const level = store.level(itemId, locationId);
          const current = level ? (input.name === 'on_hand' ? level.onHand : level.onHand - level.committed - level.reserved) : 0;
          if (current !== q.compareQuantity) {
            err(
              'COMPARE_QUANTITY_STALE',
              ['quantities', String(i), 'compareQuantity'],
              'The compareQuantity value does not match persisted value.',
            );
            return;
          }
        }
        quantities.push({ inventoryItemId: itemId, locationId, quantity: q.quantity });
      });
      if (errors.length > 0 || (input.name !== 'available' && input.name !== 'on_hand')) {
        return { __typename: 'InventorySetQuantitiesPayload', inventoryAdjustmentGroup: null, userErrors: errors };
      }
      const group = store.setQuantities(input.name, input.reason, input.referenceDocumentUri ?? null, quantities);
      return { __typename: 'InventorySetQuantitiesPayload', inventoryAdjustmentGroup: adjustmentGroupNode(store, group), userErrors: [] };
    }),
    webhookSubscriptionCreate: field((args) => {
      const topicEnum = typeof args.topic === 'string' ? args.topic : '';
      const topic = WEBHOOK_TOPICS.find((t): t is WebhookTopic => t.replace('/', '_').toUpperCase() === topicEnum);
      if (!topic) {
        throw new ValidationError([
          {
            message: `Argument 'topic' on Field 'webhookSubscriptionCreate' has an invalid value (${topicEnum}).`,
            extensions: { code: 'argumentLiteralsIncompatible' },
          },
        ]);
      }
      const input = parseInput(webhookSubscriptionInputSchema, args.webhookSubscription, 'webhookSubscription', 'WebhookSubscriptionInput');
      const duplicate = [...store.webhookSubscriptions.values()].some((s) => s.topic === topic && s.address === input.callbackUrl);
      if (duplicate) {
        return {
          __typename: 'WebhookSubscriptionCreatePayload',
          webhookSubscription: null,
          userErrors: [userError(['webhookSubscription', 'callbackUrl'], 'Address for this topic has already been taken')],
        };
      }
      const subscription = store.subscribe(topic, input.callbackUrl);
      return { __typename: 'WebhookSubscriptionCreatePayload', webhookSubscription: webhookSubscriptionNode(subscription), userErrors: [] };
    }),
  };
}
