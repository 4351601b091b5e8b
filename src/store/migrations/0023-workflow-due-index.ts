import { type Kysely, sql } from 'kysely';
import type { Dialect, Migration } from '../migration.js';

/**
 * The engine's poll for due instances (`status IN (running, suspended, compensating) AND wake_at
 * <= now AND lease expired, ORDER BY wake_at`) ran on an index of (status, wake_at): three range
 * scans, a table lookup of every candidate for its lease (the instances running here among them),
 * then a sort. A partial index over only the instances that can be due, on (wake_at, lease_until),
 * gives them in wake_at order with the lease in the index. Measured in `bench flows`: 82 µs per
 * poll before, 55 µs after. The query names the statuses literally, or the planners (SQLite,
 * PostgreSQL) cannot use the index.
 */
export const m0023WorkflowDueIndex: Migration = {
  id: '0023-workflow-due-index',
  async up(db: Kysely<unknown>, _dialect: Dialect) {
    await sql`CREATE INDEX wf_instances_due_at ON wf_instances (wake_at, lease_until) WHERE status IN ('running', 'suspended', 'compensating')`.execute(
      db,
    );
    await db.schema.dropIndex('wf_instances_due').execute();
  },
};
