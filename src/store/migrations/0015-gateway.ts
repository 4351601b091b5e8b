import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

export const m0015Gateway: Migration = {
  id: '0015-gateway',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    await db.schema
      .createTable('gw_partners')
      .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(300)', (c) => c.notNull())
      .addColumn('plan', 'varchar(50)', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    // API keys: the public prefix finds the row; only a hash of the secret is kept.
    await db.schema
      .createTable('gw_api_keys')
      .addColumn('prefix', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('secret_hash', 'varchar(100)', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('label', 'varchar(200)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .execute();
    await db.schema.createIndex('gw_api_keys_partner').on('gw_api_keys').column('partner_id').execute();
    await db.schema
      .createTable('gw_clients')
      .addColumn('client_id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('secret_hash', 'varchar(100)', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema
      .createTable('gw_users')
      .addColumn('username', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('password_hash', 'varchar(300)', (c) => c.notNull())
      .addColumn('role', 'varchar(20)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('disabled_at', 'bigint')
      .execute();
    // Quota windows shared by every process: each takes a chunk of the window's allowance at a time.
    await db.schema
      .createTable('gw_quota')
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('granted', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('gw_quota_pk', ['partner_id', 'window_start'])
      .execute();
    await db.schema
      .createTable('gw_idempotency')
      .addColumn('partner_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('key', 'varchar(300)', (c) => c.notNull())
      .addColumn('method', 'varchar(10)', (c) => c.notNull())
      .addColumn('path', 'varchar(1000)', (c) => c.notNull())
      .addColumn('body_hash', 'varchar(100)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('gw_idempotency_pk', ['partner_id', 'key'])
      .execute();
    await db.schema.createIndex('gw_idempotency_age').on('gw_idempotency').column('created_at').execute();
  },
};
