import { z } from 'zod';
import type { SalesOrder } from '../../../canonical/index.js';
import { collect, defineOperation, paginate } from '../../sdk/index.js';
import type { ShopifyCredentials } from '../credentials.js';
import { graphqlOrderCost, graphqlOrderSchema, graphqlOrderSelection, salesOrderFromGraphql } from '../mappers/graphql-order.js';
import type { ShopifySettings } from '../settings.js';
import { graphql, type ShopifyContext } from '../transport.js';

export const ordersListInput = z.object({
  /** Shopify search syntax, e.g. `status:open created_at:>=2025-01-01`. */
  query: z.string().max(1000).optional(),
  /** Orders per page; with 25 lines each a page of 5 costs 552 of the 1000-point query ceiling. */
  pageSize: z.number().int().min(1).max(8).default(5),
  linesPerOrder: z.number().int().min(1).max(25).default(25),
  maxPages: z.number().int().positive().optional(),
});

const pageSchema = z.object({
  orders: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(graphqlOrderSchema),
  }),
});

/** Lists orders as canonical SalesOrders, walking Shopify's cursor pagination (`after: endCursor`). */
export const ordersList = defineOperation<ShopifySettings, ShopifyCredentials, z.infer<typeof ordersListInput>, SalesOrder[]>({
  name: 'orders.list',
  description: 'Lists orders (optionally filtered with Shopify search syntax) as canonical SalesOrders, every page.',
  input: ordersListInput,
  async run(ctx: ShopifyContext, input) {
    const query = `query Orders($first: Int!, $after: String, $query: String) {
      orders(first: $first, after: $after, query: $query, sortKey: ID) {
        pageInfo { hasNextPage endCursor }
        nodes { ${graphqlOrderSelection(input.linesPerOrder)} }
      }
    }`;
    const cost = 2 + input.pageSize * graphqlOrderCost(input.linesPerOrder);
    const pages = paginate(
      async (after) => {
        const page = await graphql(ctx, {
          query,
          variables: { first: input.pageSize, after: after ?? null, query: input.query ?? null },
          cost,
          operation: 'orders.list',
          schema: pageSchema,
        });
        const { pageInfo, nodes } = page.orders;
        return {
          items: nodes.map((n) => salesOrderFromGraphql(n, ctx.instance)),
          next: pageInfo.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : undefined,
        };
      },
      input.maxPages !== undefined ? { maxPages: input.maxPages } : {},
    );
    return collect(pages);
  },
});
