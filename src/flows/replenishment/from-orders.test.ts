import { describe, expect, it } from 'vitest';
import { replenishmentForBackorder } from './from-orders.js';

describe('replenishment for a canonical order.backordered', () => {
  it('takes items from the sales order and the location from its ship-from', () => {
    const run = replenishmentForBackorder(
      {
        orderId: 'SO-5',
        lines: [
          { lineNumber: '2', quantity: { value: '3' } },
          { lineNumber: '9', quantity: { value: '1' } },
        ],
      },
      {
        id: 'SO-5',
        shipFrom: { code: 'DC2' },
        lines: [
          { lineNumber: '1', item: { sku: 'A' } },
          { lineNumber: '2', item: { sku: 'B' } },
        ],
      },
      'DC1',
    );
    // line 9 is not on the order: nothing can be bought for it
    expect(run).toEqual({
      id: 'backorder:SO-5',
      reason: { kind: 'backorder', ref: 'SO-5' },
      lines: [{ item: 'B', location: 'DC2', quantity: '3' }],
    });
    expect(
      replenishmentForBackorder({ orderId: 'X', lines: [{ lineNumber: '1', quantity: { value: '1' } }] }, { id: 'X', lines: [] }, 'DC1'),
    ).toBeUndefined();
  });
});
