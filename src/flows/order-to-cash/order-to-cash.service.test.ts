import { describe, expect, it } from 'vitest';
import { eventTypeName, makeEvent } from '../../canonical/index.js';
import { orderIdOfShipment } from './order-to-cash.service.js';

const shipment = (data: Record<string, unknown>, partitionkey = 'shipment/SH-1') =>
  makeEvent({ type: eventTypeName('shipment.dispatched'), source: 'test', partitionkey, data: { id: 'SH-1', ...data } });

describe('orderIdOfShipment', () => {
  it('takes the first order reference, else a line’s order, else the order partition key', () => {
    expect(orderIdOfShipment(shipment({ orders: [{ id: 'SO-1' }, { id: 'SO-2' }], lines: [{ order: { id: 'SO-9' } }] }))).toBe('SO-1');
    expect(orderIdOfShipment(shipment({ orders: [], lines: [{ lineNumber: '1', order: { id: 'SO-3', number: '1003' } }] }))).toBe('SO-3');
    expect(orderIdOfShipment(shipment({ lines: [{ lineNumber: '1' }] }, 'order/SO-4'))).toBe('SO-4');
    expect(orderIdOfShipment(shipment({ orders: [{ number: 'no id' }] }))).toBeUndefined();
  });
});
