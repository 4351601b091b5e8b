import { z } from 'zod';
import type { ItemRef, PartyRef } from '../../canonical/index.js';
import { ConnectorErrors } from '../sdk/index.js';
import { ODOO } from './mappers/values.js';
import { executeKw, type OdooContext } from './transport.js';

const ids = z.array(z.number());

/** A partner's id: refs.odoo, else the binding partners.upsert saved, else `ref` = crossdock id. */
export async function partnerId(ctx: OdooContext, party: PartyRef | undefined, path: string): Promise<number> {
  const direct = party?.refs?.[ODOO];
  if (direct) return Number(direct);
  const key = party?.id;
  if (!key) throw ConnectorErrors.mapping(`${path}: needs refs.odoo or the crossdock id Odoo holds in ref`, { path });
  const bound = await ctx.bindings.get({ connector: ctx.connector, instance: ctx.instance, objectType: 'res.partner', canonicalId: key });
  if (bound?.status === 'bound' && bound.externalId) return Number(bound.externalId);
  const [found] = await executeKw(
    ctx,
    {
      model: 'res.partner',
      method: 'search',
      args: [[['ref', '=', key]]],
      kwargs: { limit: 1 },
      idempotent: true,
      operation: 'partners.lookup',
    },
    ids,
  );
  if (found === undefined) throw ConnectorErrors.rejected(`Odoo has no partner with ref ${key}; upsert it first`, { path });
  return found;
}

/** A product's id: refs.odoo, else the product whose Internal Reference (default_code) is the SKU. */
export async function productId(ctx: OdooContext, item: ItemRef, path: string): Promise<number> {
  const direct = item.refs?.[ODOO];
  if (direct) return Number(direct);
  if (!item.sku) throw ConnectorErrors.mapping(`${path}: needs refs.odoo or a sku (Odoo's Internal Reference)`, { path });
  const [found] = await executeKw(
    ctx,
    {
      model: 'product.product',
      method: 'search',
      args: [[['default_code', '=', item.sku]]],
      kwargs: { limit: 1 },
      idempotent: true,
      operation: 'products.lookup',
    },
    ids,
  );
  if (found === undefined) throw ConnectorErrors.rejected(`Odoo has no product with Internal Reference ${item.sku}`, { path });
  return found;
}

/** The id of an order crossdock created: refs.odoo, else its binding, else the order whose key field holds the crossdock id. */
export async function orderId(
  ctx: OdooContext,
  model: 'sale.order' | 'purchase.order',
  keyField: string,
  ref: { id?: string | undefined; refs?: Record<string, string> | undefined },
): Promise<number> {
  const direct = ref.refs?.[ODOO];
  if (direct) return Number(direct);
  if (!ref.id) throw ConnectorErrors.mapping('order: needs refs.odoo or the crossdock id', { path: 'order' });
  const bound = await ctx.bindings.get({ connector: ctx.connector, instance: ctx.instance, objectType: model, canonicalId: ref.id });
  if (bound?.status === 'bound' && bound.externalId) return Number(bound.externalId);
  const found = await findOrder(ctx, model, keyField, ref.id);
  if (found === undefined) throw ConnectorErrors.notFound(`Odoo has no ${model} with ${keyField} = ${ref.id}`, { path: 'order' });
  return found;
}

export async function findOrder(ctx: OdooContext, model: string, keyField: string, key: string): Promise<number | undefined> {
  const [found] = await executeKw(
    ctx,
    { model, method: 'search', args: [[[keyField, '=', key]]], kwargs: { limit: 1 }, idempotent: true, operation: `${model}.lookup` },
    ids,
  );
  return found;
}
