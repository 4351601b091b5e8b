import { z } from 'zod';
import { CustomerV1, SupplierV1 } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { OdooCredentials } from '../credentials.js';
import { partnerVals } from '../mappers/partner.js';
import type { OdooSettings } from '../settings.js';
import { executeKw } from '../transport.js';

export const partnersUpsertInput = z.union([z.object({ customer: CustomerV1 }), z.object({ supplier: SupplierV1 })]);

/**
 * res.partner keyed by `ref` = crossdock id: search, then write or create. A repeat after a timed-out
 * create finds the partner by ref and writes instead.
 */
export const partnersUpsert = defineOperation<
  OdooSettings,
  OdooCredentials,
  z.infer<typeof partnersUpsertInput>,
  { id: number; created: boolean }
>({
  name: 'partners.upsert',
  description: 'Creates or updates the res.partner of a canonical Customer or Supplier (ref = crossdock id).',
  input: partnersUpsertInput,
  async run(ctx, input) {
    const vals =
      'customer' in input
        ? partnerVals({ kind: 'customer', customer: input.customer })
        : partnerVals({ kind: 'supplier', supplier: input.supplier });
    const canonicalId = 'customer' in input ? input.customer.id : input.supplier.id;
    // active_test off: an archived partner is revived, not duplicated.
    const [existing] = await executeKw(
      ctx,
      {
        model: 'res.partner',
        method: 'search',
        args: [[['ref', '=', canonicalId]]],
        kwargs: { limit: 1, context: { active_test: false } },
        idempotent: true,
        operation: 'partners.upsert',
      },
      z.array(z.number()),
    );
    let id: number;
    if (existing !== undefined) {
      await executeKw(
        ctx,
        {
          model: 'res.partner',
          method: 'write',
          args: [[existing], { ...vals, active: true }],
          idempotent: true,
          operation: 'partners.upsert',
        },
        z.boolean(),
      );
      id = existing;
    } else {
      id = await executeKw(
        ctx,
        { model: 'res.partner', method: 'create', args: [vals], idempotent: false, operation: 'partners.upsert' },
        z.number(),
      );
    }
    await ctx.bindings.bind(
      { connector: ctx.connector, instance: ctx.instance, objectType: 'res.partner', canonicalId },
      canonicalId,
      String(id),
      { id },
    );
    return { id, created: existing === undefined };
  },
});
