import type { Kysely } from 'kysely';
import type { Database } from '../sdk/index.js';

/**
 * Tables created by migration 0011-files (the store's schema.ts declares the same shapes). Type
 * aliases, not interfaces: Kysely's `withTables` needs types with an implicit index signature.
 */
export type BatchLoadTable = {
  load_id: string;
  /** `item` | `price` | `inventory` */
  type: string;
  /** `<transport id>:<path>` */
  source: string;
  size: number;
  /** `running` | `done` */
  status: string;
  /** The header row as a JSON array, so a resumed load need not read it again. */
  header: string;
  /** Byte offset of the first row not yet committed. */
  next_offset: number;
  /** Line number of the first row not yet committed. */
  next_line: number;
  rows_ok: number;
  rows_failed: number;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
};

export type BatchRowErrorTable = {
  load_id: string;
  line: number;
  /** The CSV column at fault; null when the record itself is malformed. */
  field: string | null;
  code: string;
  message: string;
  raw: string;
};

export type BatchTables = {
  batch_loads: BatchLoadTable;
  batch_row_errors: BatchRowErrorTable;
};

export function batchDb(db: Kysely<Database>): Kysely<Database & BatchTables> {
  return db.withTables<BatchTables>();
}
