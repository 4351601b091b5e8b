import { type SalesOrder, type SalesOrderLine, SalesOrderV1, type TaxLine } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';
import { addressFromShopify, addressToShopify } from './address.js';
import { fractionToPercent, idToJson, isObject, type JsonObject, merge, Picker, percentToFraction } from './picker.js';

/**
 * Shopify REST order (webhook `orders/*` body; https://shopify.dev/docs/api/admin-rest/2025-01/resources/order)
 * <-> canonical SalesOrder. Every field not mapped stays in `ext.shopify` in the order's own shape, so
 * `salesOrderToShopify(salesOrderFromShopify(x))` gives back x.
 */
export const SHOPIFY = 'shopify';

const CURRENCY = /^[A-Z]{3}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

// https://shopify.dev/docs/api/admin-rest/2025-01/resources/order — financial_status values.
const PAYMENT_STATUS = {
  pending: 'unpaid',
  authorized: 'authorized',
  partially_paid: 'partially-paid',
  paid: 'paid',
  partially_refunded: 'partially-refunded',
  refunded: 'refunded',
  voided: 'voided',
} as const;
type PaymentStatus = (typeof PAYMENT_STATUS)[keyof typeof PAYMENT_STATUS];
const FINANCIAL_STATUS: Record<PaymentStatus, string> = {
  unpaid: 'pending',
  authorized: 'authorized',
  'partially-paid': 'partially_paid',
  paid: 'paid',
  'partially-refunded': 'partially_refunded',
  refunded: 'refunded',
  voided: 'voided',
};

export function shopifyOrderId(instance: string, orderId: string): string {
  return `shopify:${instance}:order:${orderId}`;
}

function taxLine(currency: string) {
  return (source: JsonObject): { value: TaxLine; rest: JsonObject } | undefined => {
    const p = new Picker(source);
    const amount = p.money('price');
    if (amount === undefined) return undefined;
    const value: TaxLine = { amount: { amount, currency } };
    const rate = source.rate;
    if (typeof rate === 'number') {
      const percent = fractionToPercent(rate);
      if (percent !== undefined) {
        value.ratePercent = percent;
        delete p.rest.rate;
      }
    }
    const name = p.string('title');
    if (name !== undefined) value.name = name;
    return { value, rest: p.rest };
  };
}

function taxLineToShopify(t: TaxLine): JsonObject {
  const out: JsonObject = { price: t.amount.amount };
  if (t.ratePercent !== undefined) out.rate = percentToFraction(t.ratePercent);
  if (t.name !== undefined) out.title = t.name;
  return out;
}

function line(currency: string) {
  return (source: JsonObject, index: number): { value: SalesOrderLine; rest: JsonObject } | undefined => {
    const p = new Picker(source);
    const lineId = p.id('id');
    const sku = p.string('sku');
    const variantId = p.id('variant_id');
    const title = p.string('title');
    const quantity = p.count('quantity');
    if (quantity === undefined) return undefined;
    const fallbackRef = lineId ?? String(index + 1);
    const value: SalesOrderLine = {
      lineNumber: String(index + 1),
      item: {
        ...(sku !== undefined ? { sku } : {}),
        ...(title !== undefined ? { description: title } : {}),
        // An item needs an identifier; a custom line item has neither SKU nor variant.
        ...(variantId !== undefined
          ? { refs: { [SHOPIFY]: variantId } }
          : sku === undefined
            ? { refs: { 'shopify/line-item': fallbackRef } }
            : {}),
      },
      quantity: { value: quantity, uom: 'EA' },
      discounts: [],
      taxes: [],
      charges: [],
      notes: [],
      status: 'open',
    };
    if (lineId !== undefined) value.refs = { [SHOPIFY]: lineId };
    const name = p.string('name');
    if (name !== undefined) value.description = name;
    const price = p.money('price');
    if (price !== undefined) value.unitPrice = { amount: price, currency };
    const taxes = p.list('tax_lines', taxLine(currency));
    if (taxes !== undefined) value.taxes = taxes;
    // Line fields without a canonical place stay on the line.
    if (Object.keys(p.rest).length > 0) value.ext = { [SHOPIFY]: p.rest };
    return { value, rest: {} };
  };
}

function extOf(ext: Record<string, unknown> | undefined): JsonObject {
  const v = ext?.[SHOPIFY];
  return isObject(v) ? v : {};
}

/** Maps a REST order to a canonical SalesOrder; a field the model requires but the order lacks is a mapping error. */
export function salesOrderFromShopify(raw: unknown, instance: string): SalesOrder {
  if (!isObject(raw)) throw ConnectorErrors.mapping('Shopify order: expected a JSON object', { path: '' });
  const p = new Picker(raw);
  const orderId = p.id('id');
  if (orderId === undefined) throw ConnectorErrors.mapping('Shopify order id: missing or not an integer id', { path: 'id' });
  const currency = p.string('currency', CURRENCY);
  if (currency === undefined) throw ConnectorErrors.mapping('Shopify order currency: missing or not ISO 4217', { path: 'currency' });
  const orderDate = p.timestamp('created_at');
  if (orderDate === undefined) throw ConnectorErrors.mapping('Shopify order created_at: missing or not RFC 3339', { path: 'created_at' });
  const lines = p.list('line_items', line(currency));
  if (lines === undefined || lines.length === 0) {
    throw ConnectorErrors.mapping('Shopify order line_items: missing or malformed', { path: 'line_items' });
  }
  const draft: SalesOrder = {
    id: shopifyOrderId(instance, orderId),
    refs: { [SHOPIFY]: orderId },
    ext: {},
    channel: SHOPIFY,
    orderType: 'standard',
    status: raw.cancelled_at ? 'cancelled' : 'received',
    orderDate,
    currency,
    holds: [],
    lines,
    charges: [],
    taxes: [],
    taxesIncluded: false,
    notes: [],
  };
  const name = p.string('name');
  if (name !== undefined) draft.channelOrderId = name;
  const email = p.string('email', EMAIL);
  if (email !== undefined) draft.buyer = { email };
  const payment = p.code('financial_status', PAYMENT_STATUS);
  if (payment !== undefined) draft.paymentStatus = payment;
  const note = p.string('note');
  if (note !== undefined) draft.notes = [{ kind: 'customer', text: note }];
  if (p.flag('taxes_included')) draft.taxesIncluded = true;
  const taxes = p.list('tax_lines', taxLine(currency));
  if (taxes !== undefined) draft.taxes = taxes;
  const charges = p.list('shipping_lines', (s) => {
    const sp = new Picker(s);
    const amount = sp.money('price');
    if (amount === undefined) return undefined;
    const charge: SalesOrder['charges'][number] = { kind: 'charge', type: 'freight', amount: { amount, currency } };
    const title = sp.string('title');
    if (title !== undefined) charge.description = title;
    const code = sp.string('code');
    if (code !== undefined && code.length <= 100) charge.code = code;
    else if (code !== undefined) sp.rest.code = code;
    return { value: charge, rest: sp.rest };
  });
  if (charges !== undefined) draft.charges = charges;
  const total = p.money('total_price');
  if (total !== undefined) {
    const money = (amount: string | undefined) => (amount === undefined ? undefined : { amount, currency });
    const totals: NonNullable<SalesOrder['totals']> = { total: { amount: total, currency } };
    const subtotal = money(p.money('subtotal_price'));
    const discount = money(p.money('total_discounts'));
    const tax = money(p.money('total_tax'));
    if (subtotal) totals.subtotal = subtotal;
    if (discount) totals.discountTotal = discount;
    if (tax) totals.taxTotal = tax;
    draft.totals = totals;
  }
  const shipTo = p.object('shipping_address', addressFromShopify);
  if (shipTo !== undefined) draft.shipTo = shipTo;
  const billTo = p.object('billing_address', addressFromShopify);
  if (billTo !== undefined) draft.billTo = billTo;
  const customer = p.object('customer', (c) => {
    const cp = new Picker(c);
    const id = cp.id('id');
    return id === undefined ? undefined : { value: { refs: { [SHOPIFY]: id } }, rest: cp.rest };
  });
  if (customer !== undefined) draft.customer = customer;
  if (Object.keys(p.rest).length > 0) draft.ext = { [SHOPIFY]: p.rest };

  const parsed = SalesOrderV1.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw ConnectorErrors.mapping(`Shopify order ${orderId} → SalesOrder ${path}: ${issue?.message ?? 'invalid'}`, { path });
  }
  return parsed.data;
}

function lineToShopify(l: SalesOrderLine): JsonObject {
  const rest = extOf(l.ext);
  const out: JsonObject = { ...rest };
  const lineId = l.refs?.[SHOPIFY];
  if (lineId !== undefined) out.id = idToJson(lineId);
  if (l.item.sku !== undefined) out.sku = l.item.sku;
  const variant = l.item.refs?.[SHOPIFY];
  if (variant !== undefined) out.variant_id = idToJson(variant);
  if (l.item.description !== undefined) out.title = l.item.description;
  out.quantity = Number(l.quantity.value);
  if (l.description !== undefined) out.name = l.description;
  if (l.unitPrice !== undefined) out.price = l.unitPrice.amount;
  if (l.taxes.length > 0) out.tax_lines = merge(rest.tax_lines, l.taxes.map(taxLineToShopify)) ?? [];
  return out;
}

/** The inverse of salesOrderFromShopify: the REST order rebuilt from canonical fields and ext.shopify. */
export function salesOrderToShopify(order: SalesOrder): JsonObject {
  const ext = extOf(order.ext);
  const built: JsonObject = {};
  const orderId = order.refs[SHOPIFY];
  if (orderId !== undefined) built.id = idToJson(orderId);
  built.currency = order.currency;
  built.created_at = order.orderDate;
  built.line_items = order.lines.map(lineToShopify);
  if (order.channelOrderId !== undefined) built.name = order.channelOrderId;
  if (order.buyer?.email !== undefined) built.email = order.buyer.email;
  if (order.paymentStatus !== undefined) built.financial_status = FINANCIAL_STATUS[order.paymentStatus];
  const note = order.notes.find((n) => n.kind === 'customer');
  if (note) built.note = note.text;
  if (order.taxesIncluded) built.taxes_included = true;
  if (order.taxes.length > 0) built.tax_lines = order.taxes.map(taxLineToShopify);
  if (order.charges.length > 0) {
    built.shipping_lines = order.charges.map((c) => {
      const s: JsonObject = { price: c.amount.amount };
      if (c.description !== undefined) s.title = c.description;
      if (c.code !== undefined) s.code = c.code;
      return s;
    });
  }
  if (order.totals) {
    built.total_price = order.totals.total.amount;
    if (order.totals.subtotal) built.subtotal_price = order.totals.subtotal.amount;
    if (order.totals.discountTotal) built.total_discounts = order.totals.discountTotal.amount;
    if (order.totals.taxTotal) built.total_tax = order.totals.taxTotal.amount;
  }
  if (order.shipTo) built.shipping_address = addressToShopify(order.shipTo);
  if (order.billTo) built.billing_address = addressToShopify(order.billTo);
  const customerId = order.customer?.refs?.[SHOPIFY];
  if (customerId !== undefined) built.customer = { id: idToJson(customerId) };
  const merged = merge(ext, built);
  return isObject(merged) ? merged : built;
}
