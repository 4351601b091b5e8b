import { z } from 'zod';
import { MatchTolerances } from './three-way-match.js';

/** Decimal string (quantities and money are never floats). */
const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string such as "12.50"');

export const PoLine = z.strictObject({
  line: z.string().min(1),
  item: z.string().min(1),
  quantity: Decimal,
  unitPrice: Decimal,
  uom: z.string().default('EA'),
});
export type PoLine = z.infer<typeof PoLine>;

/** What procure-to-pay starts from: one purchase order to one supplier for one receiving location. */
export const PurchaseOrderInput = z.strictObject({
  poNumber: z.string().min(1).max(40),
  supplier: z.string().min(1),
  location: z.string().min(1),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  lines: z.array(PoLine).min(1),
  /** Why it was raised (a min/max rule, a backordered sales order, a buyer). */
  reason: z.strictObject({ kind: z.enum(['min-max', 'backorder', 'manual']), ref: z.string() }).default({ kind: 'manual', ref: 'buyer' }),
});
export type PurchaseOrderInput = z.input<typeof PurchaseOrderInput>;
export type PurchaseOrder = z.infer<typeof PurchaseOrderInput>;

export const AckLine = z.strictObject({
  line: z.string(),
  item: z.string(),
  status: z.enum(['accepted', 'changed', 'rejected']),
  quantity: Decimal,
  unitPrice: Decimal,
  shipDate: z.string().optional(),
});
export type AckLine = z.infer<typeof AckLine>;

/** The supplier's purchase order acknowledgement (X12 855 or the portal's ack). */
export const SupplierAck = z.strictObject({ poNumber: z.string(), lines: z.array(AckLine) });
export type SupplierAck = z.infer<typeof SupplierAck>;

/** The supplier's advance ship notice (X12 856). */
export const SupplierAsn = z.strictObject({
  poNumber: z.string(),
  asnNumber: z.string(),
  eta: z.string().optional(),
  lines: z.array(z.strictObject({ item: z.string(), quantity: Decimal })),
});
export type SupplierAsn = z.infer<typeof SupplierAsn>;

/** The supplier's invoice (X12 810). */
export const SupplierInvoice = z.strictObject({
  poNumber: z.string(),
  invoiceNumber: z.string(),
  total: Decimal,
  lines: z.array(z.strictObject({ item: z.string(), quantity: Decimal, unitPrice: Decimal })),
});
export type SupplierInvoice = z.infer<typeof SupplierInvoice>;

/** The warehouse's receipt against the expected receipt (reference = PO number). */
export const WarehouseReceipt = z.strictObject({
  reference: z.string(),
  lines: z.array(z.strictObject({ item: z.string(), expected: z.number(), received: z.number(), damaged: z.number().default(0) })),
});
export type WarehouseReceipt = z.infer<typeof WarehouseReceipt>;

/** An operator's decision on an invoice that failed the match. */
export const InvoiceDecision = z.strictObject({ decision: z.enum(['pay', 'reject']), by: z.string(), note: z.string().optional() });
export type InvoiceDecision = z.infer<typeof InvoiceDecision>;

/** How procure-to-pay treats one supplier. */
export const SupplierPolicy = z.strictObject({
  /** How purchase orders reach the supplier and documents come back. */
  channel: z.enum(['edi', 'portal']),
  ackTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(24 * 3_600_000),
  asnTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(14 * 24 * 3_600_000),
  receiptTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(3 * 24 * 3_600_000),
  invoiceTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3_600_000),
  tolerances: MatchTolerances.default({ pricePercent: '0', quantityPercent: '0', totalAmount: '0' }),
});
export type SupplierPolicy = z.infer<typeof SupplierPolicy>;
export type SupplierPolicyInput = z.input<typeof SupplierPolicy>;
