import { z } from 'zod';
import { PurchaseOrderV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import { createOrderOnce } from '../create-order.js';
import type { OdooCredentials } from '../credentials.js';
import { purchaseOrderVals } from '../mappers/order.js';
import { partnerId, productId } from '../resolve.js';
import type { OdooSettings } from '../settings.js';

export const purchaseOrdersCreateInput = z.object({ purchaseOrder: PurchaseOrderV1 });

export const purchaseOrdersCreate = defineOperation<
  OdooSettings,
  OdooCredentials,
  z.infer<typeof purchaseOrdersCreateInput>,
  { id: number; created: boolean }
>({
  name: 'purchaseOrders.create',
  description: 'Creates a request for quotation (purchase.order with its lines) for a canonical PurchaseOrder, once.',
  input: purchaseOrdersCreateInput,
  async run(ctx, { purchaseOrder: po }) {
    const partner = await partnerId(ctx, po.supplier, 'purchaseOrder.supplier');
    const products: number[] = [];
    for (const [i, line] of po.lines.entries()) products.push(await productId(ctx, line.item, `purchaseOrder.lines.${i}.item`));
    const vals = purchaseOrderVals(po, partner, products, ctx.settings.purchaseOrderKeyField);
    return createOrderOnce(ctx, 'purchase.order', ctx.settings.purchaseOrderKeyField, po.id, vals, 'purchaseOrders.create');
  },
});
