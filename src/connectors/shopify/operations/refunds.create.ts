import { z } from 'zod';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { ShopifyCredentials } from '../credentials.js';
import type { ShopifySettings } from '../settings.js';
import { fromGid, graphql, type ShopifyContext, throwUserErrors, toGid, userErrorSchema } from '../transport.js';

const line = z
  .object({
    /** A Shopify line item (numeric id or GID); else the line is found by SKU. */
    lineItemId: z.string().min(1).optional(),
    sku: z.string().min(1).optional(),
    quantity: z.number().int().positive(),
  })
  .refine((l) => l.lineItemId !== undefined || l.sku !== undefined, { message: 'a line needs lineItemId or sku' });

export const refundsCreateInput = z.object({
  /** The Shopify order (numeric id or GID). */
  orderId: z.string().min(1),
  /**
   * Our key of this refund (e.g. `r2c:<returnId>`). Shopify has no idempotency key on refundCreate, so
   * the key travels in the refund's note and a retry finds the refund by it before creating another.
   */
  refundKey: z
    .string()
    .min(1)
    .max(80)
    .regex(/^[^\]\s]+$/, 'no spaces or ]'),
  lines: z.array(line).min(1),
  note: z.string().max(500).optional(),
  /** Shopify's refund notification to the customer. */
  notify: z.boolean().default(false),
});

export interface RefundResult {
  refundId: string;
  amount: string;
  currencyCode: string;
}

/** The marker a refund's note carries; found again by `includes`, so it is bracketed. */
export const refundMarker = (refundKey: string): string => `[crossdock:${refundKey}]`;

const refundSchema = z.object({
  id: z.string(),
  note: z.string().nullable(),
  totalRefundedSet: z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) }),
});
type RefundNode = z.infer<typeof refundSchema>;

const REFUNDS_FIRST = 25;
const LINES_FIRST = 100;
const REFUND_SELECTION = 'id note totalRefundedSet { shopMoney { amount currencyCode } }';

// order 1 + refunds(first: 25) × (totalRefundedSet 1 + shopMoney 1) = 1 + 2 + 25 × 2
const EXISTING_QUERY = `query Refunds($id: ID!) { order(id: $id) { id refunds(first: ${REFUNDS_FIRST}) { ${REFUND_SELECTION} } } }`;
const EXISTING_COST = 1 + 2 + REFUNDS_FIRST * 2;
const existingSchema = z.object({ order: z.object({ refunds: z.array(refundSchema) }).nullable() });

// EXISTING + lineItems(first: 100) × node 1 = 53 + 2 + 100
const PLAN_QUERY = `query RefundPlan($id: ID!) { order(id: $id) { id refunds(first: ${REFUNDS_FIRST}) { ${REFUND_SELECTION} } lineItems(first: ${LINES_FIRST}) { nodes { id sku currentQuantity } } } }`;
const PLAN_COST = EXISTING_COST + 2 + LINES_FIRST;
const planSchema = z.object({
  order: z
    .object({
      refunds: z.array(refundSchema),
      lineItems: z.object({ nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable(), currentQuantity: z.number() })) }),
    })
    .nullable(),
});

const CREATE_MUTATION = `mutation Refund($input: RefundInput!) {
  refundCreate(input: $input) {
    refund { ${REFUND_SELECTION} }
    userErrors { field message }
  }
}`;
const createSchema = z.object({
  refundCreate: z.object({ refund: refundSchema.nullable(), userErrors: z.array(userErrorSchema) }),
});

type Plan = NonNullable<z.infer<typeof planSchema>['order']>;
type LineRequest = { lineItemId: string; quantity: number; restockType: 'NO_RESTOCK' };

const resultOf = (r: RefundNode): RefundResult => ({
  refundId: fromGid(r.id),
  amount: r.totalRefundedSet.shopMoney.amount,
  currencyCode: r.totalRefundedSet.shopMoney.currencyCode,
});

const findMarked = (refunds: readonly RefundNode[], refundKey: string) =>
  refunds.find((r) => r.note?.includes(refundMarker(refundKey)) === true);

/** Which order lines the refund covers: given ids as they are, SKUs over the lines with units left to refund. */
function plan(lines: z.infer<typeof refundsCreateInput>['lines'], order: Plan): LineRequest[] {
  const left = new Map(order.lineItems.nodes.map((l) => [l.id, l.currentQuantity] as const));
  const out = new Map<string, number>();
  for (const [i, want] of lines.entries()) {
    if (want.lineItemId !== undefined) {
      const id = toGid('LineItem', want.lineItemId);
      out.set(id, (out.get(id) ?? 0) + want.quantity);
      continue;
    }
    let wanted = want.quantity;
    for (const l of order.lineItems.nodes) {
      const rest = left.get(l.id) ?? 0;
      if (wanted === 0 || rest === 0 || l.sku === null || l.sku !== want.sku) continue;
      const take = Math.min(rest, wanted);
      left.set(l.id, rest - take);
      wanted -= take;
      out.set(l.id, (out.get(l.id) ?? 0) + take);
    }
    if (wanted > 0) {
      throw ConnectorErrors.rejected(`lines.${i}: ${want.sku} has ${wanted} more than the order has left to refund`, {
        path: `lines.${i}`,
      });
    }
  }
  // Returned goods come back through the warehouse, not Shopify's inventory: never restock here.
  return [...out.entries()].map(([lineItemId, quantity]) => ({ lineItemId, quantity, restockType: 'NO_RESTOCK' }));
}

/**
 * Creates a refund on a Shopify order for returned lines (Admin GraphQL `refundCreate`, 2025-01), without
 * restocking and without transactions (Shopify settles the money against the order's payments).
 * Idempotent by `refundKey`: the binding is written `pending` before the mutation, and both a retry
 * after a timeout and every first attempt look for a refund of the order whose note carries the key,
 * so the customer is never refunded twice.
 */
export const refundsCreate = defineOperation<ShopifySettings, ShopifyCredentials, z.infer<typeof refundsCreateInput>, RefundResult>({
  name: 'refunds.create',
  description: 'Refunds returned lines (by line item or SKU) on a Shopify order, once per refund key.',
  input: refundsCreateInput,
  async run(ctx: ShopifyContext, input) {
    const orderGid = toGid('Order', input.orderId);
    const result = await ctx.bindings.idempotentCreate<RefundResult>({
      connector: ctx.connector,
      instance: ctx.instance,
      objectType: 'refund',
      canonicalId: input.refundKey,
      externalKey: `${fromGid(orderGid)}:${input.refundKey}`,
      lookup: async (key) => {
        const cut = key.indexOf(':');
        const found = await graphql(ctx, {
          query: EXISTING_QUERY,
          variables: { id: toGid('Order', key.slice(0, cut)) },
          cost: EXISTING_COST,
          operation: 'refunds.lookup',
          schema: existingSchema,
        });
        const match = found.order ? findMarked(found.order.refunds, key.slice(cut + 1)) : undefined;
        return match ? { externalId: fromGid(match.id), result: resultOf(match) } : undefined;
      },
      create: async () => {
        const current = await graphql(ctx, {
          query: PLAN_QUERY,
          variables: { id: orderGid },
          cost: PLAN_COST,
          operation: 'refunds.plan',
          schema: planSchema,
        });
        if (!current.order) throw ConnectorErrors.notFound(`Shopify has no order ${fromGid(orderGid)}`, { path: 'orderId' });
        // A binding can be missing while the refund exists (another instance name, a restored database).
        const earlier = findMarked(current.order.refunds, input.refundKey);
        if (earlier) return { externalId: fromGid(earlier.id), result: resultOf(earlier) };
        const refundLineItems = plan(input.lines, current.order);
        const note = [input.note, refundMarker(input.refundKey)].filter((part) => part !== undefined && part !== '').join(' ');
        const created = await graphql(ctx, {
          query: CREATE_MUTATION,
          variables: { input: { orderId: orderGid, note, notify: input.notify, refundLineItems } },
          cost: 10,
          operation: 'refunds.create',
          schema: createSchema,
        });
        throwUserErrors('refundCreate', created.refundCreate.userErrors);
        const refund = created.refundCreate.refund;
        if (!refund) throw ConnectorErrors.rejected('Shopify refundCreate returned no refund and no userErrors');
        return { externalId: fromGid(refund.id), result: resultOf(refund) };
      },
    });
    return result.result;
  },
});
