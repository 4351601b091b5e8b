import type { Tx } from '../../sdk/files/index.js';
import type { BatchHandler, MappedRow } from '../handler.js';
import type { BatchRecord } from '../load-type.js';

function keyOf(record: BatchRecord): string {
  switch (record.kind) {
    case 'item':
      return record.item.id;
    case 'inventory':
      return record.position.id;
    case 'price':
      return `${record.priceList}|${record.entry.item.sku ?? ''}|${record.entry.uom}|${record.entry.minQuantity ?? '0'}`;
  }
}

/**
 * Writes each mapped row into the store's `kv` table (namespace `batch:<type>`) through the chunk's
 * transaction. `version` counts how many times a key was applied: exactly-once means every version is 1.
 */
export class KvBatchHandler implements BatchHandler {
  chunks = 0;
  constructor(private readonly failAtChunk?: number) {}

  async apply(rows: readonly MappedRow[], tx: Tx): Promise<void> {
    this.chunks += 1;
    for (const row of rows) {
      await tx.db
        .insertInto('kv')
        .values({ namespace: `batch:${row.record.kind}`, key: keyOf(row.record), value: JSON.stringify(row), version: 1, updated_at: 0 })
        .onConflict((oc) =>
          oc.columns(['namespace', 'key']).doUpdateSet((eb) => ({ version: eb('kv.version', '+', 1), value: JSON.stringify(row) })),
        )
        .execute();
    }
    // After the writes, so the failure proves they roll back with the chunk.
    if (this.chunks === this.failAtChunk) throw new Error(`simulated crash in chunk ${this.chunks}`);
  }
}
