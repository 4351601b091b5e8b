import { z } from 'zod';
import { SalesOrderV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import { createOrderOnce } from '../create-order.js';
import type { OdooCredentials } from '../credentials.js';
import { saleOrderVals } from '../mappers/order.js';
import { partnerId, productId } from '../resolve.js';
import type { OdooSettings } from '../settings.js';

export const saleOrdersCreateInput = z.object({ order: SalesOrderV1 });

export const saleOrdersCreate = defineOperation<
  OdooSettings,
  OdooCredentials,
  z.infer<typeof saleOrdersCreateInput>,
  { id: number; created: boolean }
>({
  name: 'saleOrders.create',
  description: 'Creates a quotation (sale.order with its lines) for a canonical SalesOrder, once.',
  input: saleOrdersCreateInput,
  async run(ctx, { order }) {
    const partner = await partnerId(ctx, order.customer, 'order.customer');
    const products: number[] = [];
    for (const [i, line] of order.lines.entries()) products.push(await productId(ctx, line.item, `order.lines.${i}.item`));
    const vals = saleOrderVals(order, partner, products, ctx.settings.saleOrderKeyField);
    return createOrderOnce(ctx, 'sale.order', ctx.settings.saleOrderKeyField, order.id, vals, 'saleOrders.create');
  },
});
