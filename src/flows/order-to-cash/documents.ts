import type { Case, Customer, Invoice, SalesOrder, Shipment } from '../../canonical/index.js';
import { CustomerV1 } from '../../canonical/index.js';
import { addDecimal, multiplyDecimal } from '../shared/decimal.js';

/** The order's value: its stated total, else the sum of quantity x unit price. */
export function orderAmount(order: SalesOrder): string {
  if (order.totals?.total) return order.totals.total.amount;
  return order.lines.reduce(
    (sum, l) => (l.unitPrice ? addDecimal(sum, multiplyDecimal(l.quantity.value, l.unitPrice.amount)) : sum),
    '0.00',
  );
}

/** A canonical id for a customer first seen on this order: stable for the same channel customer. */
export function newCustomerId(order: SalesOrder): string {
  const refs = Object.entries(order.customer?.refs ?? {});
  const first = refs[0];
  const raw = first ? `${first[0]}-${first[1]}` : `order-${order.id}`;
  return `cust-${raw.replace(/[^A-Za-z0-9._:-]/g, '-')}`.slice(0, 200);
}

/** The customer record a flow creates from what the order says about its buyer. */
export function customerFromOrder(order: SalesOrder, id: string): Customer {
  const name = order.customer?.name ?? order.billTo?.company ?? order.billTo?.name ?? order.shipTo?.name ?? `Customer of ${order.id}`;
  return CustomerV1.parse({
    id,
    refs: { ...(order.customer?.refs ?? {}) },
    name,
    ...(order.buyer?.email ? { email: order.buyer.email } : order.billTo?.email ? { email: order.billTo.email } : {}),
    ...(order.billTo ? { billTo: order.billTo } : {}),
  });
}

/** The sales invoice for what shipped: shipped quantities at the order's prices. */
export function invoiceFor(
  order: SalesOrder,
  shipment: Shipment,
  customer: { id: string; refs: Record<string, string> },
  today: string,
): Invoice {
  const shipped = new Map<string, string>();
  for (const l of shipment.lines) {
    const key = l.orderLineNumber ?? l.lineNumber;
    if (key === undefined) continue;
    shipped.set(key, addDecimal(shipped.get(key) ?? '0', l.quantity.value));
  }
  const lines = order.lines
    .filter((l) => shipped.has(l.lineNumber) || shipment.lines.length === 0)
    .map((l) => {
      const quantity = shipped.get(l.lineNumber) ?? l.quantity.value;
      const price = l.unitPrice?.amount ?? '0.00';
      return {
        lineNumber: l.lineNumber,
        order: { type: 'salesorder' as const, id: order.id },
        orderLineNumber: l.lineNumber,
        item: l.item,
        quantity: { value: quantity, uom: l.quantity.uom },
        unitPrice: { amount: price, currency: order.currency },
        lineTotal: { amount: multiplyDecimal(quantity, price), currency: order.currency },
        discounts: [],
        taxes: [],
        charges: [],
      };
    });
  const total = lines.reduce((sum, l) => addDecimal(sum, l.lineTotal.amount), '0.00');
  return {
    id: `inv-${order.id}`.slice(0, 200),
    refs: {},
    ext: {},
    invoiceNumber: `INV-${order.orderNumber ?? order.id}`.slice(0, 100),
    kind: 'sales',
    status: 'posted',
    invoiceDate: today,
    currency: order.currency,
    buyer: { id: customer.id, refs: customer.refs },
    ...(order.customerPoNumber ? { customerPoNumber: order.customerPoNumber } : {}),
    orders: [{ type: 'salesorder', id: order.id }],
    shipments: [{ type: 'shipment', id: shipment.id }],
    lines,
    charges: [],
    taxes: [],
    totals: { total: { amount: total, currency: order.currency } },
    notes: [],
  };
}

/** The CRM case a shipment exception opens, on the customer's account. */
export function shipmentCase(
  order: SalesOrder,
  shipment: Shipment,
  customer: { id: string; refs: Record<string, string> },
  at: string,
): Case {
  const what = shipment.exception?.description ?? shipment.exception?.code ?? 'shipment exception';
  return {
    id: `case-${shipment.id}`.slice(0, 200),
    refs: {},
    ext: {},
    subject: `Shipment exception on order ${order.orderNumber ?? order.channelOrderId ?? order.id}: ${what}`.slice(0, 500),
    status: 'new',
    priority: 'high',
    category: 'shipment-exception',
    origin: 'hub',
    customer: { id: customer.id, refs: customer.refs },
    related: [
      { type: 'salesorder', id: order.id },
      { type: 'shipment', id: shipment.id },
    ],
    openedAt: at,
    comments: [],
  };
}
