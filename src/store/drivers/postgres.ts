import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { Errors } from '../../kernel/index.js';
import { runMigrations } from '../migration.js';
import { migrations } from '../migrations/index.js';
import type { Database } from '../schema.js';
import { type SqlValue, type Store, type StoreStats, type Tx, TxContext } from '../store.js';

const numbered = new Map<string, string>();
/** `?` placeholders to PostgreSQL's `$1, $2, …` (the texts are ours: no `?` inside literals). */
function toPostgres(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    if (numbered.size > 1000) numbered.clear();
    numbered.set(text, out);
  }
  return out;
}

class PostgresTx extends TxContext {
  constructor(db: Tx['db']) {
    super(db, 'postgres');
  }
  async run(sqlText: string, params: readonly SqlValue[]): Promise<number> {
    const result = await this.db.executeQuery(CompiledQuery.raw(toPostgres(sqlText), [...params]));
    return Number(result.numAffectedRows ?? 0n);
  }
  async all<R>(sqlText: string, params: readonly SqlValue[]): Promise<R[]> {
    const result = await this.db.executeQuery<R>(CompiledQuery.raw(toPostgres(sqlText), [...params]));
    return [...result.rows];
  }
}

// int8 (bigint) columns hold offsets and epoch milliseconds; both fit a JS number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface PostgresStoreOptions {
  url: string;
  /** Schema to use instead of `public` (each test suite gets its own). */
  schema?: string;
  poolSize?: number;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}

function translate(err: unknown, location: string): unknown {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', '57P01', '57P03', '53300'].includes(code)) {
    return Errors.storeUnavailable(`PostgreSQL at ${location} is unavailable (${(err as Error).message})`, { code }, { cause: err });
  }
  return err;
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly db: Kysely<Database>;
  readonly location: string;
  private readonly counts: StoreStats = { transactions: 0, commits: 0 };
  private readonly pool: pg.Pool;

  constructor(options: PostgresStoreOptions) {
    this.location = redactUrl(options.url);
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its server must not crash the process; the next checkout reconnects.
    this.pool.on('error', () => {});
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T> {
    if (outer) return fn(outer);
    let ctx: TxContext | undefined;
    try {
      const result = await this.db.transaction().execute(async (trx) => {
        ctx = new PostgresTx(trx);
        return fn(ctx);
      });
      this.counts.transactions++;
      this.counts.commits++;
      ctx?.runAfterCommit();
      return result;
    } catch (err) {
      throw translate(err, this.location);
    }
  }

  async migrate() {
    try {
      return await runMigrations(this.db as Kysely<unknown>, 'postgres', migrations);
    } catch (err) {
      throw translate(err, this.location);
    }
  }

  stats(): StoreStats {
    return { ...this.counts };
  }

  async health(): Promise<void> {
    try {
      await sql`select 1`.execute(this.db);
    } catch (err) {
      throw translate(err, this.location);
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
