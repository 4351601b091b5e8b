import { z } from 'zod';
import { DocumentRef } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import { confirmOrder } from '../create-order.js';
import type { OdooCredentials } from '../credentials.js';
import { orderId } from '../resolve.js';
import type { OdooSettings } from '../settings.js';

export const purchaseOrdersConfirmInput = z.object({ order: DocumentRef });

export const purchaseOrdersConfirm = defineOperation<
  OdooSettings,
  OdooCredentials,
  z.infer<typeof purchaseOrdersConfirmInput>,
  { id: number; name: string; state: string; confirmedNow: boolean }
>({
  name: 'purchaseOrders.confirm',
  description: 'Confirms a request for quotation into a purchase order (button_confirm), which creates its receipt.',
  input: purchaseOrdersConfirmInput,
  async run(ctx, { order }) {
    const id = await orderId(ctx, 'purchase.order', ctx.settings.purchaseOrderKeyField, order);
    return confirmOrder(ctx, 'purchase.order', id, 'button_confirm', ['purchase', 'done'], 'purchaseOrders.confirm');
  },
});
