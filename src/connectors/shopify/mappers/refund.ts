import { type CreditMemo, CreditMemoV1, type OrderCancelled, OrderCancelledData } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';
import { SHOPIFY, shopifyOrderId } from './order.js';
import { isObject, type JsonObject, Picker } from './picker.js';

const CURRENCY = /^[A-Z]{3}$/;

/** Decimal strings multiplied exactly (prices × quantities), in scaled integers. */
function times(price: string, quantity: number): string {
  const [int = '0', frac = ''] = price.replace('-', '').split('.');
  const scaled = BigInt(`${int}${frac}`) * BigInt(quantity);
  const digits = scaled.toString().padStart(frac.length + 1, '0');
  const whole = frac.length > 0 ? `${digits.slice(0, -frac.length)}.${digits.slice(-frac.length)}` : digits;
  return price.startsWith('-') && scaled !== 0n ? `-${whole}` : whole;
}

function sum(amounts: string[]): string {
  const places = Math.max(0, ...amounts.map((a) => a.split('.')[1]?.length ?? 0));
  const total = amounts.reduce((n, a) => {
    const [int = '0', frac = ''] = a.replace('-', '').split('.');
    const v = BigInt(`${int}${frac.padEnd(places, '0')}`);
    return n + (a.startsWith('-') ? -v : v);
  }, 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(places + 1, '0');
  const text = places > 0 ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return negative ? `-${text}` : text;
}

/**
 * A `refunds/create` body (https://shopify.dev/docs/api/admin-rest/2025-01/resources/refund) as a
 * posted sales CreditMemo. The refund names no customer: the buyer is identified through its order
 * (`refs['shopify/order']`) until masterdata resolves it. Unmapped fields stay in `ext.shopify`.
 */
export function creditMemoFromShopifyRefund(raw: unknown, instance: string, orderCurrency?: string): CreditMemo {
  if (!isObject(raw)) throw ConnectorErrors.mapping('Shopify refund: expected a JSON object', { path: '' });
  const p = new Picker(raw);
  const refundId = p.id('id');
  const orderId = p.id('order_id');
  if (refundId === undefined || orderId === undefined) {
    throw ConnectorErrors.mapping('Shopify refund: id and order_id are required', { path: refundId === undefined ? 'id' : 'order_id' });
  }
  const createdAt = typeof raw.created_at === 'string' ? raw.created_at : undefined;
  const transactions = Array.isArray(raw.transactions) ? raw.transactions.filter(isObject) : [];
  const refunds = transactions.filter((t) => t.kind === 'refund' && t.status === 'success');
  const currency = [orderCurrency, ...refunds.map((t) => t.currency)].find((c): c is string => typeof c === 'string' && CURRENCY.test(c));
  if (!createdAt || currency === undefined) {
    throw ConnectorErrors.mapping('Shopify refund: created_at and a currency are required', {
      path: createdAt ? 'transactions' : 'created_at',
    });
  }
  const lines: CreditMemo['lines'] = [];
  const items = Array.isArray(raw.refund_line_items) ? raw.refund_line_items.filter(isObject) : [];
  for (const [i, r] of items.entries()) {
    const item: JsonObject = isObject(r.line_item) ? r.line_item : {};
    const quantity = typeof r.quantity === 'number' ? r.quantity : 0;
    const price = typeof item.price === 'string' ? item.price : '0';
    const subtotal =
      typeof r.subtotal === 'string' ? r.subtotal : typeof r.subtotal === 'number' ? r.subtotal.toFixed(2) : times(price, quantity);
    const sku = typeof item.sku === 'string' && item.sku ? item.sku : undefined;
    const lineItemId = typeof r.line_item_id === 'number' || typeof r.line_item_id === 'string' ? String(r.line_item_id) : undefined;
    lines.push({
      lineNumber: String(i + 1),
      ...(typeof r.id === 'number' || typeof r.id === 'string' ? { refs: { [SHOPIFY]: String(r.id) } } : {}),
      item: sku ? { sku } : { refs: { 'shopify/line-item': lineItemId ?? String(i + 1) } },
      quantity: { value: String(quantity), uom: 'EA' },
      unitPrice: { amount: price, currency },
      taxes: [],
      lineTotal: { amount: subtotal, currency },
    });
  }
  const total = refunds.length > 0 ? sum(refunds.map((t) => String(t.amount))) : sum(lines.map((l) => l.lineTotal.amount));
  if (lines.length === 0) {
    lines.push({ lineNumber: '1', description: 'Refund', taxes: [], lineTotal: { amount: total, currency } });
  }
  const note = p.string('note');
  const draft = {
    id: `shopify:${instance}:refund:${refundId}`,
    refs: { [SHOPIFY]: refundId },
    // The body is kept whole: a refund is small and its transactions matter to finance.
    ext: { [SHOPIFY]: raw },
    creditMemoNumber: refundId,
    kind: 'sales',
    status: 'refunded',
    memoDate: createdAt.slice(0, 10),
    currency,
    buyer: { refs: { 'shopify/order': orderId } },
    order: { type: 'salesorder', id: shopifyOrderId(instance, orderId), refs: { [SHOPIFY]: orderId } },
    ...(note !== undefined ? { reason: note } : {}),
    lines,
    charges: [],
    taxes: [],
    totals: { total: { amount: total, currency } },
    notes: [],
  };
  const parsed = CreditMemoV1.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw ConnectorErrors.mapping(`Shopify refund ${refundId} → CreditMemo ${path}: ${issue?.message ?? 'invalid'}`, { path });
  }
  return parsed.data;
}

/** An `orders/cancelled` body as the canonical cancellation (the whole order). */
export function cancellationFromShopify(raw: unknown, instance: string): OrderCancelled {
  if (!isObject(raw)) throw ConnectorErrors.mapping('Shopify order: expected a JSON object', { path: '' });
  const p = new Picker(raw);
  const orderId = p.id('id');
  if (orderId === undefined) throw ConnectorErrors.mapping('Shopify order id: missing', { path: 'id' });
  const name = p.string('name');
  const reason = p.string('cancel_reason');
  return OrderCancelledData.parse({
    orderId: shopifyOrderId(instance, orderId),
    ...(name !== undefined ? { channelOrderId: name } : {}),
    ...(reason !== undefined ? { reasonCode: reason } : {}),
    lineNumbers: [],
  });
}
