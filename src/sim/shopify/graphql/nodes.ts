import {
  type FulfillmentOrderRecord,
  gid,
  type InventoryAdjustmentGroupRecord,
  type InventoryItemRecord,
  type InventoryLevelRecord,
  type LocationRecord,
  type RestAddress,
  type RestFulfillment,
  type RestLineItem,
  type RestOrder,
  type RestRefund,
  type WebhookSubscriptionRecord,
} from '../model.js';
import { ShopifyStore } from '../store.js';
import { connection } from './connection.js';
import { field, type GqlObject } from './execute.js';

/**
 * Admin GraphQL (2025-01) objects over the simulator's records. Only the fields a connector is likely to
 * read exist; asking for another fails validation with `undefinedField`, as Shopify does for a typo.
 */
const upper = (value: string | null | undefined) => (value ? value.toUpperCase() : null);

export function moneyBag(amount: string, currencyCode: string): GqlObject {
  const money = { __typename: 'MoneyV2', amount, currencyCode };
  return { __typename: 'MoneyBag', shopMoney: money, presentmentMoney: money };
}

function mailingAddress(a: RestAddress | null): GqlObject | null {
  if (!a) return null;
  return {
    __typename: 'MailingAddress',
    firstName: a.first_name ?? null,
    lastName: a.last_name ?? null,
    name: a.name ?? null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    provinceCode: a.province_code ?? null,
    zip: a.zip ?? null,
    country: a.country ?? null,
    countryCodeV2: a.country_code ?? null,
    phone: a.phone ?? null,
  };
}

const DISPLAY_FULFILLMENT = { fulfilled: 'FULFILLED', partial: 'PARTIALLY_FULFILLED' } as const;

export function orderNode(store: ShopifyStore, order: RestOrder): GqlObject {
  const money = (amount: string) => moneyBag(amount, order.currency);
  return {
    __typename: 'Order',
    id: order.admin_graphql_api_id,
    legacyResourceId: String(order.id),
    name: order.name,
    email: order.email,
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    processedAt: order.processed_at,
    cancelledAt: order.cancelled_at,
    cancelReason: upper(order.cancel_reason),
    closed: order.closed_at !== null,
    closedAt: order.closed_at,
    currencyCode: order.currency,
    displayFinancialStatus: upper(order.financial_status),
    displayFulfillmentStatus: order.fulfillment_status ? DISPLAY_FULFILLMENT[order.fulfillment_status] : 'UNFULFILLED',
    note: order.note,
    tags: order.tags ? order.tags.split(',').map((t) => t.trim()) : [],
    subtotalPriceSet: money(order.subtotal_price),
    totalPriceSet: money(order.total_price),
    totalTaxSet: money(order.total_tax),
    totalDiscountsSet: money(order.total_discounts),
    shippingAddress: mailingAddress(order.shipping_address),
    billingAddress: mailingAddress(order.billing_address),
    lineItems: connection(
      'LineItem',
      () => order.line_items,
      (line) => lineItemNode(order, line),
    ),
    fulfillmentOrders: connection(
      'FulfillmentOrder',
      () => store.fulfillmentOrdersOf(order.id),
      (fo) => fulfillmentOrderNode(store, fo),
    ),
    fulfillments: field((args) => {
      const list = order.fulfillments.map((f) => fulfillmentNode(store, f));
      return typeof args.first === 'number' ? list.slice(0, args.first) : list;
    }),
    // A plain list on Shopify (`refunds(first: Int): [Refund!]!`), oldest first, like fulfillments.
    refunds: field((args) => {
      const list = order.refunds.map((r) => refundNode(store, r));
      return typeof args.first === 'number' ? list.slice(0, args.first) : list;
    }),
  };
}

export function refundNode(store: ShopifyStore, refund: RestRefund): GqlObject {
  const order = store.orders.get(refund.order_id);
  const currency = refund.transactions[0]?.currency ?? order?.currency ?? 'USD';
  const total = refund.transactions.reduce((n, t) => n + Math.round(Number.parseFloat(t.amount) * 100), 0);
  return {
    __typename: 'Refund',
    id: refund.admin_graphql_api_id,
    legacyResourceId: String(refund.id),
    note: refund.note,
    createdAt: refund.created_at,
    updatedAt: refund.processed_at,
    totalRefundedSet: moneyBag((total / 100).toFixed(2), currency),
    order: field(() => (order ? orderNode(store, order) : null)),
    refundLineItems: connection(
      'RefundLineItem',
      () => refund.refund_line_items,
      (line) => ({
        __typename: 'RefundLineItem',
        id: gid('RefundLineItem', line.id),
        quantity: line.quantity,
        restockType: line.restock_type.toUpperCase(),
        restocked: line.restock_type !== 'no_restock',
        subtotalSet: moneyBag(line.subtotal, currency),
        lineItem: order ? lineItemNode(order, line.line_item) : null,
      }),
    ),
    transactions: connection(
      'OrderTransaction',
      () => refund.transactions,
      (t) => ({
        __typename: 'OrderTransaction',
        id: gid('OrderTransaction', t.id),
        kind: t.kind.toUpperCase(),
        status: t.status.toUpperCase(),
        amountSet: moneyBag(t.amount, t.currency),
      }),
    ),
  };
}

export function lineItemNode(order: RestOrder, line: RestLineItem): GqlObject {
  return {
    __typename: 'LineItem',
    id: line.admin_graphql_api_id,
    sku: line.sku,
    name: line.name,
    title: line.title,
    variantTitle: line.variant_title,
    quantity: line.quantity,
    currentQuantity: line.current_quantity,
    unfulfilledQuantity: line.fulfillable_quantity,
    requiresShipping: line.requires_shipping,
    vendor: line.vendor,
    originalUnitPriceSet: moneyBag(line.price, order.currency),
    variant:
      line.variant_id === null
        ? null
        : {
            __typename: 'ProductVariant',
            id: gid('ProductVariant', line.variant_id),
            sku: line.sku,
            legacyResourceId: String(line.variant_id),
          },
  };
}

export function locationNode(store: ShopifyStore, location: LocationRecord): GqlObject {
  const levels = () =>
    [...store.inventoryLevels.values()].filter((l) => l.locationId === location.id).map((l) => ({ id: l.inventoryItemId, level: l }));
  return {
    __typename: 'Location',
    id: gid('Location', location.id),
    legacyResourceId: String(location.id),
    name: location.name,
    isActive: location.isActive,
    inventoryLevels: connection('InventoryLevel', levels, ({ level }) => inventoryLevelNode(store, level)),
    inventoryLevel: field((args) => {
      const itemId = typeof args.inventoryItemId === 'string' ? Number(args.inventoryItemId.split('/').pop()) : Number.NaN;
      const level = store.level(itemId, location.id);
      return level ? inventoryLevelNode(store, level) : null;
    }),
  };
}

export function fulfillmentOrderNode(store: ShopifyStore, fo: FulfillmentOrderRecord): GqlObject {
  const order = store.orders.get(fo.orderId);
  const location = store.locations.get(fo.locationId);
  return {
    __typename: 'FulfillmentOrder',
    id: gid('FulfillmentOrder', fo.id),
    status: fo.status,
    requestStatus: 'UNSUBMITTED',
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    orderId: gid('Order', fo.orderId),
    order: field(() => (order ? orderNode(store, order) : null)),
    assignedLocation: {
      __typename: 'FulfillmentOrderAssignedLocation',
      name: location?.name ?? null,
      location: field(() => (location ? locationNode(store, location) : null)),
    },
    lineItems: connection(
      'FulfillmentOrderLineItem',
      () => fo.lineItems,
      (line) => {
        const orderLine = order?.line_items.find((l) => l.id === line.lineItemId);
        return {
          __typename: 'FulfillmentOrderLineItem',
          id: gid('FulfillmentOrderLineItem', line.id),
          totalQuantity: line.totalQuantity,
          remainingQuantity: line.remainingQuantity,
          sku: orderLine?.sku ?? null,
          inventoryItemId: line.inventoryItemId === null ? null : gid('InventoryItem', line.inventoryItemId),
          lineItem: order && orderLine ? lineItemNode(order, orderLine) : null,
        };
      },
    ),
  };
}

export function fulfillmentNode(store: ShopifyStore, f: RestFulfillment): GqlObject {
  const order = store.orders.get(f.order_id);
  return {
    __typename: 'Fulfillment',
    id: f.admin_graphql_api_id,
    legacyResourceId: String(f.id),
    status: f.status.toUpperCase(),
    createdAt: f.created_at,
    updatedAt: f.updated_at,
    trackingInfo: field(() =>
      f.tracking_numbers.map((number, i) => ({
        __typename: 'FulfillmentTrackingInfo',
        company: f.tracking_company,
        number,
        url: f.tracking_urls[i] ?? null,
      })),
    ),
    fulfillmentLineItems: connection(
      'FulfillmentLineItem',
      () => f.line_items,
      (line) => {
        const orderLine = order?.line_items.find((l) => l.id === line.id);
        return {
          __typename: 'FulfillmentLineItem',
          id: gid('FulfillmentLineItem', line.id),
          quantity: line.quantity,
          lineItem: order && orderLine ? lineItemNode(order, orderLine) : null,
        };
      },
    ),
    order: field(() => (order ? orderNode(store, order) : null)),
  };
}

export function inventoryItemNode(store: ShopifyStore, item: InventoryItemRecord): GqlObject {
  const levels = () =>
    [...store.inventoryLevels.values()].filter((l) => l.inventoryItemId === item.id).map((l) => ({ id: l.locationId, level: l }));
  return {
    __typename: 'InventoryItem',
    id: gid('InventoryItem', item.id),
    legacyResourceId: String(item.id),
    sku: item.sku,
    tracked: item.tracked,
    inventoryLevels: connection('InventoryLevel', levels, ({ level }) => inventoryLevelNode(store, level)),
    inventoryLevel: field((args) => {
      const locationId = typeof args.locationId === 'string' ? Number(args.locationId.split('/').pop()) : Number.NaN;
      const level = store.level(item.id, locationId);
      return level ? inventoryLevelNode(store, level) : null;
    }),
  };
}

const QUANTITY_NAMES = ['available', 'on_hand', 'committed', 'reserved', 'incoming'] as const;

function quantityOf(level: InventoryLevelRecord, name: string): number | undefined {
  switch (name) {
    case 'available':
      return ShopifyStore.available(level);
    case 'on_hand':
      return level.onHand;
    case 'committed':
      return level.committed;
    case 'reserved':
      return level.reserved;
    case 'incoming':
      return level.incoming;
    default:
      return undefined;
  }
}

export function inventoryLevelNode(store: ShopifyStore, level: InventoryLevelRecord): GqlObject {
  const item = store.inventoryItems.get(level.inventoryItemId);
  const location = store.locations.get(level.locationId);
  return {
    __typename: 'InventoryLevel',
    id: `gid://shopify/InventoryLevel/${level.locationId}?inventory_item_id=${level.inventoryItemId}`,
    updatedAt: level.updatedAt,
    quantities: field((args) => {
      const names = Array.isArray(args.names) ? args.names.filter((n): n is string => typeof n === 'string') : [...QUANTITY_NAMES];
      return names.flatMap((name) => {
        const quantity = quantityOf(level, name);
        return quantity === undefined ? [] : [{ __typename: 'InventoryQuantity', name, quantity, updatedAt: level.updatedAt }];
      });
    }),
    item: field(() => (item ? inventoryItemNode(store, item) : null)),
    location: field(() => (location ? locationNode(store, location) : null)),
  };
}

export function adjustmentGroupNode(store: ShopifyStore, group: InventoryAdjustmentGroupRecord): GqlObject {
  return {
    __typename: 'InventoryAdjustmentGroup',
    id: gid('InventoryAdjustmentGroup', group.id),
    createdAt: group.createdAt,
    reason: group.reason,
    referenceDocumentUri: group.referenceDocumentUri,
    changes: field((args) => {
      const names = Array.isArray(args.quantityNames) ? args.quantityNames : undefined;
      return group.changes
        .filter((c) => names === undefined || names.includes(c.name))
        .map((c) => {
          const item = store.inventoryItems.get(c.inventoryItemId);
          const location = store.locations.get(c.locationId);
          return {
            __typename: 'InventoryChange',
            name: c.name,
            delta: c.delta,
            quantityAfterChange: c.quantityAfterChange,
            item: field(() => (item ? inventoryItemNode(store, item) : null)),
            location: field(() => (location ? locationNode(store, location) : null)),
          };
        });
    }),
  };
}

export function webhookSubscriptionNode(subscription: WebhookSubscriptionRecord): GqlObject {
  return {
    __typename: 'WebhookSubscription',
    id: gid('WebhookSubscription', subscription.id),
    topic: subscription.topic.replace('/', '_').toUpperCase(),
    format: 'JSON',
    callbackUrl: subscription.address,
    createdAt: subscription.createdAt,
    endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: subscription.address },
  };
}
