import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/** EDI envelope services: control numbers, interchanges seen, and outbound documents awaiting an acknowledgement. */
export const m0016Edi: Migration = {
  id: '0016-edi',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    // One counter per partner and level (interchange, group, transaction / message), advanced by an
    // atomic UPDATE … RETURNING: no gap, no reuse, under any concurrency.
    await db.schema
      .createTable('edi_control_numbers')
      .addColumn('partner', 'varchar(200)', (c) => c.notNull())
      .addColumn('level', 'varchar(20)', (c) => c.notNull())
      .addColumn('last_value', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('edi_control_numbers_pk', ['partner', 'level'])
      .execute();
    // Interchanges received, keyed per partner by sender, receiver and control number: the insert
    // that records one is the duplicate check (a conflict means seen before).
    await db.schema
      .createTable('edi_interchanges_seen')
      .addColumn('partner', 'varchar(200)', (c) => c.notNull())
      .addColumn('key', 'varchar(300)', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('source', 'varchar(1000)')
      .addPrimaryKeyConstraint('edi_interchanges_seen_pk', ['partner', 'key'])
      .execute();
    // One row per outbound transaction set / message until the partner acknowledges it.
    await db.schema
      .createTable('edi_outbound_acks')
      .addColumn('partner', 'varchar(200)', (c) => c.notNull())
      .addColumn('standard', 'varchar(10)', (c) => c.notNull())
      .addColumn('interchange_control', 'varchar(20)', (c) => c.notNull())
      .addColumn('group_control', 'varchar(20)', (c) => c.notNull())
      .addColumn('transaction_control', 'varchar(20)', (c) => c.notNull())
      .addColumn('document_type', 'varchar(10)', (c) => c.notNull())
      .addColumn('document_id', 'varchar(200)')
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .addColumn('due_at', 'bigint')
      .addColumn('acked_at', 'bigint')
      .addColumn('overdue_raised', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('edi_outbound_acks_pk', ['partner', 'interchange_control', 'group_control', 'transaction_control'])
      .execute();
    await db.schema.createIndex('edi_outbound_acks_due').on('edi_outbound_acks').columns(['status', 'due_at']).execute();
    // Files to upload (acknowledgements, outbound documents), written in the transaction that decided
    // to send them and uploaded after it commits: a crash in between sends them on the next flush.
    await db.schema
      .createTable('edi_outbox')
      .addColumn('id', 'varchar(300)', (c) => c.primaryKey())
      .addColumn('partner', 'varchar(200)', (c) => c.notNull())
      .addColumn('path', 'varchar(1000)', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .execute();
    await db.schema.createIndex('edi_outbox_unsent').on('edi_outbox').columns(['partner', 'sent_at']).execute();
  },
};
