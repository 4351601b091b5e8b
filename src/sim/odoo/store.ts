import { z } from 'zod';
import type { Clock } from '../../kernel/index.js';
import { checkDomain, matchesDomain, mentionsField, type Row, sortRows } from './domain.js';
import { missingError, OdooException, userError, validationError, valueError } from './errors.js';
import { type FieldDef, fieldOf, MAGIC_FIELDS, MODELS, type ModelDef } from './models.js';

export interface SearchOptions {
  offset?: number;
  limit?: number;
  order?: string;
  activeTest?: boolean;
}

const commandSchema = z.union([
  z.tuple([z.literal(0), z.unknown(), z.record(z.string(), z.unknown())]),
  z.tuple([z.literal(1), z.number().int(), z.record(z.string(), z.unknown())]),
  z.tuple([z.literal(2), z.number().int()]).rest(z.unknown()),
  z.tuple([z.literal(3), z.number().int()]).rest(z.unknown()),
  z.tuple([z.literal(4), z.number().int()]).rest(z.unknown()),
  z.tuple([z.literal(5)]).rest(z.unknown()),
  z.tuple([z.literal(6), z.unknown(), z.array(z.number().int())]),
]);

const READONLY = new Set(Object.keys(MAGIC_FIELDS));

/** Odoo's datetime wire format: UTC, `YYYY-MM-DD HH:MM:SS`. */
export const odooDatetime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** One database's records, with the ORM behaviour external callers observe. */
export class OdooStore {
  private readonly tables = new Map<string, Map<number, Row>>();
  private readonly sequences = new Map<string, number>();
  private nextId = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  model(name: string): ModelDef {
    const model = MODELS[name];
    // Odoo raises KeyError with the repr of the model name for an unknown model.
    if (!model) throw new OdooException('builtins.KeyError', `'${name}'`);
    return model;
  }

  table(name: string): Map<number, Row> {
    let t = this.tables.get(name);
    if (!t) {
      t = new Map();
      this.tables.set(name, t);
    }
    return t;
  }

  displayName = (relation: string, id: number): string => {
    const model = MODELS[relation];
    const row = this.table(relation).get(id);
    if (!model || !row) return '';
    const value = row[model.recName];
    if (typeof value === 'number') {
      const def = model.fields[model.recName];
      return def?.type === 'many2one' ? this.displayName(def.relation, value) : String(value);
    }
    return typeof value === 'string' ? value : '';
  };

  search(model: ModelDef, domain: readonly unknown[], options: SearchOptions = {}): number[] {
    checkDomain(model, domain);
    const activeTest = options.activeTest !== false && 'active' in model.fields && !mentionsField(domain, 'active');
    const rows = [...this.table(model.name).values()].filter(
      (row) => (!activeTest || row.active !== false) && matchesDomain(model, row, domain, this.displayName),
    );
    const sorted = sortRows(model, rows, options.order);
    const start = options.offset ?? 0;
    return sorted.slice(start, options.limit === undefined || options.limit === null ? undefined : start + options.limit).map((r) => r.id);
  }

  existing(model: ModelDef, ids: readonly number[], uid: number): Row[] {
    const table = this.table(model.name);
    const missing = ids.filter((id) => !table.has(id));
    if (missing.length > 0) throw missingError(model.name, missing, uid);
    return ids.map((id) => table.get(id)).filter((r): r is Row => r !== undefined);
  }

  read(model: ModelDef, ids: readonly number[], fields: readonly string[] | undefined, uid: number): Array<Record<string, unknown>> {
    const names = fields && fields.length > 0 ? fields : [...Object.keys(model.fields), 'display_name', 'create_date', 'write_date'];
    for (const f of names) if (!fieldOf(model, f)) throw valueError(`Invalid field '${f}' on model '${model.name}'`);
    return this.existing(model, ids, uid).map((row) => {
      const out: Record<string, unknown> = { id: row.id };
      for (const f of names) if (f !== 'id') out[f] = this.render(model, row, f);
      return out;
    });
  }

  create(model: ModelDef, vals: Record<string, unknown>, uid: number): number {
    const { scalars, commands } = this.coerce(model, vals);
    const row: Row = { id: this.allocate(model.name) };
    for (const [name, def] of Object.entries(model.fields)) {
      if ('default' in def && def.default !== undefined) row[name] = def.default;
    }
    Object.assign(row, scalars);
    if (model.sequence && (row.name === undefined || row.name === 'New' || row.name === '/')) {
      const next = (this.sequences.get(model.name) ?? 0) + 1;
      this.sequences.set(model.name, next);
      row.name = `${model.sequence.prefix}${String(next).padStart(model.sequence.pad, '0')}`;
    }
    if ('date_order' in model.fields && row.date_order === undefined) row.date_order = odooDatetime(this.clock.now());
    this.defaultsFromRelations(model, row);
    this.checkRequired(model, row);
    const now = odooDatetime(this.clock.now());
    Object.assign(row, { create_date: now, write_date: now, create_uid: uid, write_uid: uid });
    this.table(model.name).set(row.id, row);
    for (const [field, list] of commands) this.applyCommands(model, row, field, list, uid);
    this.recompute(model, row);
    return row.id;
  }

  write(model: ModelDef, ids: readonly number[], vals: Record<string, unknown>, uid: number): void {
    const rows = this.existing(model, ids, uid);
    const { scalars, commands } = this.coerce(model, vals);
    for (const row of rows) {
      const next = { ...row, ...scalars };
      this.checkRequired(model, next);
      Object.assign(row, scalars, { write_date: odooDatetime(this.clock.now()), write_uid: uid });
      for (const [field, list] of commands) this.applyCommands(model, row, field, list, uid);
      this.recompute(model, row);
    }
  }

  unlink(model: ModelDef, ids: readonly number[], uid: number): void {
    const rows = this.existing(model, ids, uid);
    if (model.name === 'sale.order' && rows.some((r) => r.state === 'sale' || r.state === 'done')) {
      throw userError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
    }
    if (model.name === 'purchase.order' && rows.some((r) => r.state === 'purchase' || r.state === 'done')) {
      throw userError('In order to delete a purchase order, you must cancel it first.');
    }
    for (const row of rows) {
      for (const def of Object.values(model.fields)) {
        if (def.type !== 'one2many') continue;
        const children = this.table(def.relation);
        for (const child of [...children.values()]) if (child[def.inverse] === row.id) children.delete(child.id);
      }
      this.table(model.name).delete(row.id);
    }
  }

  dump(): Record<string, Array<Record<string, unknown>>> {
    return Object.fromEntries([...this.tables].map(([name, t]) => [name, [...t.values()]]));
  }

  private allocate(model: string): number {
    const id = this.nextId.get(model) ?? 1;
    this.nextId.set(model, id + 1);
    return id;
  }

  private render(model: ModelDef, row: Row, field: string): unknown {
    if (field === 'display_name') return this.displayName(model.name, row.id);
    const def = fieldOf(model, field);
    if (!def) return false;
    if (def.type === 'one2many') {
      return [...this.table(def.relation).values()].filter((c) => c[def.inverse] === row.id).map((c) => c.id);
    }
    const value = row[field];
    if (def.type === 'many2one') {
      if (typeof value !== 'number') return false;
      return def.relation === 'res.users'
        ? [value, value === 1 ? 'OdooBot' : 'Administrator']
        : [value, this.displayName(def.relation, value)];
    }
    if (value === undefined || value === null || value === '')
      return def.type === 'integer' || def.type === 'float' || def.type === 'monetary' ? 0 : false;
    return value;
  }

  /** Checks and converts written values; one2many command lists are returned separately. */
  private coerce(
    model: ModelDef,
    vals: Record<string, unknown>,
  ): { scalars: Record<string, unknown>; commands: Array<[string, unknown[]]> } {
    const scalars: Record<string, unknown> = {};
    const commands: Array<[string, unknown[]]> = [];
    for (const [name, value] of Object.entries(vals)) {
      const def = model.fields[name];
      if (!def || READONLY.has(name)) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
      if (def.type === 'one2many') {
        if (!Array.isArray(value)) throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        commands.push([name, value]);
        continue;
      }
      if ('compute' in def && def.compute) continue;
      scalars[name] = this.coerceValue(model, name, def, value);
    }
    return { scalars, commands };
  }

  private coerceValue(model: ModelDef, name: string, def: FieldDef, value: unknown): unknown {
    if (value === false || value === null) return false;
    switch (def.type) {
      case 'many2one': {
        if (typeof value !== 'number' || !Number.isInteger(value))
          throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        if (!this.table(def.relation).has(value)) {
          throw validationError(
            `The operation cannot be completed: another model requires the record being deleted or a mandatory field refers to a missing record.\n\nModel: ${model.description} (${model.name})\nField: ${def.string} (${name})`,
          );
        }
        return value;
      }
      case 'integer':
      case 'float':
      case 'monetary':
        if (typeof value !== 'number') throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        return def.type === 'integer' ? Math.trunc(value) : value;
      case 'boolean':
        return Boolean(value);
      case 'selection':
        if (typeof value !== 'string' || !def.selection.includes(value))
          throw valueError(`Wrong value for ${model.name}.${name}: '${String(value)}'`);
        return value;
      default:
        if (typeof value !== 'string') throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        return value;
    }
  }

  private checkRequired(model: ModelDef, row: Record<string, unknown>): void {
    for (const [name, def] of Object.entries(model.fields)) {
      if (!('required' in def) || !def.required) continue;
      const v = row[name];
      if (v === undefined || v === false || v === null || v === '') {
        throw validationError(
          `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model.description} (${model.name})\nField: ${def.string} (${name})`,
        );
      }
    }
  }

  /** Line defaults taken from the product, as the onchange would fill them in the UI. */
  private defaultsFromRelations(model: ModelDef, row: Row): void {
    if (!model.name.endsWith('.order.line') || typeof row.product_id !== 'number') return;
    const product = this.table('product.product').get(row.product_id);
    if (!product) return;
    if (row.name === undefined) row.name = product.name;
    if (row.price_unit === undefined) row.price_unit = model.name === 'sale.order.line' ? product.list_price : product.standard_price;
  }

  private applyCommands(model: ModelDef, parent: Row, field: string, list: unknown[], uid: number): void {
    const def = model.fields[field];
    if (def?.type !== 'one2many') return;
    const child = this.model(def.relation);
    const children = () => [...this.table(def.relation).values()].filter((c) => c[def.inverse] === parent.id);
    for (const raw of list) {
      const parsed = commandSchema.safeParse(raw);
      if (!parsed.success) throw valueError(`Invalid one2many command ${JSON.stringify(raw)} for ${model.name}.${field}`);
      const command = parsed.data;
      switch (command[0]) {
        case 0:
          this.create(child, { ...command[2], [def.inverse]: parent.id }, uid);
          break;
        case 1:
          this.write(child, [command[1]], command[2], uid);
          break;
        case 2:
        case 3:
          // For a required inverse (order lines) unlinking from the parent deletes the line, as ondelete=cascade does.
          this.existing(child, [command[1]], uid);
          this.table(def.relation).delete(command[1]);
          break;
        case 4: {
          const [target] = this.existing(child, [command[1]], uid);
          if (target) target[def.inverse] = parent.id;
          break;
        }
        case 5:
          for (const c of children()) this.table(def.relation).delete(c.id);
          break;
        case 6: {
          const keep = new Set(command[2]);
          for (const c of children()) if (!keep.has(c.id)) this.table(def.relation).delete(c.id);
          for (const [target] of command[2].map((id) => this.existing(child, [id], uid))) if (target) target[def.inverse] = parent.id;
          break;
        }
      }
    }
  }

  private recompute(model: ModelDef, row: Row): void {
    if (model.name.endsWith('.order.line')) {
      const qty = Number(row.product_uom_qty ?? row.product_qty ?? 0);
      row.price_subtotal = Math.round(qty * Number(row.price_unit ?? 0) * 100) / 100;
      const parentModel = model.name.replace(/\.line$/, '');
      const parent = typeof row.order_id === 'number' ? this.table(parentModel).get(row.order_id) : undefined;
      if (parent) this.recompute(this.model(parentModel), parent);
      return;
    }
    const lines = model.fields.order_line;
    if (lines?.type !== 'one2many') return;
    const total = [...this.table(lines.relation).values()]
      .filter((c) => c[lines.inverse] === row.id)
      .reduce((sum, c) => sum + Number(c.price_subtotal ?? 0), 0);
    row.amount_total = Math.round(total * 100) / 100;
  }
}
