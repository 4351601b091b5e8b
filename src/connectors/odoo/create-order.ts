import { z } from 'zod';
import { ConnectorErrors } from '../sdk/index.js';
import { findOrder } from './resolve.js';
import { executeKw, type OdooContext } from './transport.js';

/**
 * Creates an order at most once: the crossdock id goes into the key field; the binding is written before
 * the create, and a retry after an unknown outcome searches the key field before creating again.
 */
export async function createOrderOnce(
  ctx: OdooContext,
  model: 'sale.order' | 'purchase.order',
  keyField: string,
  canonicalId: string,
  vals: Record<string, unknown>,
  operation: string,
): Promise<{ id: number; created: boolean }> {
  const result = await ctx.bindings.idempotentCreate<{ id: number }>({
    connector: ctx.connector,
    instance: ctx.instance,
    objectType: model,
    canonicalId,
    externalKey: canonicalId,
    lookup: async (key) => {
      const found = await findOrder(ctx, model, keyField, key);
      return found === undefined ? undefined : { externalId: String(found), result: { id: found } };
    },
    create: async () => {
      // `create` is not safe to repeat by itself: a timeout here leaves the outcome to the lookup above.
      const id = await executeKw(ctx, { model, method: 'create', args: [vals], idempotent: false, operation }, z.number());
      return { externalId: String(id), result: { id } };
    },
  });
  return { id: Number(result.externalId), created: result.created };
}

const stateSchema = z.array(z.object({ id: z.number(), state: z.string(), name: z.string() }));

/** Confirms an order unless it already is (a repeat after a timeout finds it confirmed and does nothing). */
export async function confirmOrder(
  ctx: OdooContext,
  model: 'sale.order' | 'purchase.order',
  id: number,
  method: 'action_confirm' | 'button_confirm',
  confirmed: readonly string[],
  operation: string,
): Promise<{ id: number; name: string; state: string; confirmedNow: boolean }> {
  const read = () =>
    executeKw(
      ctx,
      { model, method: 'read', args: [[id]], kwargs: { fields: ['state', 'name'] }, idempotent: true, operation },
      stateSchema,
    );
  const [before] = await read();
  if (!before) throw ConnectorErrors.notFound(`Odoo has no ${model} ${id}`, { path: 'order' });
  if (confirmed.includes(before.state)) return { id, name: before.name, state: before.state, confirmedNow: false };
  await executeKw(ctx, { model, method, args: [[id]], idempotent: false, operation }, z.unknown());
  const [after] = await read();
  return { id, name: after?.name ?? before.name, state: after?.state ?? 'unknown', confirmedNow: true };
}
