import type { Kysely } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

export const m0020SharedBudgets: Migration = {
  id: '0020-shared-budgets',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    // Calls to one target system per short window, shared by every hub process.
    await db.schema
      .createTable('connector_budget_windows')
      .addColumn('target', 'varchar(200)', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('granted', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('connector_budget_windows_pk', ['target', 'window_start'])
      .execute();
  },
};
