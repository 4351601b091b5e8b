import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/**
 * The partner-facing document store: one row per document (order, shipment, invoice, …), owned by
 * one partner, versioned (`version` grows by one per change; the ETag derives from it), listed by
 * `(updated_at, id)` cursors. `doc_status` keeps each document's status history.
 */
export const m0018Documents: Migration = {
  id: '0018-documents',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    await db.schema
      .createTable('doc_documents')
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('id', 'varchar(200)', (c) => c.notNull())
      .addColumn('number', 'varchar(200)')
      .addColumn('status', 'varchar(40)')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('doc_documents_pk', ['partner_id', 'kind', 'id'])
      .execute();
    await db.schema.createIndex('doc_documents_updated').on('doc_documents').columns(['partner_id', 'kind', 'updated_at', 'id']).execute();
    // A partner's own document number (channel order id, ASN number) names one document of a kind.
    await db.schema.createIndex('doc_documents_number').on('doc_documents').columns(['partner_id', 'kind', 'number']).unique().execute();
    // Ids are global (time-ordered, generated here), so events naming only an id find their document.
    await db.schema.createIndex('doc_documents_id').on('doc_documents').columns(['kind', 'id']).execute();
    await db.schema
      .createTable('doc_status')
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('id', 'varchar(200)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(40)', (c) => c.notNull())
      .addColumn('source', 'varchar(200)', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('doc_status_pk', ['partner_id', 'kind', 'id', 'version'])
      .execute();
  },
};
