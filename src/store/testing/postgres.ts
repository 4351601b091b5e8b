import pg from 'pg';
import { PostgresStore } from '../drivers/postgres.js';

/** The PostgreSQL the cluster suites use; .ci/run starts one on loopback when none is running. */
export const TEST_POSTGRES_URL = process.env.CROSSDOCK_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A store in a schema of its own, dropped by `drop()`, so suites can run side by side on one server.
 */
export async function freshPostgresStore(): Promise<{ store: PostgresStore; schema: string; drop: () => Promise<void> }> {
  const schema = `cd_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(err as Error).message}). ` +
        'Start it (bash .ci/services.sh starts one on loopback) or set CROSSDOCK_TEST_POSTGRES.',
    );
  }
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = new PostgresStore({ url: TEST_POSTGRES_URL, schema, poolSize: 5 });
  return {
    store,
    schema,
    drop: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
