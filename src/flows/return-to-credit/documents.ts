import { z } from 'zod';

const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal string');

/** A customer's return request, from the channel (Shopify) or the CRM (a Salesforce case). */
export const ReturnRequest = z.strictObject({
  /** The business key: one return-to-credit per return. */
  returnId: z.string().min(1).max(60),
  source: z.strictObject({ system: z.enum(['channel', 'crm']), ref: z.string().min(1) }),
  order: z.string().min(1),
  customer: z.string().min(1),
  location: z.string().min(1),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  lines: z
    .array(
      z.strictObject({
        line: z.string().min(1),
        item: z.string().min(1),
        quantity: z.number().int().positive(),
        /** What one unit is credited at (the price paid). */
        unitPrice: Decimal,
        reason: z.string().default('unwanted'),
      }),
    )
    .min(1),
});
export type ReturnRequestInput = z.input<typeof ReturnRequest>;
export type ReturnRequest = z.infer<typeof ReturnRequest>;

/** How returns are handled: when to give up waiting, and what is restocked or credited. */
export const ReturnPolicy = z.strictObject({
  /** How long the customer has to send the goods back after authorization. */
  receiveWithinMs: z
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3_600_000),
  /** Return reasons whose units are scrapped even when they arrive undamaged. */
  scrapReasons: z.array(z.string()).default(['defective']),
  /** Whether units that arrive damaged are credited (true: the carrier's problem, not the customer's). */
  creditDamaged: z.boolean().default(false),
});
export type ReturnPolicy = z.infer<typeof ReturnPolicy>;
export type ReturnPolicyInput = z.input<typeof ReturnPolicy>;

/** What the warehouse found on inspection (the WMS receipt against the expected return). */
export const ReturnInspection = z.strictObject({
  reference: z.string(),
  lines: z.array(z.strictObject({ item: z.string(), expected: z.number(), received: z.number(), damaged: z.number().default(0) })),
});
export type ReturnInspection = z.infer<typeof ReturnInspection>;

export type Disposition = { item: string; restock: number; scrap: number; credited: number; unitPrice: string };
