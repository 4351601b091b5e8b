import { z } from 'zod';
import { LocationRef, SalesOrderV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { WmsCredentials } from '../credentials.js';
import { releaseFromSalesOrder } from '../mappers/release.js';
import type { WmsSettings } from '../settings.js';
import { call, type WmsContext, wmsPath } from '../transport.js';
import { listOf, wmsOrderSchema } from '../wire.js';

export const ordersReleaseInput = z.object({
  order: SalesOrderV1,
  /** The warehouse to ship from (its `code`); else the order's shipFrom, else the settings' default. */
  location: LocationRef.optional(),
});

export interface ReleaseResult {
  externalId: string;
  reference: string;
  status: string;
  warehouse: string;
}

/**
 * Releases a canonical SalesOrder to the warehouse (POST /v1/orders). Two guards against a second
 * warehouse order: the Idempotency-Key lets the transport resend after a timeout (the 3PL replays
 * its first answer), and Bindings.idempotentCreate looks the order up by reference before a later
 * attempt creates anything (a 409 duplicate_reference is resolved the same way).
 */
export const ordersRelease = defineOperation<WmsSettings, WmsCredentials, z.infer<typeof ordersReleaseInput>, ReleaseResult>({
  name: 'orders.release',
  description: 'Releases a sales order to the 3PL warehouse for pick, pack and ship.',
  input: ordersReleaseInput,
  async run(ctx: WmsContext, input) {
    const warehouse = input.location?.code ?? input.order.shipFrom?.code ?? ctx.settings.defaultWarehouse;
    const body = releaseFromSalesOrder(input.order, warehouse);
    const toResult = (o: z.infer<typeof wmsOrderSchema>) => ({
      externalId: o.id,
      result: { externalId: o.id, reference: o.reference, status: o.status, warehouse: o.warehouse },
    });
    const outcome = await ctx.bindings.idempotentCreate<ReleaseResult>({
      connector: ctx.connector,
      instance: ctx.instance,
      objectType: 'order',
      canonicalId: input.order.id,
      externalKey: body.reference,
      lookup: async (reference) => {
        const found = await call(
          ctx,
          { method: 'GET', path: wmsPath('/orders'), query: { reference, limit: 1 }, operation: 'orders.lookup' },
          listOf(wmsOrderSchema),
        );
        const order = found.data[0];
        return order ? toResult(order) : undefined;
      },
      create: async (reference) => {
        const created = await call(
          ctx,
          {
            method: 'POST',
            path: wmsPath('/orders'),
            body: { ...body, reference },
            headers: { 'idempotency-key': `crossdock:${ctx.instance}:release:${input.order.id}` },
            idempotent: true,
            operation: 'orders.release',
          },
          wmsOrderSchema,
        );
        return toResult(created);
      },
    });
    return outcome.result;
  },
});
