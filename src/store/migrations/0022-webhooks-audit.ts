import { type Kysely, sql } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/** The `prev_hash` of the first audit row. */
const GENESIS_HASH = '0'.repeat(64);

/**
 * Outbound webhooks (subscriptions, deliveries, attempts) and the audit log. The audit log is
 * append-only twice over: rows are hash-chained (verify finds any edit) and the database refuses
 * UPDATE and DELETE on it (a trigger), so an edit needs someone who can also drop the trigger.
 */
export const m0022WebhooksAudit: Migration = {
  id: '0022-webhooks-audit',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    await db.schema
      .createTable('wh_subscriptions')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('url', 'varchar(2000)', (c) => c.notNull())
      .addColumn('event_types', 'text', (c) => c.notNull())
      .addColumn('description', 'varchar(500)')
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('secret_key_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      // After a secret rotation the old secret also signs until prev_secret_until.
      .addColumn('prev_secret_key_id', 'varchar(100)')
      .addColumn('prev_secret_sealed', 'text')
      .addColumn('prev_secret_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('wh_subscriptions_partner').on('wh_subscriptions').column('partner_id').execute();
    await db.schema
      .createTable('wh_deliveries')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('subscription_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('event_type', 'varchar(200)', (c) => c.notNull())
      // The event id for a first delivery, `replay:<id>` for a replay: one first delivery per event.
      .addColumn('dedupe_key', 'varchar(300)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'varchar(100)')
      .addColumn('lease_until', 'bigint')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('replay_of', 'varchar(40)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .execute();
    await db.schema.createIndex('wh_deliveries_dedupe').on('wh_deliveries').columns(['subscription_id', 'dedupe_key']).unique().execute();
    await db.schema.createIndex('wh_deliveries_due').on('wh_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('wh_deliveries_partner').on('wh_deliveries').columns(['partner_id', 'id']).execute();
    // The partner behind a business transaction (by correlation id), so that later events of the
    // same transaction (shipped, invoiced), published by flows, reach the partner that started it.
    await db.schema
      .createTable('wh_owners')
      .addColumn('correlationid', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('wh_attempts')
      .addColumn('delivery_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('wh_attempts_pk', ['delivery_id', 'attempt'])
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('id', 'varchar(40)', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'varchar(300)', (c) => c.notNull())
      .addColumn('action', 'varchar(300)', (c) => c.notNull())
      .addColumn('resource', 'varchar(1000)', (c) => c.notNull())
      .addColumn('before_digest', 'varchar(100)')
      .addColumn('after_digest', 'varchar(100)')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('correlationid', 'varchar(200)')
      .addColumn('prev_hash', 'varchar(100)', (c) => c.notNull())
      .addColumn('hash', 'varchar(100)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_resource').on('audit_log').columns(['resource', 'seq']).execute();
    // One row: the chain's head. Appenders lock it (UPDATE) so concurrent writers form one chain.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'varchar(100)', (c) => c.notNull())
      .execute();
    await sql`insert into audit_head (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(db);
    if (dialect === 'sqlite') {
      await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(
        db,
      );
      await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(
        db,
      );
    } else {
      await sql`create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only'; end $$`.execute(
        db,
      );
      await sql`create trigger audit_log_no_change before update or delete on audit_log for each statement execute function audit_log_append_only()`.execute(
        db,
      );
    }
  },
};
