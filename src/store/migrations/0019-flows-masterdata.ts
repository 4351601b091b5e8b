import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/** Master-data cross-reference and records (domains/masterdata) and the credit exposure flows keep. */
export const m0019FlowsMasterdata: Migration = {
  id: '0019-flows-masterdata',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    // One system id per (kind, system, canonical id), and one canonical id per (kind, system, system id).
    await db.schema
      .createTable('md_xref')
      .addColumn('kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('system', 'varchar(100)', (c) => c.notNull())
      .addColumn('system_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('canonical_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('md_xref_pk', ['kind', 'system', 'system_id'])
      .execute();
    await db.schema.createIndex('md_xref_canonical').unique().on('md_xref').columns(['kind', 'canonical_id', 'system']).execute();
    await db.schema
      .createTable('md_records')
      .addColumn('kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('canonical_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('source', 'varchar(100)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('md_records_pk', ['kind', 'canonical_id'])
      .execute();
    // Open order value per customer, counted by the credit check; one row per order.
    await db.schema
      .createTable('flow_credit_exposure')
      .addColumn('order_id', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('customer_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('amount', 'varchar(40)', (c) => c.notNull())
      .addColumn('currency', 'varchar(3)', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('flow_credit_exposure_customer').on('flow_credit_exposure').columns(['customer_id']).execute();
  },
};
