import type { Tx } from '../sdk/index.js';
import type { BatchLoadTypeName, BatchRecord } from './load-type.js';

export interface MappedRow {
  /** The line the row starts on, for tracing an effect back to the file. */
  line: number;
  record: BatchRecord;
}

export interface BatchChunkContext {
  loadId: string;
  type: BatchLoadTypeName;
  source: string;
  /** 1-based number of the chunk within this run. */
  chunk: number;
}

/**
 * What a load does with its mapped rows (the hub publishes `item.upserted`, `pricelist.upserted`,
 * `inventory.position.changed` events). `apply` runs inside the transaction that advances the
 * checkpoint: it must write through `tx` only, so a chunk's effects and its checkpoint commit
 * together. Throwing aborts the load; the chunk is rolled back and re-applied on resume.
 */
export interface BatchHandler {
  apply(rows: readonly MappedRow[], tx: Tx, context: BatchChunkContext): Promise<void>;
}
