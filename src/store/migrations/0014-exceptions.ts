import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

export const m0014Exceptions: Migration = {
  id: '0014-exceptions',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    await db.schema
      .createTable('exceptions')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('category', 'varchar(100)', (c) => c.notNull())
      .addColumn('severity', 'varchar(20)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('title', 'varchar(500)', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('source', 'varchar(200)', (c) => c.notNull())
      .addColumn('subject', 'varchar(300)', (c) => c.notNull())
      .addColumn('partner', 'varchar(200)')
      .addColumn('warehouse', 'varchar(200)')
      .addColumn('channel', 'varchar(200)')
      .addColumn('owner', 'varchar(200)')
      .addColumn('dedupe_key', 'varchar(500)', (c) => c.notNull())
      .addColumn('open_key', 'varchar(500)')
      .addColumn('occurrences', 'integer', (c) => c.notNull())
      .addColumn('actions', 'text', (c) => c.notNull())
      .addColumn('correlationid', 'varchar(200)')
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('due_at', 'bigint')
      .addColumn('resolved_at', 'bigint')
      .addColumn('resolution', 'text')
      .addColumn('resolved_by', 'varchar(200)')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // At most one open exception per cause: `open_key` equals dedupe_key while open, NULL once resolved
    // (NULLs do not collide in a unique index, in SQLite and PostgreSQL alike).
    await db.schema.createIndex('exceptions_open_key').unique().on('exceptions').column('open_key').execute();
    await db.schema.createIndex('exceptions_queue').on('exceptions').columns(['status', 'category', 'opened_at']).execute();
    await db.schema.createIndex('exceptions_subject').on('exceptions').columns(['subject']).execute();
    await db.schema
      .createTable('exception_history')
      .addColumn('exception_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'varchar(200)', (c) => c.notNull())
      .addColumn('action', 'varchar(50)', (c) => c.notNull())
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('exception_history_pk', ['exception_id', 'seq'])
      .execute();
  },
};
