import { z } from 'zod';

/** Request bodies and records of the simulated 3PL API; docs/sim/wms-api.md is the prose version. */

const sku = z.string().min(1).max(64);
const location = z.string().min(1).max(32);

export const addressSchema = z.object({
  name: z.string().min(1).max(200),
  company: z.string().max(200).nullish(),
  address1: z.string().min(1).max(200),
  address2: z.string().max(200).nullish(),
  city: z.string().min(1).max(100),
  region: z.string().max(100).nullish(),
  postal_code: z.string().min(1).max(20),
  country: z.string().length(2, 'expected an ISO 3166-1 alpha-2 country code'),
  phone: z.string().max(40).nullish(),
  email: z.email().nullish(),
});
export type Address = z.infer<typeof addressSchema>;

export const createOrderSchema = z.object({
  reference: z.string().min(1).max(100),
  warehouse: location.optional(),
  ship_to: addressSchema,
  carrier: z.object({ code: z.string().min(1).max(40), service: z.string().max(60).nullish() }).nullish(),
  requested_ship_date: z.iso.date().nullish(),
  lines: z
    .array(z.object({ line_no: z.number().int().positive().optional(), sku, quantity: z.number().int().positive() }))
    .min(1)
    .max(500),
});
export type CreateOrderInput = z.infer<typeof createOrderSchema>;

export const ADJUSTMENT_REASONS = ['cycle_count', 'damaged', 'found', 'lost', 'correction', 'received', 'returned'] as const;

export const adjustmentSchema = z.object({
  sku,
  location,
  quantity: z
    .number()
    .int()
    .refine((n) => n !== 0, 'must not be zero'),
  reason_code: z.enum(ADJUSTMENT_REASONS),
  note: z.string().max(500).nullish(),
  reference: z.string().max(100).nullish(),
});

export const createAsnSchema = z.object({
  reference: z.string().min(1).max(100),
  location,
  supplier: z.string().max(200).nullish(),
  expected_at: z.iso.datetime({ offset: true }).nullish(),
  lines: z
    .array(z.object({ sku, quantity: z.number().int().positive(), lot: z.string().max(50).nullish(), expires_on: z.iso.date().nullish() }))
    .min(1)
    .max(500),
});

export const WEBHOOK_EVENTS = [
  'order.released',
  'order.picked',
  'order.packed',
  'order.shipped',
  'order.cancelled',
  'order.exception',
  'inventory.adjusted',
  'receipt.completed',
] as const;
export type WmsEventType = (typeof WEBHOOK_EVENTS)[number];

export const createWebhookSchema = z.object({
  url: z.url(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
});

export type OrderStatus = 'released' | 'picked' | 'packed' | 'shipped' | 'cancelled' | 'exception';

export interface Lot {
  lot: string;
  quantity: number;
  expires_on: string | null;
}

export interface OrderLine {
  line_no: number;
  sku: string;
  quantity: number;
  picked_quantity: number;
  shipped_quantity: number;
}

export interface Shipment {
  id: string;
  carrier: string;
  service: string | null;
  tracking_number: string;
  shipped_at: string;
  lines: Array<{ line_no: number; sku: string; quantity: number; lots: Lot[] }>;
}

export interface OrderException {
  code: 'damaged' | 'short';
  sku: string;
  quantity: number;
  note: string | null;
  occurred_at: string;
}

export interface WmsOrder {
  id: string;
  reference: string;
  status: OrderStatus;
  warehouse: string;
  ship_to: Address;
  carrier: { code: string; service: string | null } | null;
  requested_ship_date: string | null;
  lines: OrderLine[];
  shipments: Shipment[];
  exceptions: OrderException[];
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
}

export interface InventoryRecord {
  sku: string;
  location: string;
  on_hand: number;
  allocated: number;
  available: number;
  damaged: number;
  lots: Lot[];
  updated_at: string;
}

export interface Adjustment {
  id: string;
  sku: string;
  location: string;
  quantity: number;
  reason_code: (typeof ADJUSTMENT_REASONS)[number];
  note: string | null;
  reference: string | null;
  on_hand_after: number;
  created_at: string;
}

export interface Asn {
  id: string;
  reference: string;
  status: 'expected' | 'received';
  location: string;
  supplier: string | null;
  expected_at: string | null;
  lines: Array<{ sku: string; quantity: number; lot: string | null; expires_on: string | null }>;
  received_at: string | null;
  receipt: ReceiptLine[] | null;
  created_at: string;
}

export interface ReceiptLine {
  sku: string;
  expected: number;
  received: number;
  damaged: number;
  discrepancy: number;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WmsEventType[] | null;
  created_at: string;
}
