import type { Kysely, Transaction } from 'kysely';
import type { Dialect, MigrationResult } from './migration.js';
import type { Database } from './schema.js';

/**
 * A unit of work. `db` runs queries inside the transaction; `afterCommit` callbacks run once the
 * transaction has committed (never if it rolls back), e.g. to wake consumers of a published event.
 */
export interface Tx {
  readonly db: Transaction<Database> | Kysely<Database>;
  readonly dialect: Dialect;
  afterCommit(fn: () => void): void;
  /**
   * Raw SQL for hot paths, written with `?` placeholders (drivers translate them). SQLite caches
   * the prepared statement per text. `run` returns the number of rows changed; `all` returns rows
   * (for SELECT or `RETURNING`). Prefer the typed `db` builder everywhere else.
   */
  run(sqlText: string, params: readonly SqlValue[]): Promise<number>;
  all<R>(sqlText: string, params: readonly SqlValue[]): Promise<R[]>;
}

export interface StoreStats {
  /** Transactions that committed (a joined `outer` one is not counted again). */
  transactions: number;
  /** COMMIT statements: as many as transactions on PostgreSQL, one per group on SQLite. */
  commits: number;
}

export type SqlValue = string | number | bigint | null | Buffer;

/**
 * The store a hub runs on. Drivers: SQLite (embedded) and PostgreSQL (cluster). Nothing outside a
 * driver file knows which one it has, beyond `dialect` for the few statements that differ.
 */
export interface Store {
  readonly dialect: Dialect;
  /** Queries outside any transaction (reads, single statements). */
  readonly db: Kysely<Database>;
  /** Human-readable location, secrets removed: a file path or a URL without password. */
  readonly location: string;
  /**
   * Runs fn in a transaction that takes the write lock up front (SQLite `BEGIN IMMEDIATE`;
   * PostgreSQL read committed). Commits when fn resolves, rolls back when it throws.
   * Passing `outer` joins an existing transaction instead of opening a new one.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T>;
  migrate(): Promise<MigrationResult>;
  /** Throws a CD_ERR_STORE_* error when the store cannot serve. */
  health(): Promise<void>;
  /** Transactions run and COMMITs made since the store opened (SQLite shares a COMMIT among a group, ADR 8). */
  stats(): StoreStats;
  close(): Promise<void>;
}

export abstract class TxContext implements Tx {
  private readonly callbacks: Array<() => void> = [];
  constructor(
    readonly db: Transaction<Database> | Kysely<Database>,
    readonly dialect: Dialect,
  ) {}
  abstract run(sqlText: string, params: readonly SqlValue[]): Promise<number>;
  abstract all<R>(sqlText: string, params: readonly SqlValue[]): Promise<R[]>;
  afterCommit(fn: () => void): void {
    this.callbacks.push(fn);
  }
  /** Called by the driver after COMMIT succeeded. */
  runAfterCommit(): void {
    for (const fn of this.callbacks.splice(0)) {
      try {
        fn();
      } catch {
        // An after-commit hook is a wake-up, never a part of the unit of work: its failure must not
        // surface as a failed transaction that in fact committed.
      }
    }
  }
}
