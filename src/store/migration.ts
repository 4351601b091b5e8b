import { type Kysely, sql } from 'kysely';
import { Errors } from '../kernel/index.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * A schema change. Migrations are applied in id order, each in its own transaction, and never edited
 * once released: a change to the schema is a new migration.
 */
export interface Migration {
  readonly id: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATION_TABLE = 'cd_migrations';
// Any constant works; it only has to be the same in every crossdock process.
const POSTGRES_MIGRATION_LOCK = 7_290_431_001;

export async function runMigrations(db: Kysely<unknown>, dialect: Dialect, migrations: readonly Migration[]): Promise<MigrationResult> {
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error('two migrations share an id');
  const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));

  return db.connection().execute(async (conn) => {
    if (dialect === 'postgres') {
      // Several hub processes may start together; one migrates, the others wait.
      await sql`select pg_advisory_lock(${POSTGRES_MIGRATION_LOCK})`.execute(conn);
    }
    try {
      await conn.schema
        .createTable(MIGRATION_TABLE)
        .ifNotExists()
        .addColumn('id', 'varchar(200)', (c) => c.primaryKey())
        .addColumn('applied_at', 'bigint', (c) => c.notNull())
        .execute();
      const rows = await sql<{ id: string }>`select id from ${sql.table(MIGRATION_TABLE)}`.execute(conn);
      const done = new Set(rows.rows.map((r) => r.id));
      const known = new Set(ids);
      const unknown = [...done].filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw Errors.migration(
          `the store was migrated by a newer crossdock (unknown migrations: ${unknown.join(', ')}); upgrade this process instead of downgrading the store`,
        );
      }
      const applied: string[] = [];
      for (const migration of sorted) {
        if (done.has(migration.id)) continue;
        await conn.transaction().execute(async (tx) => {
          await migration.up(tx, dialect);
          await sql`insert into ${sql.table(MIGRATION_TABLE)} (id, applied_at) values (${migration.id}, ${Date.now()})`.execute(tx);
        });
        applied.push(migration.id);
      }
      return { applied, alreadyApplied: sorted.map((m) => m.id).filter((id) => done.has(id)) };
    } catch (err) {
      if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('CD_ERR_')) throw err;
      throw Errors.migration(`migration failed: ${(err as Error).message}`, {}, { cause: err });
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${POSTGRES_MIGRATION_LOCK})`.execute(conn);
    }
  });
}
