import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/** The availability domain: positions, their ledger, in-transit and lot detail, reservations, drift and exceptions. */
export const m0013Availability: Migration = {
  id: '0013-availability',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const serial = (c: ColumnDefinitionBuilder) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
    await db.schema
      .createTable('av_positions')
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('location', 'varchar(200)', (c) => c.notNull())
      .addColumn('on_hand', 'bigint', (c) => c.notNull())
      .addColumn('allocated', 'bigint', (c) => c.notNull())
      .addColumn('reserved', 'bigint', (c) => c.notNull())
      .addColumn('held', 'bigint', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('av_positions_pk', ['item', 'location'])
      .execute();
    await db.schema.createIndex('av_positions_updated').on('av_positions').column('updated_at').execute();
    // One row per change to one position; (event_id, item, location) is unique so a redelivered event changes nothing.
    await db.schema
      .createTable('av_ledger')
      .addColumn('id', 'integer', serial)
      .addColumn('event_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('location', 'varchar(200)', (c) => c.notNull())
      .addColumn('kind', 'varchar(50)', (c) => c.notNull())
      .addColumn('d_on_hand', 'bigint', (c) => c.notNull())
      .addColumn('d_allocated', 'bigint', (c) => c.notNull())
      .addColumn('d_reserved', 'bigint', (c) => c.notNull())
      .addColumn('d_held', 'bigint', (c) => c.notNull())
      .addColumn('d_in_transit', 'bigint', (c) => c.notNull())
      .addColumn('on_hand_after', 'bigint', (c) => c.notNull())
      .addColumn('source', 'varchar(200)', (c) => c.notNull())
      .addColumn('reason', 'varchar(200)', (c) => c.notNull())
      .addColumn('correlation_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('av_ledger_event').unique().on('av_ledger').columns(['event_id', 'item', 'location']).execute();
    await db.schema.createIndex('av_ledger_position').on('av_ledger').columns(['item', 'location', 'id']).execute();
    await db.schema
      .createTable('av_in_transit')
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('location', 'varchar(200)', (c) => c.notNull())
      .addColumn('ref', 'varchar(200)', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addColumn('eta', 'bigint')
      .addPrimaryKeyConstraint('av_in_transit_pk', ['item', 'location', 'ref'])
      .execute();
    await db.schema
      .createTable('av_lots')
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('location', 'varchar(200)', (c) => c.notNull())
      .addColumn('lot', 'varchar(100)', (c) => c.notNull())
      .addColumn('expiry', 'varchar(10)')
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('av_lots_pk', ['item', 'location', 'lot'])
      .execute();
    // The claim of an order line: inserted first, so a retried or concurrent reserve of the same line waits for, then sees, the first.
    await db.schema
      .createTable('av_reservation_lines')
      .addColumn('order_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('line', 'varchar(50)', (c) => c.notNull())
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('av_reservation_lines_pk', ['order_id', 'line'])
      .execute();
    // A line may be served by several locations: one row per (order, line, location).
    await db.schema
      .createTable('av_reservations')
      .addColumn('order_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('line', 'varchar(50)', (c) => c.notNull())
      .addColumn('location', 'varchar(200)', (c) => c.notNull())
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('channel', 'varchar(100)', (c) => c.notNull())
      .addColumn('customer', 'varchar(200)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('av_reservations_pk', ['order_id', 'line', 'location'])
      .execute();
    await db.schema.createIndex('av_reservations_item').on('av_reservations').columns(['item', 'location', 'status']).execute();
    await db.schema
      .createTable('av_drift')
      .addColumn('id', 'integer', serial)
      .addColumn('event_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('source', 'varchar(200)', (c) => c.notNull())
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('location', 'varchar(200)', (c) => c.notNull())
      .addColumn('expected', 'bigint', (c) => c.notNull())
      .addColumn('reported', 'bigint', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('av_drift_position').on('av_drift').columns(['item', 'location']).execute();
    await db.schema
      .createTable('availability_exceptions')
      .addColumn('id', 'integer', serial)
      .addColumn('category', 'varchar(100)', (c) => c.notNull())
      .addColumn('item', 'varchar(200)', (c) => c.notNull())
      .addColumn('location', 'varchar(200)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(300)', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('availability_exceptions_category').on('availability_exceptions').columns(['category', 'at']).execute();
  },
};
