import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/**
 * Timelines (entities, milestones, the index of business keys), SLA clocks and the observability
 * module's small state (watermarks).
 */
export const m0017Observability: Migration = {
  id: '0017-observability',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    await db.schema
      .createTable('obs_entities')
      .addColumn('kind', 'varchar(30)', (c) => c.notNull())
      .addColumn('id', 'varchar(300)', (c) => c.notNull())
      .addColumn('label', 'varchar(300)')
      .addColumn('partner', 'varchar(200)')
      .addColumn('channel', 'varchar(200)')
      .addColumn('warehouse', 'varchar(200)')
      .addColumn('correlationid', 'varchar(200)')
      .addColumn('first_at', 'bigint', (c) => c.notNull())
      .addColumn('last_at', 'bigint', (c) => c.notNull())
      .addColumn('last_milestone', 'varchar(100)', (c) => c.notNull())
      .addPrimaryKeyConstraint('obs_entities_pk', ['kind', 'id'])
      .execute();
    await db.schema
      .createTable('obs_milestones')
      .addColumn('kind', 'varchar(30)', (c) => c.notNull())
      .addColumn('entity_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('milestone', 'varchar(100)', (c) => c.notNull())
      .addColumn('system', 'varchar(200)', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('event_type', 'varchar(200)', (c) => c.notNull())
      .addColumn('source', 'varchar(500)', (c) => c.notNull())
      .addColumn('correlationid', 'varchar(200)')
      .addColumn('partner', 'varchar(200)')
      .addColumn('channel', 'varchar(200)')
      .addColumn('warehouse', 'varchar(200)')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('obs_milestones_pk', ['kind', 'entity_id', 'event_id', 'milestone'])
      .execute();
    await db.schema.createIndex('obs_milestones_at').on('obs_milestones').columns(['at']).execute();
    await db.schema
      .createTable('obs_keys')
      .addColumn('value', 'varchar(300)', (c) => c.notNull())
      .addColumn('kind', 'varchar(30)', (c) => c.notNull())
      .addColumn('entity_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('key_type', 'varchar(50)', (c) => c.notNull())
      .addPrimaryKeyConstraint('obs_keys_pk', ['value', 'kind', 'entity_id', 'key_type'])
      .execute();
    await db.schema
      .createTable('obs_sla_clocks')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('rule', 'varchar(100)', (c) => c.notNull())
      .addColumn('kind', 'varchar(30)', (c) => c.notNull())
      .addColumn('entity_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('to_milestone', 'varchar(100)', (c) => c.notNull())
      .addColumn('partner', 'varchar(200)')
      .addColumn('channel', 'varchar(200)')
      .addColumn('warehouse', 'varchar(200)')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('due_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('met_at', 'bigint')
      .addColumn('breached_at', 'bigint')
      .addColumn('exception_id', 'varchar(40)')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('obs_sla_clocks_rule').unique().on('obs_sla_clocks').columns(['rule', 'kind', 'entity_id']).execute();
    await db.schema.createIndex('obs_sla_clocks_due').on('obs_sla_clocks').columns(['status', 'due_at']).execute();
    await db.schema.createIndex('obs_sla_clocks_entity').on('obs_sla_clocks').columns(['kind', 'entity_id']).execute();
    await db.schema
      .createTable('obs_lag_samples')
      .addColumn('at', 'bigint', (c) => c.primaryKey())
      .addColumn('lag', 'bigint', (c) => c.notNull())
      .addColumn('parked', 'bigint', (c) => c.notNull())
      .addColumn('dead_letters', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('obs_state')
      .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
