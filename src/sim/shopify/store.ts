import type { Clock } from '../../kernel/index.js';
import {
  type FulfillmentOrderRecord,
  gid,
  type InventoryAdjustmentGroupRecord,
  type InventoryItemRecord,
  type InventoryLevelRecord,
  type LocationRecord,
  type OrderLineTemplate,
  type OrderTemplate,
  orderTemplateSchema,
  type RestAddress,
  type RestFulfillment,
  type RestLineItem,
  type RestOrder,
  type RestRefund,
  type WebhookSubscriptionRecord,
  type WebhookTopic,
} from './model.js';

export type StoreEvent = { topic: WebhookTopic; payload: unknown };

const DEFAULT_ADDRESS: RestAddress = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  name: 'Ada Lovelace',
  company: 'Analytical Engines Ltd',
  address1: '12 Wharf Road',
  address2: 'Unit 4',
  city: 'Leeds',
  province: 'England',
  province_code: 'ENG',
  zip: 'LS1 4DY',
  country: 'United Kingdom',
  country_code: 'GB',
  phone: '+44 113 496 0000',
};

const DEFAULT_LINES: OrderLineTemplate[] = [
  { sku: 'PALLET-WRAP-500', title: 'Pallet wrap 500mm', quantity: 6, price: '18.50', grams: 2600 },
  { sku: 'TAPE-BRN-48', title: 'Packing tape brown 48mm', quantity: 24, price: '1.95', grams: 210 },
];

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const cents = (amount: string) => Math.round(Number.parseFloat(amount) * 100);
const fromCents = (value: number) => (value / 100).toFixed(2);

/** Order, fulfilment and inventory state of one shop, with the side effects Shopify applies. */
export class ShopifyStore {
  readonly orders = new Map<number, RestOrder>();
  readonly fulfillmentOrders = new Map<number, FulfillmentOrderRecord>();
  readonly locations = new Map<number, LocationRecord>();
  readonly inventoryItems = new Map<number, InventoryItemRecord>();
  readonly inventoryLevels = new Map<string, InventoryLevelRecord>();
  readonly adjustmentGroups: InventoryAdjustmentGroupRecord[] = [];
  readonly webhookSubscriptions = new Map<number, WebhookSubscriptionRecord>();
  private nextId = 5_100_000_000_000;
  private nextOrderNumber = 1001;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (event: StoreEvent) => void,
  ) {
    this.addLocation('Main warehouse');
  }

  newId(): number {
    this.nextId += 1 + Math.floor(Math.random() * 7);
    return this.nextId;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  get defaultLocation(): LocationRecord {
    const first = this.locations.values().next().value;
    if (!first) throw new Error('the shop has no location');
    return first;
  }

  addLocation(name: string): LocationRecord {
    const location = { id: this.newId(), name, isActive: true };
    this.locations.set(location.id, location);
    return location;
  }

  inventoryItemForSku(sku: string): InventoryItemRecord {
    for (const item of this.inventoryItems.values()) if (item.sku === sku) return item;
    const item = { id: this.newId(), sku, tracked: true };
    this.inventoryItems.set(item.id, item);
    return item;
  }

  level(inventoryItemId: number, locationId: number): InventoryLevelRecord | undefined {
    return this.inventoryLevels.get(`${inventoryItemId}:${locationId}`);
  }

  /** Stocks an item at a location (creating the level when needed) and returns the level. */
  stock(sku: string, onHand: number, locationId = this.defaultLocation.id): InventoryLevelRecord {
    const item = this.inventoryItemForSku(sku);
    const existing = this.level(item.id, locationId);
    const level: InventoryLevelRecord = existing ?? {
      inventoryItemId: item.id,
      locationId,
      onHand: 0,
      committed: 0,
      reserved: 0,
      incoming: 0,
      updatedAt: this.now(),
    };
    level.onHand = onHand;
    level.updatedAt = this.now();
    this.inventoryLevels.set(`${item.id}:${locationId}`, level);
    return level;
  }

  static available(level: InventoryLevelRecord): number {
    return level.onHand - level.committed - level.reserved;
  }

  /** Places an order as checkout would: commits stock, opens a fulfillment order, sends orders/create. */
  createOrder(template: OrderTemplate = {}): RestOrder {
    const input = orderTemplateSchema.parse(template);
    const now = this.now();
    const id = this.newId();
    const number = this.nextOrderNumber++;
    const lines: RestLineItem[] = (input.line_items ?? DEFAULT_LINES).map((line) => {
      const lineId = this.newId();
      const title = line.title ?? line.sku ?? 'Item';
      const { id: _ignoredId, admin_graphql_api_id: _ignoredGid, ...rest } = line;
      return {
        ...rest,
        id: lineId,
        admin_graphql_api_id: gid('LineItem', lineId),
        sku: line.sku ?? null,
        title,
        name: line.name ?? (line.variant_title ? `${title} - ${line.variant_title}` : title),
        variant_title: line.variant_title ?? null,
        quantity: line.quantity,
        current_quantity: line.quantity,
        fulfillable_quantity: line.quantity,
        fulfillment_status: null,
        price: line.price ?? '0.00',
        grams: line.grams ?? 0,
        requires_shipping: line.requires_shipping ?? true,
        product_id: line.product_id ? Number(line.product_id) : null,
        variant_id: line.variant_id ? Number(line.variant_id) : null,
        vendor: line.vendor ?? null,
      };
    });
    const lineTotal = sum(lines.map((l) => cents(l.price) * l.quantity));
    const tax = cents(input.total_tax ?? fromCents(Math.round(lineTotal * 0.2)));
    const discounts = cents(input.total_discounts ?? '0.00');
    const shipping = sum((input.shipping_lines ?? []).map((s) => cents(s.price ?? '0.00')));
    const {
      id: _tid,
      admin_graphql_api_id: _tgid,
      name: _tname,
      order_number: _tnum,
      number: _tn,
      fulfillments: _tf,
      refunds: _tr,
      ...templateRest
    } = input;
    const order: RestOrder = {
      ...templateRest,
      id,
      admin_graphql_api_id: gid('Order', id),
      name: `#${number}`,
      order_number: number,
      number: number - 1000,
      email: input.email ?? input.customer?.email ?? 'ada@example.com',
      created_at: now,
      updated_at: now,
      processed_at: now,
      cancelled_at: null,
      cancel_reason: null,
      closed_at: null,
      currency: input.currency ?? 'USD',
      financial_status: input.financial_status ?? 'paid',
      fulfillment_status: null,
      subtotal_price: fromCents(lineTotal - discounts),
      total_line_items_price: fromCents(lineTotal),
      total_tax: fromCents(tax),
      total_discounts: fromCents(discounts),
      total_price: fromCents(lineTotal - discounts + tax + shipping),
      note: input.note ?? null,
      tags: input.tags ?? '',
      line_items: lines,
      shipping_address: input.shipping_address === undefined ? { ...DEFAULT_ADDRESS } : input.shipping_address,
      billing_address: input.billing_address === undefined ? { ...DEFAULT_ADDRESS } : input.billing_address,
      fulfillments: [],
      refunds: [],
    };
    this.orders.set(id, order);

    const location = this.defaultLocation;
    const foId = this.newId();
    this.fulfillmentOrders.set(foId, {
      id: foId,
      orderId: id,
      locationId: location.id,
      status: 'OPEN',
      createdAt: now,
      updatedAt: now,
      lineItems: lines
        .filter((l) => l.requires_shipping)
        .map((l) => {
          const item = l.sku ? this.inventoryItemForSku(l.sku) : undefined;
          if (item) {
            const level = this.level(item.id, location.id);
            if (level) level.committed += l.quantity;
          }
          return {
            id: this.newId(),
            lineItemId: l.id,
            inventoryItemId: item?.id ?? null,
            totalQuantity: l.quantity,
            remainingQuantity: l.quantity,
          };
        }),
    });
    this.emit({ topic: 'orders/create', payload: order });
    return order;
  }

  /** Cancels like the admin does: releases committed stock, closes open fulfillment orders. */
  cancelOrder(orderId: number, reason = 'customer'): RestOrder {
    const order = this.requireOrder(orderId);
    if (order.cancelled_at) return order;
    const now = this.now();
    order.cancelled_at = now;
    order.cancel_reason = reason;
    order.closed_at = now;
    order.updated_at = now;
    for (const fo of this.fulfillmentOrdersOf(orderId)) {
      if (fo.status === 'CLOSED') continue;
      for (const line of fo.lineItems) {
        const level = line.inventoryItemId === null ? undefined : this.level(line.inventoryItemId, fo.locationId);
        if (level) level.committed = Math.max(0, level.committed - line.remainingQuantity);
        line.remainingQuantity = 0;
      }
      fo.status = 'CANCELLED';
      fo.updatedAt = now;
    }
    this.emit({ topic: 'orders/cancelled', payload: order });
    this.emit({ topic: 'orders/updated', payload: order });
    return order;
  }

  /** Refunds line quantities (all lines when none given) with a refund transaction of their value. */
  refundOrder(orderId: number, lines?: Array<{ lineItemId: number; quantity: number }>, note: string | null = null): RestRefund {
    const order = this.requireOrder(orderId);
    const chosen = lines ?? order.line_items.map((l) => ({ lineItemId: l.id, quantity: l.current_quantity }));
    const now = this.now();
    const refundLines = chosen.map(({ lineItemId, quantity }) => {
      const line = order.line_items.find((l) => l.id === lineItemId);
      if (!line) throw new Error(`order ${orderId} has no line item ${lineItemId}`);
      line.current_quantity = Math.max(0, line.current_quantity - quantity);
      return {
        id: this.newId(),
        line_item_id: line.id,
        quantity,
        restock_type: 'no_restock',
        subtotal: fromCents(cents(line.price) * quantity),
        line_item: { ...line },
      };
    });
    const amount = sum(refundLines.map((l) => cents(l.subtotal)));
    const refundId = this.newId();
    const refund: RestRefund = {
      id: refundId,
      admin_graphql_api_id: gid('Refund', refundId),
      order_id: order.id,
      created_at: now,
      processed_at: now,
      note,
      restock: false,
      refund_line_items: refundLines,
      transactions: [{ id: this.newId(), kind: 'refund', status: 'success', amount: fromCents(amount), currency: order.currency }],
    };
    order.refunds.push(refund);
    order.financial_status = order.line_items.every((l) => l.current_quantity === 0) ? 'refunded' : 'partially_refunded';
    order.updated_at = now;
    this.emit({ topic: 'refunds/create', payload: refund });
    this.emit({ topic: 'orders/updated', payload: order });
    return refund;
  }

  fulfillmentOrdersOf(orderId: number): FulfillmentOrderRecord[] {
    return [...this.fulfillmentOrders.values()].filter((fo) => fo.orderId === orderId);
  }

  requireOrder(orderId: number): RestOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    return order;
  }

  /**
   * Fulfils quantities of fulfillment order lines. Validation happens first and returns messages in
   * Shopify's wording; nothing changes when any request is invalid.
   */
  fulfill(
    requests: Array<{ fulfillmentOrderId: number; lines: Array<{ id: number; quantity: number }> | undefined }>,
    tracking: { company: string | null; number: string | null; url: string | null },
  ): { fulfillment: RestFulfillment } | { errors: Array<{ field: string[]; message: string }> } {
    const errors: Array<{ field: string[]; message: string }> = [];
    const field = ['fulfillment', 'lineItemsByFulfillmentOrder'];
    const plan: Array<{ fo: FulfillmentOrderRecord; line: FulfillmentOrderRecord['lineItems'][number]; quantity: number }> = [];
    const orderIds = new Set<number>();
    for (const request of requests) {
      const fo = this.fulfillmentOrders.get(request.fulfillmentOrderId);
      if (!fo) {
        errors.push({ field, message: 'Fulfillment order does not exist.' });
        continue;
      }
      orderIds.add(fo.orderId);
      if (fo.status === 'CLOSED' || fo.status === 'CANCELLED') {
        errors.push({ field, message: `Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.` });
        continue;
      }
      const wanted =
        request.lines ?? fo.lineItems.filter((l) => l.remainingQuantity > 0).map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
      for (const want of wanted) {
        const line = fo.lineItems.find((l) => l.id === want.id);
        if (!line || want.quantity <= 0 || want.quantity > line.remainingQuantity) {
          errors.push({ field, message: 'Invalid fulfillment order line item quantity requested.' });
          continue;
        }
        plan.push({ fo, line, quantity: want.quantity });
      }
    }
    if (orderIds.size > 1) errors.push({ field, message: 'All fulfillment orders must belong to the same order.' });
    if (errors.length > 0) return { errors };
    if (plan.length === 0) return { errors: [{ field, message: 'Fulfillment line items are empty.' }] };

    const first = plan[0]!;
    const order = this.requireOrder(first.fo.orderId);
    const now = this.now();
    const fulfillmentId = this.newId();
    const fulfilledLines: RestFulfillment['line_items'] = [];
    for (const { fo, line, quantity } of plan) {
      line.remainingQuantity -= quantity;
      fo.status = fo.lineItems.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
      fo.updatedAt = now;
      const level = line.inventoryItemId === null ? undefined : this.level(line.inventoryItemId, fo.locationId);
      if (level) {
        level.committed = Math.max(0, level.committed - quantity);
        level.onHand -= quantity;
        level.updatedAt = now;
      }
      const orderLine = order.line_items.find((l) => l.id === line.lineItemId);
      if (orderLine) {
        orderLine.fulfillable_quantity -= quantity;
        orderLine.fulfillment_status = orderLine.fulfillable_quantity === 0 ? 'fulfilled' : 'partial';
        fulfilledLines.push({ id: orderLine.id, sku: orderLine.sku, quantity, admin_graphql_api_id: orderLine.admin_graphql_api_id });
      }
    }
    const fulfillment: RestFulfillment = {
      id: fulfillmentId,
      admin_graphql_api_id: gid('Fulfillment', fulfillmentId),
      order_id: order.id,
      status: 'success',
      created_at: now,
      updated_at: now,
      location_id: first.fo.locationId,
      tracking_company: tracking.company,
      tracking_number: tracking.number,
      tracking_numbers: tracking.number ? [tracking.number] : [],
      tracking_url: tracking.url,
      tracking_urls: tracking.url ? [tracking.url] : [],
      line_items: fulfilledLines,
    };
    order.fulfillments.push(fulfillment);
    const remaining = sum(order.line_items.map((l) => l.fulfillable_quantity));
    order.fulfillment_status = remaining === 0 ? 'fulfilled' : 'partial';
    order.updated_at = now;
    this.emit({ topic: 'fulfillments/create', payload: fulfillment });
    this.emit({ topic: 'orders/updated', payload: order });
    return { fulfillment };
  }

  /** Absolute set of `available` or `on_hand`, recording an adjustment group like inventorySetQuantities. */
  setQuantities(
    name: 'available' | 'on_hand',
    reason: string,
    referenceDocumentUri: string | null,
    quantities: Array<{ inventoryItemId: number; locationId: number; quantity: number }>,
  ): InventoryAdjustmentGroupRecord {
    const now = this.now();
    const changes: InventoryAdjustmentGroupRecord['changes'] = [];
    for (const q of quantities) {
      const key = `${q.inventoryItemId}:${q.locationId}`;
      const level = this.inventoryLevels.get(key) ?? {
        inventoryItemId: q.inventoryItemId,
        locationId: q.locationId,
        onHand: 0,
        committed: 0,
        reserved: 0,
        incoming: 0,
        updatedAt: now,
      };
      const before = name === 'available' ? ShopifyStore.available(level) : level.onHand;
      const delta = q.quantity - before;
      level.onHand += delta;
      level.updatedAt = now;
      this.inventoryLevels.set(key, level);
      changes.push({ name, delta, quantityAfterChange: q.quantity, inventoryItemId: q.inventoryItemId, locationId: q.locationId });
      // Setting one state moves the other by the same delta; Shopify reports both changes.
      const other = name === 'available' ? 'on_hand' : 'available';
      changes.push({
        name: other,
        delta,
        quantityAfterChange: other === 'on_hand' ? level.onHand : ShopifyStore.available(level),
        inventoryItemId: q.inventoryItemId,
        locationId: q.locationId,
      });
    }
    const group = { id: this.newId(), createdAt: now, reason, referenceDocumentUri, changes };
    this.adjustmentGroups.push(group);
    return group;
  }

  subscribe(topic: WebhookTopic, address: string): WebhookSubscriptionRecord {
    const subscription = { id: this.newId(), topic, address, createdAt: this.now() };
    this.webhookSubscriptions.set(subscription.id, subscription);
    return subscription;
  }
}
