import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/**
 * Tables of the cluster event log (NATS JetStream driver). Created on every dialect so that one
 * migration history serves both modes; only PostgreSQL stores fill them.
 */
export const m0002JetStreamEventLog: Migration = {
  id: '0002-jetstream-eventlog',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    // The transactional outbox: events committed with the caller's state change, not yet in JetStream.
    await db.schema
      .createTable('el_outbox')
      .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('id', 'varchar(200)', (c) => c.notNull())
      .addColumn('key', 'varchar(500)', (c) => c.notNull())
      .addColumn('correlationid', 'varchar(200)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('envelope', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('el_outbox_id').unique().on('el_outbox').columns(['topic', 'id']).execute();
    await db.schema.createIndex('el_outbox_partition').on('el_outbox').columns(['topic', 'partition', 'seq']).execute();
    // What the relay put in JetStream: id -> stream sequence. Keeps publish idempotent beyond the
    // stream's duplicate window and lets replay, read and drain find events by partition.
    await db.schema
      .createTable('el_relayed')
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('id', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('key', 'varchar(500)', (c) => c.notNull())
      .addColumn('correlationid', 'varchar(200)', (c) => c.notNull())
      .addColumn('published_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_relayed_pk', ['topic', 'id'])
      .execute();
    await db.schema.createIndex('el_relayed_partition').on('el_relayed').columns(['topic', 'partition', 'seq']).execute();
    // One owner per (group, topic, partition) across processes; epoch fences a former owner.
    await db.schema
      .createTable('el_leases')
      .addColumn('group', 'varchar(200)', (c) => c.notNull())
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('partition', 'integer', (c) => c.notNull())
      .addColumn('owner', 'varchar(200)')
      .addColumn('epoch', 'bigint', (c) => c.notNull())
      .addColumn('acquired_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_leases_pk', ['group', 'topic', 'partition'])
      .execute();
    // A lease lives as long as its owner's heartbeat for that subscription.
    await db.schema
      .createTable('el_members')
      .addColumn('group', 'varchar(200)', (c) => c.notNull())
      .addColumn('topic', 'varchar(200)', (c) => c.notNull())
      .addColumn('process_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('el_members_pk', ['group', 'topic', 'process_id'])
      .execute();
  },
};
