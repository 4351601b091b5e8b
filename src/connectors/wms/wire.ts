import { z } from 'zod';

/** The 3PL API's records as docs/sim/wms-api.md describes them (snake_case, opaque prefixed ids). */
export const wmsAddressSchema = z.object({
  name: z.string(),
  company: z.string().nullish(),
  address1: z.string(),
  address2: z.string().nullish(),
  city: z.string(),
  region: z.string().nullish(),
  postal_code: z.string(),
  country: z.string(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
});
export type WmsAddress = z.infer<typeof wmsAddressSchema>;

const lotSchema = z.object({ lot: z.string(), quantity: z.number(), expires_on: z.string().nullable() });

export const wmsShipmentSchema = z.object({
  id: z.string(),
  carrier: z.string(),
  service: z.string().nullable(),
  tracking_number: z.string(),
  shipped_at: z.string(),
  lines: z.array(z.object({ line_no: z.number().int(), sku: z.string(), quantity: z.number(), lots: z.array(lotSchema) })),
});

export const wmsExceptionSchema = z.object({
  code: z.string(),
  sku: z.string(),
  quantity: z.number(),
  note: z.string().nullable(),
  occurred_at: z.string(),
});

export const wmsOrderSchema = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.string(),
  warehouse: z.string(),
  ship_to: wmsAddressSchema,
  carrier: z.object({ code: z.string(), service: z.string().nullable() }).nullable(),
  requested_ship_date: z.string().nullable(),
  lines: z.array(
    z.object({
      line_no: z.number().int(),
      sku: z.string(),
      quantity: z.number(),
      picked_quantity: z.number(),
      shipped_quantity: z.number(),
    }),
  ),
  shipments: z.array(wmsShipmentSchema),
  exceptions: z.array(wmsExceptionSchema),
  created_at: z.string(),
  updated_at: z.string(),
  cancelled_at: z.string().nullable(),
});
export type WmsOrder = z.infer<typeof wmsOrderSchema>;

export const wmsInventorySchema = z.object({
  sku: z.string(),
  location: z.string(),
  on_hand: z.number(),
  allocated: z.number(),
  available: z.number(),
  damaged: z.number(),
  lots: z.array(lotSchema),
  updated_at: z.string(),
});
export type WmsInventory = z.infer<typeof wmsInventorySchema>;

export const wmsAsnSchema = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.string(),
  location: z.string(),
});

export const wmsAdjustmentSchema = z.object({
  id: z.string(),
  sku: z.string(),
  location: z.string(),
  quantity: z.number(),
  reason_code: z.string(),
  note: z.string().nullable(),
  reference: z.string().nullable(),
  on_hand_after: z.number(),
  created_at: z.string(),
});

export const wmsReceiptSchema = z.object({
  asn_id: z.string(),
  reference: z.string(),
  location: z.string(),
  received_at: z.string(),
  lines: z.array(z.object({ sku: z.string(), expected: z.number(), received: z.number(), damaged: z.number(), discrepancy: z.number() })),
  has_discrepancies: z.boolean(),
});

export const wmsErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()).default([]) }),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
