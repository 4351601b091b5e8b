import { z } from 'zod';
import { Amount, FulfilmentPolicy } from '../../canonical/index.js';

const DAY = 86_400_000;

/** How order-to-cash decides; every field has a default (docs/flows.md "Policies"). */
export const O2cPolicy = z.strictObject({
  /** Availability channel of orders that name none. */
  defaultChannel: z.string().min(1).default('web'),
  /** Used when neither the order nor the customer names a fulfilment policy. */
  defaultFulfilment: FulfilmentPolicy.default('partial-allowed'),
  /** Create a customer the cross-reference does not know (in the ERP), or reject the order. */
  createUnknownCustomers: z.boolean().default(true),
  /** A line price may differ from the ERP's by this much (absolute, per unit) before it is a mismatch. */
  priceTolerance: Amount.default('0.00'),
  /** Check the order against the customer's credit limit (open orders counted). */
  creditCheck: z.boolean().default(true),
  /** How long a price or credit hold waits for an operator before the order is rejected. */
  holdTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(7 * DAY),
  /** How long a ship-complete backorder waits between allocation attempts, and how many attempts. */
  backorderRetryMs: z
    .number()
    .int()
    .positive()
    .default(DAY / 24),
  backorderMaxAttempts: z.number().int().positive().default(72),
  /** The shipping SLA: from release to dispatch. A breach opens an exception; the flow keeps waiting. */
  shipSlaMs: z
    .number()
    .int()
    .positive()
    .default(2 * DAY),
  /** Topic the flow's order milestones are published on. */
  ordersTopic: z.string().min(1).default('orders'),
  /** The warehouse to release to when the order names none (else the warehouse adapter's default). */
  location: z.string().min(1).optional(),
});
export type O2cPolicy = z.infer<typeof O2cPolicy>;
export type O2cPolicyInput = z.input<typeof O2cPolicy>;
