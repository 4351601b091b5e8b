import { describe, expect, it } from 'vitest';
import { topicFor } from './topics.js';

describe('topicFor', () => {
  it('puts warehouse order events where order-to-cash waits, stock and receipts where availability reads', () => {
    expect(topicFor('warehouse', 'crossdock.shipment.dispatched.v1')).toBe('shipments');
    expect(topicFor('warehouse', 'crossdock.order.cancelled.v1')).toBe('shipments');
    expect(topicFor('warehouse', 'crossdock.inventory.adjusted.v1')).toBe('inventory');
    expect(topicFor('warehouse', 'crossdock.receipt.posted.v1')).toBe('receipts');
    expect(topicFor('channel', 'crossdock.order.received.v1')).toBe('orders');
    expect(topicFor('channel', 'crossdock.creditmemo.posted.v1')).toBe('orders');
  });
});
