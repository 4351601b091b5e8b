import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/**
 * On SQLite, tables keyed by a composite primary key are stored clustered on it (WITHOUT ROWID):
 * one b-tree per insert instead of a rowid table plus a key index. Not for el_events: its rows are
 * large (the envelope), and SQLite stores large rows better in a rowid table (measured: slower publish).
 */
function withoutRowid(dialect: Dialect) {
  return <TB extends string, C extends string>(builder: CreateTableBuilder<TB, C>): CreateTableBuilder<TB, C> =>
    dialect === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder;
}

export const m0001EventLog: Migration = {
  id: '0001-eventlog',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    await db.schema
      .createTable('el_topics')
      .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('partitions', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('el_partitions')
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('next_offset', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_partitions_pk', ['topic', 'partition'])
      .$call(withoutRowid(dialect))
      .execute();
    await db.schema
      .createTable('el_events')
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('offset', 'bigint', (c) => c.notNull())
      .addColumn('id', 'varchar(200)', (c) => c.notNull())
      .addColumn('type', 'varchar(200)', (c) => c.notNull())
      .addColumn('key', 'varchar(500)', (c) => c.notNull())
      .addColumn('correlationid', 'varchar(200)', (c) => c.notNull())
      .addColumn('published_at', 'bigint', (c) => c.notNull())
      .addColumn('envelope', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_events_pk', ['topic', 'partition', 'offset'])
      .execute();
    // Publishing an event id twice to a topic is a no-op: the first copy stands.
    await db.schema.createIndex('el_events_id').unique().on('el_events').columns(['topic', 'id']).execute();
    // No index on time or correlation: each costs every publish, while replay-by-time (rare, an
    // operator's action) scans one partition in offset order, and timelines keep their own table.
    await db.schema
      .createTable('el_offsets')
      .addColumn('group', 'varchar(200)', (c) => c.notNull())
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('next_offset', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_offsets_pk', ['group', 'topic', 'partition'])
      .$call(withoutRowid(dialect))
      .execute();
    await db.schema
      .createTable('el_inbox')
      .addColumn('group', 'varchar(200)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('processed_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_inbox_pk', ['group', 'event_id'])
      .$call(withoutRowid(dialect))
      .execute();
    await db.schema.createIndex('el_inbox_age').on('el_inbox').columns(['processed_at']).execute();
    await db.schema
      .createTable('el_parked')
      .addColumn('group', 'varchar(200)', (c) => c.notNull())
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('offset', 'bigint', (c) => c.notNull())
      .addColumn('key', 'varchar(500)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('history', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_parked_pk', ['group', 'topic', 'partition', 'offset'])
      .$call(withoutRowid(dialect))
      .execute();
    await db.schema.createIndex('el_parked_key').on('el_parked').columns(['group', 'topic', 'partition', 'key', 'offset']).execute();
    await db.schema
      .createTable('el_dead_letters')
      .addColumn('id', 'integer', (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('group', 'varchar(200)', (c) => c.notNull())
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('offset', 'bigint', (c) => c.notNull())
      .addColumn('key', 'varchar(500)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('type', 'varchar(200)', (c) => c.notNull())
      .addColumn('envelope', 'text', (c) => c.notNull())
      .addColumn('error_code', 'varchar(100)', (c) => c.notNull())
      .addColumn('error_class', 'varchar(20)', (c) => c.notNull())
      .addColumn('error_message', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('history', 'text', (c) => c.notNull())
      .addColumn('dead_at', 'bigint', (c) => c.notNull())
      .addColumn('redriven_at', 'bigint')
      .execute();
    await db.schema.createIndex('el_dead_letters_group').on('el_dead_letters').columns(['group', 'topic', 'redriven_at']).execute();
    await db.schema
      .createTable('kv')
      .addColumn('namespace', 'varchar(200)', (c) => c.notNull())
      .addColumn('key', 'varchar(500)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('kv_pk', ['namespace', 'key'])
      .execute();
  },
};
