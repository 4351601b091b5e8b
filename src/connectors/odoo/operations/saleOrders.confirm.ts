import { z } from 'zod';
import { DocumentRef } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import { confirmOrder } from '../create-order.js';
import type { OdooCredentials } from '../credentials.js';
import { orderId } from '../resolve.js';
import type { OdooSettings } from '../settings.js';

export const saleOrdersConfirmInput = z.object({ order: DocumentRef });

export const saleOrdersConfirm = defineOperation<
  OdooSettings,
  OdooCredentials,
  z.infer<typeof saleOrdersConfirmInput>,
  { id: number; name: string; state: string; confirmedNow: boolean }
>({
  name: 'saleOrders.confirm',
  description: 'Confirms a quotation into a sales order (action_confirm), which creates its delivery.',
  input: saleOrdersConfirmInput,
  async run(ctx, { order }) {
    const id = await orderId(ctx, 'sale.order', ctx.settings.saleOrderKeyField, order);
    return confirmOrder(ctx, 'sale.order', id, 'action_confirm', ['sale', 'done'], 'saleOrders.confirm');
  },
});
