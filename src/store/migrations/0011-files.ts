import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/** Tables of file transports (SFTP, later AS2) and of checkpointed batch-file loads. */
export const m0011Files: Migration = {
  id: '0011-files',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    // One row per inbound file taken: a file is processed once, keyed by name+size+mtime, and its
    // content hash catches the same bytes uploaded again under another name.
    await db.schema
      .createTable('file_receipts')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('transport', 'varchar(200)', (c) => c.notNull())
      .addColumn('path', 'varchar(1000)', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('mtime', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('moved_to', 'varchar(1000)')
      .addColumn('moved_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('file_receipts_identity')
      .unique()
      .on('file_receipts')
      .columns(['transport', 'path', 'size', 'mtime'])
      .execute();
    await db.schema.createIndex('file_receipts_content').on('file_receipts').columns(['transport', 'sha256']).execute();
    // One row per outbound document: written `pending` before the upload, `sent` after it.
    await db.schema
      .createTable('file_sends')
      .addColumn('transport', 'varchar(200)', (c) => c.notNull())
      .addColumn('document_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('path', 'varchar(1000)', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addColumn('ack_status', 'varchar(20)')
      .addColumn('ack_detail', 'text')
      .addColumn('ack_at', 'bigint')
      .addPrimaryKeyConstraint('file_sends_pk', ['transport', 'document_id'])
      .execute();
    await db.schema.createIndex('file_sends_ack').on('file_sends').columns(['transport', 'ack_status', 'sent_at']).execute();
    // A batch load's checkpoint: advanced in the transaction that applies each chunk of rows.
    await db.schema
      .createTable('batch_loads')
      .addColumn('load_id', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('type', 'varchar(50)', (c) => c.notNull())
      .addColumn('source', 'varchar(1000)', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('header', 'text', (c) => c.notNull())
      .addColumn('next_offset', 'bigint', (c) => c.notNull())
      .addColumn('next_line', 'integer', (c) => c.notNull())
      .addColumn('rows_ok', 'integer', (c) => c.notNull())
      .addColumn('rows_failed', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema
      .createTable('batch_row_errors')
      .addColumn('load_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('field', 'varchar(200)')
      .addColumn('code', 'varchar(100)', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('batch_row_errors_pk', ['load_id', 'line'])
      .execute();
  },
};
