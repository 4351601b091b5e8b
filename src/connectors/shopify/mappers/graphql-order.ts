import { z } from 'zod';
import { type SalesOrder, SalesOrderV1 } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';
import { fromGid } from '../transport.js';
import { SHOPIFY, shopifyOrderId } from './order.js';

/** Admin GraphQL `Order` fields orders.list reads (2025-01 reference: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order). */
const moneyBag = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) }).nullable();
const mailingAddress = z
  .object({
    name: z.string().nullable(),
    company: z.string().nullable(),
    address1: z.string().nullable(),
    address2: z.string().nullable(),
    city: z.string().nullable(),
    provinceCode: z.string().nullable(),
    zip: z.string().nullable(),
    countryCodeV2: z.string().nullable(),
    phone: z.string().nullable(),
  })
  .nullable();

export const graphqlOrderSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  currencyCode: z.string(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string().nullable(),
  note: z.string().nullable(),
  tags: z.array(z.string()),
  subtotalPriceSet: moneyBag,
  totalPriceSet: moneyBag,
  totalTaxSet: moneyBag,
  shippingAddress: mailingAddress,
  lineItems: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean() }),
    nodes: z.array(
      z.object({
        id: z.string(),
        sku: z.string().nullable(),
        name: z.string(),
        title: z.string(),
        quantity: z.number().int(),
        originalUnitPriceSet: moneyBag,
        variant: z.object({ id: z.string() }).nullable(),
      }),
    ),
  }),
});
export type GraphqlOrder = z.infer<typeof graphqlOrderSchema>;

/** The selection matching graphqlOrderSchema; `lines` is the page size of line items read per order. */
export function graphqlOrderSelection(lines: number): string {
  const money = '{ shopMoney { amount currencyCode } }';
  return `id name email createdAt cancelledAt cancelReason currencyCode displayFinancialStatus displayFulfillmentStatus note tags
    subtotalPriceSet ${money} totalPriceSet ${money} totalTaxSet ${money}
    shippingAddress { name company address1 address2 city provinceCode zip countryCodeV2 phone }
    lineItems(first: ${lines}) { pageInfo { hasNextPage } nodes { id sku name title quantity originalUnitPriceSet ${money} variant { id } } }`;
}

/** Requested cost of one order in that selection: node 1, three MoneyBags 2 each, address 1, lineItems 2 + n × 4. */
export function graphqlOrderCost(lines: number): number {
  return 1 + 6 + 1 + 2 + lines * 4;
}

const PAYMENT: Record<string, SalesOrder['paymentStatus']> = {
  PENDING: 'unpaid',
  AUTHORIZED: 'authorized',
  PARTIALLY_PAID: 'partially-paid',
  PAID: 'paid',
  PARTIALLY_REFUNDED: 'partially-refunded',
  REFUNDED: 'refunded',
  VOIDED: 'voided',
};

const orNothing = <K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> =>
  value === null || value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, V>);

export function salesOrderFromGraphql(node: GraphqlOrder, instance: string): SalesOrder {
  const orderId = fromGid(node.id);
  const currency = node.currencyCode;
  const amount = (bag: z.infer<typeof moneyBag>) =>
    bag ? { amount: bag.shopMoney.amount, currency: bag.shopMoney.currencyCode } : undefined;
  const total = amount(node.totalPriceSet);
  const a = node.shippingAddress;
  const draft = {
    id: shopifyOrderId(instance, orderId),
    refs: { [SHOPIFY]: orderId },
    ext: {
      [SHOPIFY]: {
        ...orNothing('displayFulfillmentStatus', node.displayFulfillmentStatus),
        ...orNothing('cancelReason', node.cancelReason),
        ...orNothing('cancelledAt', node.cancelledAt),
        ...(node.tags.length > 0 ? { tags: node.tags } : {}),
        ...(node.lineItems.pageInfo.hasNextPage ? { moreLineItems: true } : {}),
      },
    },
    channel: SHOPIFY,
    channelOrderId: node.name,
    status: node.cancelledAt ? 'cancelled' : 'received',
    orderDate: node.createdAt,
    currency,
    ...(node.email ? { buyer: { email: node.email } } : {}),
    ...orNothing('paymentStatus', node.displayFinancialStatus ? PAYMENT[node.displayFinancialStatus] : undefined),
    ...(a
      ? {
          shipTo: {
            ...orNothing('name', a.name),
            ...orNothing('company', a.company),
            ...orNothing('line1', a.address1),
            ...orNothing('line2', a.address2),
            ...orNothing('city', a.city),
            ...orNothing('region', a.provinceCode),
            ...orNothing('postalCode', a.zip),
            ...orNothing('country', a.countryCodeV2),
            ...orNothing('phone', a.phone),
          },
        }
      : {}),
    lines: node.lineItems.nodes.map((l, i) => ({
      lineNumber: String(i + 1),
      refs: { [SHOPIFY]: fromGid(l.id) },
      item: {
        ...orNothing('sku', l.sku),
        description: l.title,
        ...(l.variant ? { refs: { [SHOPIFY]: fromGid(l.variant.id) } } : l.sku ? {} : { refs: { 'shopify/line-item': fromGid(l.id) } }),
      },
      description: l.name,
      quantity: { value: String(l.quantity), uom: 'EA' },
      ...(l.originalUnitPriceSet ? { unitPrice: amount(l.originalUnitPriceSet) } : {}),
    })),
    ...(node.note ? { notes: [{ kind: 'customer', text: node.note }] } : {}),
    ...(total
      ? {
          totals: {
            total,
            ...orNothing('subtotal', amount(node.subtotalPriceSet)),
            ...orNothing('taxTotal', amount(node.totalTaxSet)),
          },
        }
      : {}),
  };
  const parsed = SalesOrderV1.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw ConnectorErrors.mapping(`Shopify order ${orderId} → SalesOrder ${path}: ${issue?.message ?? 'invalid'}`, { path });
  }
  return parsed.data;
}
