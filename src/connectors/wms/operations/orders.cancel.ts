import { z } from 'zod';
import { Id } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { WmsCredentials } from '../credentials.js';
import type { WmsSettings } from '../settings.js';
import { call, type WmsContext, wmsPath } from '../transport.js';
import { listOf, wmsOrderSchema } from '../wire.js';

export const ordersCancelInput = z.object({
  /** The crossdock order id (the reference it was released with). */
  orderId: Id,
  /** The warehouse's order id, when the caller has it; else the binding, else a lookup by reference. */
  externalId: z.string().min(1).optional(),
});

export interface CancelResult {
  externalId: string;
  status: string;
  cancelledAt: string | null;
}

/**
 * Cancels a released order (POST /v1/orders/{id}/cancel). Cancelling twice answers the same; an order
 * already shipped raises CD_ERR_WMS_ALREADY_SHIPPED (class business: the flow takes the return path).
 */
export const ordersCancel = defineOperation<WmsSettings, WmsCredentials, z.infer<typeof ordersCancelInput>, CancelResult>({
  name: 'orders.cancel',
  description: 'Cancels an order at the warehouse unless it has shipped.',
  input: ordersCancelInput,
  async run(ctx: WmsContext, input) {
    let externalId = input.externalId;
    if (!externalId) {
      const binding = await ctx.bindings.get({
        connector: ctx.connector,
        instance: ctx.instance,
        objectType: 'order',
        canonicalId: input.orderId,
      });
      if (binding?.status === 'bound' && binding.externalId) externalId = binding.externalId;
    }
    if (!externalId) {
      const found = await call(
        ctx,
        { method: 'GET', path: wmsPath('/orders'), query: { reference: input.orderId, limit: 1 }, operation: 'orders.lookup' },
        listOf(wmsOrderSchema),
      );
      externalId = found.data[0]?.id;
    }
    if (!externalId) throw ConnectorErrors.notFound(`the warehouse has no order ${input.orderId}`, { path: 'orderId' });
    const order = await call(
      ctx,
      {
        method: 'POST',
        path: wmsPath(`/orders/${encodeURIComponent(externalId)}/cancel`),
        headers: { 'idempotency-key': `crossdock:${ctx.instance}:cancel:${externalId}` },
        // Cancelling is idempotent at the 3PL (a second cancel answers the cancelled order).
        idempotent: true,
        operation: 'orders.cancel',
      },
      wmsOrderSchema,
    );
    return { externalId: order.id, status: order.status, cancelledAt: order.cancelled_at };
  },
});
