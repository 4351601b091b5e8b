import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

export const m0010Connectors: Migration = {
  id: '0010-connectors',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    // canonical id <-> external id, written `pending` before a create is sent and `bound` after.
    await db.schema
      .createTable('connector_bindings')
      .addColumn('connector', 'varchar(100)', (c) => c.notNull())
      .addColumn('instance', 'varchar(100)', (c) => c.notNull())
      .addColumn('object_type', 'varchar(100)', (c) => c.notNull())
      .addColumn('canonical_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('external_key', 'varchar(500)', (c) => c.notNull())
      .addColumn('external_id', 'varchar(500)')
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('connector_bindings_pk', ['connector', 'instance', 'object_type', 'canonical_id'])
      .execute();
    await db.schema
      .createIndex('connector_bindings_external')
      .on('connector_bindings')
      .columns(['connector', 'instance', 'object_type', 'external_id'])
      .execute();
    await db.schema
      .createTable('connector_credentials')
      .addColumn('connector', 'varchar(100)', (c) => c.notNull())
      .addColumn('instance', 'varchar(100)', (c) => c.notNull())
      .addColumn('key_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('connector_credentials_pk', ['connector', 'instance'])
      .execute();
    await db.schema
      .createTable('connector_cursors')
      .addColumn('connector', 'varchar(100)', (c) => c.notNull())
      .addColumn('instance', 'varchar(100)', (c) => c.notNull())
      .addColumn('trigger', 'varchar(100)', (c) => c.notNull())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('connector_cursors_pk', ['connector', 'instance', 'trigger'])
      .execute();
    // Every webhook delivery, verified or not, with its raw body: nothing received is lost.
    await db.schema
      .createTable('webhook_receipts')
      .addColumn('connector', 'varchar(100)', (c) => c.notNull())
      .addColumn('instance', 'varchar(100)', (c) => c.notNull())
      .addColumn('delivery_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('headers', 'text', (c) => c.notNull())
      .addColumn('raw_body', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('duplicates', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_receipts_pk', ['connector', 'instance', 'delivery_id'])
      .execute();
    await db.schema.createIndex('webhook_receipts_time').on('webhook_receipts').columns(['connector', 'instance', 'received_at']).execute();
  },
};
