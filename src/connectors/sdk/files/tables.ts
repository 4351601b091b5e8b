import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';

/**
 * Tables created by migration 0011-files (the store's schema.ts declares the same shapes). Type
 * aliases, not interfaces: Kysely's `withTables` needs types with an implicit index signature.
 */
export type FileReceiptTable = {
  id: string;
  transport: string;
  path: string;
  size: number;
  /** Epoch milliseconds as the transport reported it. */
  mtime: number;
  sha256: string;
  /** `pending` (retryable failure, will retry) | `done` | `failed` | `duplicate` (same content seen). */
  status: string;
  attempts: number;
  error: string | null;
  received_at: number;
  /** Where the file goes (archive or failed directory), chosen before the move is tried. */
  moved_to: string | null;
  moved_at: number | null;
};

export type FileSendTable = {
  transport: string;
  document_id: string;
  path: string;
  size: number;
  sha256: string;
  /** `pending` from just before the upload; `sent` once it is in place. */
  status: string;
  attempts: number;
  created_at: number;
  sent_at: number | null;
  /** null until the partner acknowledges (997, CONTRL, MDN): then `accepted` | `rejected`. */
  ack_status: string | null;
  ack_detail: string | null;
  ack_at: number | null;
};

export type FileTables = {
  file_receipts: FileReceiptTable;
  file_sends: FileSendTable;
};

/** The store's query builder, also typed for the file tables (a transaction stays a transaction). */
export function filesDb(db: Kysely<Database>): Kysely<Database & FileTables> {
  return db.withTables<FileTables>();
}
