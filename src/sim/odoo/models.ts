/** Field types the simulator understands; values follow Odoo's JSON-RPC encoding (false for empty). */
export type FieldDef =
  | { type: 'char' | 'text' | 'datetime' | 'date'; string: string; required?: boolean; default?: string }
  | { type: 'integer' | 'float' | 'monetary'; string: string; required?: boolean; default?: number; compute?: boolean }
  | { type: 'boolean'; string: string; default?: boolean }
  | { type: 'selection'; string: string; selection: readonly string[]; required?: boolean; default?: string; readonly?: boolean }
  | { type: 'many2one'; string: string; relation: string; required?: boolean }
  | { type: 'one2many'; string: string; relation: string; inverse: string };

export interface ModelDef {
  readonly name: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, FieldDef>>;
  /** Field shown as display_name. */
  readonly recName: string;
  /** Prefix of the sequence assigned to `name` when created as "New" or "/". */
  readonly sequence?: { prefix: string; pad: number };
}

const m2o = (string: string, relation: string, required = false): FieldDef => ({ type: 'many2one', string, relation, required });
const char = (string: string, required = false): FieldDef => ({ type: 'char', string, required });
const float = (string: string, def?: number): FieldDef =>
  def === undefined ? { type: 'float', string } : { type: 'float', string, default: def };

const LINE_FIELDS = {
  product_id: m2o('Product', 'product.product'),
  name: { type: 'text', string: 'Description' },
  price_unit: float('Unit Price'),
  price_subtotal: { type: 'monetary', string: 'Subtotal', compute: true },
} satisfies Record<string, FieldDef>;

export const MODELS: Record<string, ModelDef> = {
  'res.partner': {
    name: 'res.partner',
    description: 'Contact',
    recName: 'name',
    fields: {
      name: char('Name', true),
      ref: char('Reference'),
      email: char('Email'),
      phone: char('Phone'),
      street: char('Street'),
      city: char('City'),
      zip: char('Zip'),
      vat: char('Tax ID'),
      is_company: { type: 'boolean', string: 'Is a Company', default: false },
      parent_id: m2o('Related Company', 'res.partner'),
      customer_rank: { type: 'integer', string: 'Customer Rank', default: 0 },
      supplier_rank: { type: 'integer', string: 'Supplier Rank', default: 0 },
      active: { type: 'boolean', string: 'Active', default: true },
    },
  },
  'product.product': {
    name: 'product.product',
    description: 'Product Variant',
    recName: 'name',
    fields: {
      name: char('Name', true),
      default_code: char('Internal Reference'),
      barcode: char('Barcode'),
      list_price: float('Sales Price', 1),
      standard_price: float('Cost', 0),
      type: { type: 'selection', string: 'Product Type', selection: ['consu', 'service', 'product'], default: 'consu' },
      active: { type: 'boolean', string: 'Active', default: true },
    },
  },
  'stock.location': {
    name: 'stock.location',
    description: 'Inventory Locations',
    recName: 'complete_name',
    fields: {
      name: char('Location Name', true),
      complete_name: char('Full Location Name'),
      usage: {
        type: 'selection',
        string: 'Location Type',
        selection: ['supplier', 'view', 'internal', 'customer', 'inventory', 'transit'],
        default: 'internal',
      },
      active: { type: 'boolean', string: 'Active', default: true },
    },
  },
  'stock.quant': {
    name: 'stock.quant',
    description: 'Quants',
    recName: 'product_id',
    fields: {
      product_id: m2o('Product', 'product.product', true),
      location_id: m2o('Location', 'stock.location', true),
      quantity: float('Quantity', 0),
      reserved_quantity: float('Reserved Quantity', 0),
      lot_id: char('Lot/Serial Number'),
    },
  },
  'stock.picking': {
    name: 'stock.picking',
    description: 'Transfer',
    recName: 'name',
    sequence: { prefix: 'WH/OUT/', pad: 5 },
    fields: {
      name: { type: 'char', string: 'Reference', default: '/' },
      partner_id: m2o('Contact', 'res.partner'),
      origin: char('Source Document'),
      picking_type_code: {
        type: 'selection',
        string: 'Type of Operation',
        selection: ['incoming', 'outgoing', 'internal'],
        default: 'outgoing',
      },
      state: {
        type: 'selection',
        string: 'Status',
        selection: ['draft', 'waiting', 'confirmed', 'assigned', 'done', 'cancel'],
        default: 'draft',
      },
      scheduled_date: { type: 'datetime', string: 'Scheduled Date' },
      date_done: { type: 'datetime', string: 'Date of Transfer' },
      carrier_tracking_ref: char('Tracking Reference'),
    },
  },
  'sale.order': {
    name: 'sale.order',
    description: 'Sales Order',
    recName: 'name',
    sequence: { prefix: 'S', pad: 5 },
    fields: {
      name: { type: 'char', string: 'Order Reference', default: 'New' },
      partner_id: m2o('Customer', 'res.partner', true),
      client_order_ref: char('Customer Reference'),
      date_order: { type: 'datetime', string: 'Order Date' },
      commitment_date: { type: 'datetime', string: 'Delivery Date' },
      state: {
        type: 'selection',
        string: 'Status',
        selection: ['draft', 'sent', 'sale', 'done', 'cancel'],
        default: 'draft',
        readonly: true,
      },
      order_line: { type: 'one2many', string: 'Order Lines', relation: 'sale.order.line', inverse: 'order_id' },
      amount_total: { type: 'monetary', string: 'Total', compute: true },
      note: { type: 'text', string: 'Terms and conditions' },
    },
  },
  'sale.order.line': {
    name: 'sale.order.line',
    description: 'Sales Order Line',
    recName: 'name',
    fields: { order_id: m2o('Order Reference', 'sale.order', true), ...LINE_FIELDS, product_uom_qty: float('Quantity', 1) },
  },
  'purchase.order': {
    name: 'purchase.order',
    description: 'Purchase Order',
    recName: 'name',
    sequence: { prefix: 'P', pad: 5 },
    fields: {
      name: { type: 'char', string: 'Order Reference', default: 'New' },
      partner_id: m2o('Vendor', 'res.partner', true),
      partner_ref: char('Vendor Reference'),
      date_order: { type: 'datetime', string: 'Order Deadline' },
      date_planned: { type: 'datetime', string: 'Expected Arrival' },
      state: {
        type: 'selection',
        string: 'Status',
        selection: ['draft', 'sent', 'to approve', 'purchase', 'done', 'cancel'],
        default: 'draft',
        readonly: true,
      },
      order_line: { type: 'one2many', string: 'Order Lines', relation: 'purchase.order.line', inverse: 'order_id' },
      amount_total: { type: 'monetary', string: 'Total', compute: true },
    },
  },
  'purchase.order.line': {
    name: 'purchase.order.line',
    description: 'Purchase Order Line',
    recName: 'name',
    fields: { order_id: m2o('Order Reference', 'purchase.order', true), ...LINE_FIELDS, product_qty: float('Quantity', 1) },
  },
  'account.move': {
    name: 'account.move',
    description: 'Journal Entry',
    recName: 'name',
    fields: {
      name: { type: 'char', string: 'Number', default: '/' },
      move_type: {
        type: 'selection',
        string: 'Type',
        selection: ['entry', 'out_invoice', 'out_refund', 'in_invoice', 'in_refund', 'out_receipt', 'in_receipt'],
        default: 'entry',
      },
      partner_id: m2o('Partner', 'res.partner'),
      ref: char('Reference'),
      invoice_origin: char('Origin'),
      invoice_date: { type: 'date', string: 'Invoice/Bill Date' },
      state: { type: 'selection', string: 'Status', selection: ['draft', 'posted', 'cancel'], default: 'draft', readonly: true },
      amount_total: { type: 'monetary', string: 'Total', default: 0 },
      payment_state: {
        type: 'selection',
        string: 'Payment Status',
        selection: ['not_paid', 'in_payment', 'paid', 'partial', 'reversed'],
        default: 'not_paid',
      },
    },
  },
};

/** Magic fields every model has (odoo/models.py MAGIC_COLUMNS plus display_name). */
export const MAGIC_FIELDS: Record<string, FieldDef> = {
  id: { type: 'integer', string: 'ID' },
  display_name: { type: 'char', string: 'Display Name' },
  create_date: { type: 'datetime', string: 'Created on' },
  write_date: { type: 'datetime', string: 'Last Updated on' },
  create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users' },
  write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users' },
};

export function fieldOf(model: ModelDef, name: string): FieldDef | undefined {
  return model.fields[name] ?? MAGIC_FIELDS[name];
}
