import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../canonical/index.js';
import { EventLogReturnStock } from './stock-and-channel.js';

function recorder() {
  const published: Array<{ topic: string; events: readonly Envelope[] }> = [];
  return {
    published,
    log: {
      async publish(topic: string, events: readonly Envelope[]) {
        published.push({ topic, events });
        return [];
      },
    },
  };
}

describe('EventLogReturnStock', () => {
  it('publishes nothing on restock: the warehouse receipt already counts the units', async () => {
    const r = recorder();
    await new EventLogReturnStock(r.log, 'inventory').restock();
    expect(r.published).toEqual([]);
  });

  it('takes scrapped units out of on-hand stock with one adjustment per item, keyed by the return', async () => {
    const r = recorder();
    const stock = new EventLogReturnStock(r.log, 'inventory');
    await stock.scrap('R-1', 'DC1', [
      { item: 'SKU-A', quantity: 2 },
      { item: 'SKU-B', quantity: 1 },
    ]);
    expect(r.published).toHaveLength(1);
    const [batch] = r.published;
    expect(batch?.topic).toBe('inventory');
    expect(batch?.events.map((e) => [e.id, e.partitionkey, e.data])).toEqual([
      [
        'r2c.R-1.scrap.SKU-A',
        'SKU-A@DC1',
        expect.objectContaining({ kind: 'adjustment', quantity: { value: '-2', uom: 'EA' }, reason: 'return-scrap' }),
      ],
      [
        'r2c.R-1.scrap.SKU-B',
        'SKU-B@DC1',
        expect.objectContaining({ kind: 'adjustment', quantity: { value: '-1', uom: 'EA' }, reason: 'return-scrap' }),
      ],
    ]);
  });
});
