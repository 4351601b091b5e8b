import { z } from 'zod';
import type { Clock } from '../../kernel/index.js';
import { OdooException, userError, valueError } from './errors.js';
import { fieldOf, type ModelDef } from './models.js';
import { type OdooStore, odooDatetime } from './store.js';

/**
 * ORM methods reachable through `object.execute_kw(db, uid, password, model, method, args, kwargs)`
 * (https://www.odoo.com/documentation/17.0/developer/reference/external_api.html). Positional arguments
 * follow the Python signatures, so `args` and `kwargs` may be mixed as in Python.
 */
const domainSchema = z.array(z.unknown());
const idsSchema = z.union([z.number().int(), z.array(z.number().int())]).transform((v) => (Array.isArray(v) ? v : [v]));
const fieldsSchema = z.array(z.string()).nullish();
const valsSchema = z.record(z.string(), z.unknown());
const intSchema = z.number().int().min(0).nullish();
const contextSchema = z.looseObject({ active_test: z.boolean().optional() }).nullish();

type Params = readonly string[];

function bind(args: readonly unknown[], kwargs: Record<string, unknown>, names: Params, method: string): Record<string, unknown> {
  if (args.length > names.length)
    throw new OdooException('builtins.TypeError', `${method}() takes ${names.length} positional arguments but ${args.length} were given`);
  const bound: Record<string, unknown> = {};
  names.forEach((name, i) => {
    if (i < args.length) bound[name] = args[i];
  });
  for (const [key, value] of Object.entries(kwargs)) {
    if (key === 'context') continue;
    if (!names.includes(key)) throw new OdooException('builtins.TypeError', `${method}() got an unexpected keyword argument '${key}'`);
    if (key in bound) throw new OdooException('builtins.TypeError', `${method}() got multiple values for argument '${key}'`);
    bound[key] = value;
  }
  return bound;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw valueError(`Invalid ${what}: ${JSON.stringify(value)}`);
  return parsed.data;
}

export interface ExecuteContext {
  store: OdooStore;
  uid: number;
  clock: Clock;
}

function searchArgs(bound: Record<string, unknown>, kwargs: Record<string, unknown>) {
  const context = parse(contextSchema, kwargs.context, 'context');
  const limit = parse(intSchema, bound.limit, 'limit');
  const offset = parse(intSchema, bound.offset, 'offset');
  const order = parse(z.string().nullish(), bound.order, 'order');
  return {
    ...(limit !== null && limit !== undefined ? { limit } : {}),
    ...(offset !== null && offset !== undefined ? { offset } : {}),
    ...(order ? { order } : {}),
    ...(context?.active_test === false ? { activeTest: false } : {}),
  };
}

/**
 * sale.order.action_confirm raises on orders that are not quotations; purchase.order.button_confirm
 * skips them silently. Each confirmed order gets one transfer, ready for the warehouse.
 */
function confirm(
  ctx: ExecuteContext,
  model: ModelDef,
  ids: number[],
  from: readonly string[],
  to: string,
  code: 'outgoing' | 'incoming',
): true {
  const rows = ctx.store.existing(model, ids, ctx.uid);
  const pending = rows.filter((r) => typeof r.state === 'string' && from.includes(r.state));
  if (code === 'outgoing' && pending.length < rows.length) throw userError('Some orders are not in a state requiring confirmation.');
  const picking = ctx.store.model('stock.picking');
  for (const row of pending) {
    ctx.store.write(model, [row.id], { state: to }, ctx.uid);
    const sequence = ctx.store.search(picking, [['picking_type_code', '=', code]]).length + 1;
    ctx.store.create(
      picking,
      {
        name: `WH/${code === 'outgoing' ? 'OUT' : 'IN'}/${String(sequence).padStart(5, '0')}`,
        partner_id: row.partner_id ?? false,
        origin: row.name ?? false,
        picking_type_code: code,
        state: 'assigned',
        scheduled_date: odooDatetime(ctx.clock.now()),
      },
      ctx.uid,
    );
  }
  return true;
}

export function executeMethod(
  ctx: ExecuteContext,
  modelName: string,
  method: string,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): unknown {
  const { store, uid } = ctx;
  const model = store.model(modelName);
  switch (method) {
    case 'search': {
      const b = bind(args, kwargs, ['domain', 'offset', 'limit', 'order'], method);
      return store.search(model, parse(domainSchema, b.domain ?? [], 'domain'), searchArgs(b, kwargs));
    }
    case 'search_count': {
      const b = bind(args, kwargs, ['domain', 'limit'], method);
      return store.search(model, parse(domainSchema, b.domain ?? [], 'domain'), searchArgs(b, kwargs)).length;
    }
    case 'search_read': {
      const b = bind(args, kwargs, ['domain', 'fields', 'offset', 'limit', 'order'], method);
      const ids = store.search(model, parse(domainSchema, b.domain ?? [], 'domain'), searchArgs(b, kwargs));
      return store.read(model, ids, parse(fieldsSchema, b.fields, 'fields') ?? undefined, uid);
    }
    case 'read': {
      const b = bind(args, kwargs, ['ids', 'fields', 'load'], method);
      return store.read(model, parse(idsSchema, b.ids, 'ids'), parse(fieldsSchema, b.fields, 'fields') ?? undefined, uid);
    }
    case 'create': {
      const b = bind(args, kwargs, ['vals_list'], method);
      if (Array.isArray(b.vals_list)) return b.vals_list.map((vals) => store.create(model, parse(valsSchema, vals, 'values'), uid));
      return store.create(model, parse(valsSchema, b.vals_list, 'values'), uid);
    }
    case 'write': {
      const b = bind(args, kwargs, ['ids', 'vals'], method);
      store.write(model, parse(idsSchema, b.ids, 'ids'), parse(valsSchema, b.vals, 'values'), uid);
      return true;
    }
    case 'unlink': {
      const b = bind(args, kwargs, ['ids'], method);
      store.unlink(model, parse(idsSchema, b.ids, 'ids'), uid);
      return true;
    }
    case 'fields_get': {
      const b = bind(args, kwargs, ['allfields', 'attributes'], method);
      const only = parse(fieldsSchema, b.allfields, 'allfields');
      const names = only && only.length > 0 ? only : Object.keys(model.fields);
      return Object.fromEntries(
        names.flatMap((name) => {
          const def = fieldOf(model, name);
          if (!def) return [];
          const relation = 'relation' in def ? { relation: def.relation } : {};
          const selection = def.type === 'selection' ? { selection: def.selection.map((v) => [v, v]) } : {};
          return [
            [name, { type: def.type, string: def.string, required: 'required' in def && def.required === true, ...relation, ...selection }],
          ];
        }),
      );
    }
    case 'action_confirm':
      if (model.name !== 'sale.order') break;
      return confirm(ctx, model, parse(idsSchema, bind(args, kwargs, ['ids'], method).ids, 'ids'), ['draft', 'sent'], 'sale', 'outgoing');
    case 'button_confirm':
      if (model.name !== 'purchase.order') break;
      return confirm(
        ctx,
        model,
        parse(idsSchema, bind(args, kwargs, ['ids'], method).ids, 'ids'),
        ['draft', 'sent', 'to approve'],
        'purchase',
        'incoming',
      );
  }
  throw new OdooException('builtins.AttributeError', `The method '${method}' does not exist on the model '${model.name}'`);
}
