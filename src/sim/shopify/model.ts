import { z } from 'zod';

/**
 * The simulator keeps orders in Shopify's REST/webhook shape (snake_case, numeric ids) because that is
 * what webhooks carry; the GraphQL layer maps them to Admin GraphQL objects on the way out. Unknown
 * fields of a template (e.g. a vendor sample) are kept and sent back as they came.
 */
const money = z.union([z.string(), z.number()]).transform((v) => (typeof v === 'number' ? v.toFixed(2) : v));
const restId = z.union([z.number(), z.string()]).transform((v) => String(v));

export const restAddressSchema = z.looseObject({
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  company: z.string().nullable().optional(),
  address1: z.string().nullable().optional(),
  address2: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  province: z.string().nullable().optional(),
  province_code: z.string().nullable().optional(),
  zip: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  country_code: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
});
export type RestAddress = z.infer<typeof restAddressSchema>;

export const restLineItemTemplateSchema = z.looseObject({
  sku: z.string().nullable().optional(),
  title: z.string().optional(),
  name: z.string().optional(),
  variant_title: z.string().nullable().optional(),
  quantity: z.number().int().positive(),
  price: money.optional(),
  grams: z.number().optional(),
  requires_shipping: z.boolean().optional(),
  vendor: z.string().nullable().optional(),
  product_id: restId.nullable().optional(),
  variant_id: restId.nullable().optional(),
});

export type OrderLineTemplate = z.output<typeof restLineItemTemplateSchema>;

/** What a caller may hand to createOrder: a vendor sample's `order`, or a few fields. */
export const orderTemplateSchema = z.looseObject({
  email: z.string().nullable().optional(),
  currency: z.string().optional(),
  financial_status: z.string().optional(),
  note: z.string().nullable().optional(),
  tags: z.string().optional(),
  line_items: z.array(restLineItemTemplateSchema).min(1).optional(),
  shipping_address: restAddressSchema.nullable().optional(),
  billing_address: restAddressSchema.nullable().optional(),
  customer: z
    .looseObject({
      email: z.string().nullable().optional(),
      first_name: z.string().nullable().optional(),
      last_name: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  shipping_lines: z
    .array(z.looseObject({ title: z.string().optional(), price: money.optional(), code: z.string().nullable().optional() }))
    .optional(),
  total_tax: money.optional(),
  total_discounts: money.optional(),
});
export type OrderTemplate = z.input<typeof orderTemplateSchema>;

export interface RestLineItem {
  id: number;
  admin_graphql_api_id: string;
  sku: string | null;
  title: string;
  name: string;
  variant_title: string | null;
  quantity: number;
  current_quantity: number;
  fulfillable_quantity: number;
  fulfillment_status: 'fulfilled' | 'partial' | null;
  price: string;
  grams: number;
  requires_shipping: boolean;
  product_id: number | null;
  variant_id: number | null;
  vendor: string | null;
  [extra: string]: unknown;
}

export interface RestFulfillment {
  id: number;
  admin_graphql_api_id: string;
  order_id: number;
  status: 'success' | 'cancelled';
  created_at: string;
  updated_at: string;
  location_id: number;
  tracking_company: string | null;
  tracking_number: string | null;
  tracking_numbers: string[];
  tracking_url: string | null;
  tracking_urls: string[];
  line_items: Array<{ id: number; sku: string | null; quantity: number; admin_graphql_api_id: string }>;
}

export interface RestOrder {
  id: number;
  admin_graphql_api_id: string;
  name: string;
  order_number: number;
  number: number;
  email: string | null;
  created_at: string;
  updated_at: string;
  processed_at: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
  closed_at: string | null;
  currency: string;
  financial_status: string;
  fulfillment_status: 'fulfilled' | 'partial' | null;
  subtotal_price: string;
  total_line_items_price: string;
  total_tax: string;
  total_discounts: string;
  total_price: string;
  note: string | null;
  tags: string;
  line_items: RestLineItem[];
  shipping_address: RestAddress | null;
  billing_address: RestAddress | null;
  fulfillments: RestFulfillment[];
  refunds: RestRefund[];
  [extra: string]: unknown;
}

export interface RestRefund {
  id: number;
  admin_graphql_api_id: string;
  order_id: number;
  created_at: string;
  processed_at: string;
  note: string | null;
  restock: boolean;
  refund_line_items: Array<{
    id: number;
    line_item_id: number;
    quantity: number;
    restock_type: string;
    subtotal: string;
    line_item: RestLineItem;
  }>;
  transactions: Array<{ id: number; kind: 'refund'; status: 'success'; amount: string; currency: string }>;
}

export type FulfillmentOrderStatus = 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED';

export interface FulfillmentOrderRecord {
  id: number;
  orderId: number;
  locationId: number;
  status: FulfillmentOrderStatus;
  createdAt: string;
  updatedAt: string;
  lineItems: Array<{ id: number; lineItemId: number; inventoryItemId: number | null; totalQuantity: number; remainingQuantity: number }>;
}

export interface LocationRecord {
  id: number;
  name: string;
  isActive: boolean;
}

export interface InventoryItemRecord {
  id: number;
  sku: string;
  tracked: boolean;
}

/** Quantities per Shopify's inventory states; `available` is derived as on_hand − committed − reserved. */
export interface InventoryLevelRecord {
  inventoryItemId: number;
  locationId: number;
  onHand: number;
  committed: number;
  reserved: number;
  incoming: number;
  updatedAt: string;
}

export interface InventoryAdjustmentGroupRecord {
  id: number;
  createdAt: string;
  reason: string;
  referenceDocumentUri: string | null;
  changes: Array<{ name: string; delta: number; quantityAfterChange: number; inventoryItemId: number; locationId: number }>;
}

export const WEBHOOK_TOPICS = ['orders/create', 'orders/updated', 'orders/cancelled', 'refunds/create', 'fulfillments/create'] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export interface WebhookSubscriptionRecord {
  id: number;
  topic: WebhookTopic;
  address: string;
  createdAt: string;
}

export const gid = (type: string, id: number): string => `gid://shopify/${type}/${id}`;

/** Reads the numeric part of a GID of the given type; undefined when it is not one. */
export function parseGid(value: unknown, type: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value);
  if (!match || match[1] !== type) return undefined;
  const n = Number(match[2]);
  return Number.isSafeInteger(n) ? n : undefined;
}
