import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

export const m0012Workflow: Migration = {
  id: '0012-workflow',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    // One row per flow instance; the business key makes "one order-to-cash per order" a primary key.
    await db.schema
      .createTable('wf_instances')
      .addColumn('flow', 'varchar(100)', (c) => c.notNull())
      .addColumn('key', 'varchar(300)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('output', 'text')
      .addColumn('error', 'text')
      .addColumn('correlationid', 'varchar(200)', (c) => c.notNull())
      .addColumn('parent_flow', 'varchar(100)')
      .addColumn('parent_key', 'varchar(300)')
      .addColumn('parent_step', 'varchar(200)')
      .addColumn('wake_at', 'bigint')
      .addColumn('waiting_type', 'varchar(200)')
      .addColumn('waiting_key', 'varchar(300)')
      .addColumn('lease_owner', 'varchar(100)')
      .addColumn('lease_until', 'bigint')
      .addColumn('cancel_reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('wf_instances_pk', ['flow', 'key'])
      .execute();
    await db.schema.createIndex('wf_instances_due').on('wf_instances').columns(['status', 'wake_at']).execute();
    await db.schema.createIndex('wf_instances_waiting').on('wf_instances').columns(['waiting_type', 'waiting_key']).execute();
    await db.schema.createIndex('wf_instances_correlation').on('wf_instances').columns(['correlationid']).execute();
    // The journal: each step's outcome, in the order the flow first reached it.
    await db.schema
      .createTable('wf_steps')
      .addColumn('flow', 'varchar(100)', (c) => c.notNull())
      .addColumn('key', 'varchar(300)', (c) => c.notNull())
      .addColumn('step', 'varchar(200)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('has_compensation', 'integer', (c) => c.notNull())
      .addColumn('compensated', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addPrimaryKeyConstraint('wf_steps_pk', ['flow', 'key', 'step'])
      .execute();
    // Events delivered to flows (waitFor); kept until a flow consumes them, so an early event is not lost.
    await db.schema
      .createTable('wf_signals')
      .addColumn('id', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('type', 'varchar(200)', (c) => c.notNull())
      .addColumn('key', 'varchar(300)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('consumed_by', 'varchar(500)')
      .execute();
    await db.schema.createIndex('wf_signals_match').on('wf_signals').columns(['type', 'key', 'consumed_by']).execute();
  },
};
