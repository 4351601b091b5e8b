/**
 * The topic an inbound event goes to: inventory movements on `inventory`, warehouse receipts on
 * `receipts`; every other warehouse event (release, shipment, exception, cancellation) on
 * `shipments`, where order-to-cash waits for it; channel events (orders, cancellations, refunds)
 * on `orders`.
 */
export function topicFor(system: 'channel' | 'warehouse', eventType: string): string {
  const name = eventType.replace(/^crossdock\./, '');
  if (name.startsWith('inventory.')) return 'inventory';
  if (name.startsWith('receipt.')) return 'receipts';
  return system === 'warehouse' ? 'shipments' : 'orders';
}
