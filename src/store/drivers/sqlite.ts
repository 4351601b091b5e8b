import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Errors } from '../../kernel/index.js';
import { runMigrations } from '../migration.js';
import { migrations } from '../migrations/index.js';
import type { Database } from '../schema.js';
import { type SqlValue, type Store, type Tx, TxContext } from '../store.js';

/**
 * Prepared statements by SQL text; hot statements are prepared once per process. Kysely prepares
 * through it too (it would otherwise prepare every query it runs, a cost comparable to the query).
 */
class StatementCache {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  constructor(private readonly raw: BetterSqlite3.Database) {}
  get(text: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(text);
    if (stmt === undefined) {
      // Texts with a variable number of rows could grow this without bound.
      if (this.statements.size >= 500) this.statements.clear();
      stmt = this.raw.prepare(text);
      this.statements.set(text, stmt);
    } else if (stmt.busy) {
      // A statement being iterated cannot run again until the iteration ends; use a fresh one.
      return this.raw.prepare(text);
    }
    return stmt;
  }
  /** What Kysely's SQLite dialect needs of a database, with prepares served from this cache. */
  asKyselyDatabase(): { prepare(text: string): BetterSqlite3.Statement; close(): void } {
    return { prepare: (text) => this.get(text), close: () => this.raw.close() };
  }
}

class SqliteTx extends TxContext {
  constructor(
    db: Tx['db'],
    private readonly cache: StatementCache,
  ) {
    super(db, 'sqlite');
  }
  // The transaction holds the process's only connection, so these statements run inside it.
  run(sqlText: string, params: readonly SqlValue[]): Promise<number> {
    return Promise.resolve(this.cache.get(sqlText).run(...params).changes);
  }
  all<R>(sqlText: string, params: readonly SqlValue[]): Promise<R[]> {
    return Promise.resolve(this.cache.get(sqlText).all(...params) as R[]);
  }
}

export interface SqliteStoreOptions {
  /** Path of the database file; ':memory:' for a throw-away store. */
  file: string;
  /** How long a statement waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

interface SqliteError {
  code?: string;
  message: string;
}

function asSqliteError(err: unknown): SqliteError {
  return typeof err === 'object' && err !== null && 'message' in err ? (err as SqliteError) : { message: String(err) };
}

/** Maps SQLite's own failure codes to crossdock errors with a message an operator can act on. */
function translate(err: unknown, file: string): unknown {
  const e = asSqliteError(err);
  if (e.code === 'SQLITE_NOTADB' || e.code === 'SQLITE_CORRUPT') {
    return Errors.storeCorrupt(
      `${file} is not a crossdock database or is corrupt (${e.message}); restore it from a backup or move it aside`,
      { file },
      { cause: err },
    );
  }
  if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED') {
    return Errors.storeLocked(`${file} is locked by another process (${e.message})`, { file }, { cause: err });
  }
  if (e.code === 'SQLITE_CANTOPEN') {
    return Errors.storeUnavailable(`cannot open ${file} (${e.message})`, { file }, { cause: err });
  }
  return err;
}

/**
 * Checkpoints the WAL from a worker thread with its own connection. SQLite otherwise checkpoints
 * inside the COMMIT that crosses `wal_autocheckpoint`, on the event loop, and with synchronous=NORMAL
 * a checkpoint is where the fsyncs happen (of the WAL, then of the database file): measured, that
 * made COMMIT the largest single cost of a busy event log. A PASSIVE checkpoint never blocks the
 * writer; the writer's own auto-checkpoint stays as a backstop at a higher threshold.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
const CHECKPOINT_INTERVAL_MS = 50;
// 16,000 pages of 4 KiB: the writer checkpoints itself only if the worker falls far behind.
const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_000;

class Checkpointer {
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private failed = false;
  constructor(
    private readonly file: string,
    private readonly raw: BetterSqlite3.Database,
  ) {}
  /**
   * Started on the first commit, so a store opened only to read costs no thread. Never throws: it
   * runs after a COMMIT, and a transaction that committed must not be reported as failed.
   */
  start(): void {
    if (this.worker || this.failed) return;
    try {
      const worker = new Worker(CHECKPOINTER_SOURCE, {
        eval: true,
        workerData: {
          file: this.file,
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          intervalMs: CHECKPOINT_INTERVAL_MS,
        },
      });
      worker.unref();
      worker.on('error', () => this.fallBack());
      // Listened for from the start: a thread that has already exited emits no second 'exit'.
      this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      this.worker = worker;
      this.raw.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    } catch {
      this.fallBack();
    }
  }
  /** If the thread cannot run, the writer's own auto-checkpoint at SQLite's default does the work. */
  private fallBack(): void {
    this.failed = true;
    this.worker = undefined;
    try {
      if (this.raw.open) this.raw.pragma('wal_autocheckpoint = 1000');
    } catch {
      // The store is closing; nothing left to checkpoint for.
    }
  }
  async stop(): Promise<void> {
    const worker = this.worker;
    const exited = this.exited;
    if (!worker || !exited) return;
    this.worker = undefined;
    worker.postMessage('close');
    // The thread closes its connection and exits; one that does not within 2 s is terminated.
    const timeout = setTimeout(() => void worker.terminate(), 2_000);
    await exited;
    clearTimeout(timeout);
  }
}

/** A simple FIFO mutex: SQLite has one writer, and one connection serves the whole process. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly db: Kysely<Database>;
  readonly location: string;
  private readonly txMutex = new Mutex();
  private readonly statements: StatementCache;
  private readonly checkpointer: Checkpointer | undefined;

  private constructor(raw: BetterSqlite3.Database, file: string, checkpointer: boolean) {
    this.location = file;
    this.statements = new StatementCache(raw);
    this.checkpointer = checkpointer ? new Checkpointer(file, raw) : undefined;
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: this.statements.asKyselyDatabase() }) });
  }

  /**
   * Opens (creating if needed) the database file. Checks the file is a readable SQLite database
   * before anything is written, so a corrupt or foreign file is reported and left untouched.
   */
  static open(options: SqliteStoreOptions): SqliteStore {
    const { file } = options;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    let raw: BetterSqlite3.Database;
    try {
      raw = new BetterSqlite3(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    } catch (err) {
      throw translate(err, file);
    }
    try {
      raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      // Reading the schema version touches the header: a foreign or corrupt file fails here, read-only.
      raw.pragma('schema_version');
      if (!options.readonly) {
        raw.pragma('journal_mode = WAL');
        // NORMAL in WAL mode: a commit survives a process crash; only an OS crash or power loss can
        // lose the last transactions. FULL would fsync each commit (see docs/adr/0002).
        raw.pragma('synchronous = NORMAL');
        raw.pragma('foreign_keys = ON');
      }
    } catch (err) {
      raw.close();
      throw translate(err, file);
    }
    return new SqliteStore(raw, file, file !== ':memory:' && !options.readonly);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T> {
    if (outer) return fn(outer);
    // One connection serves the process, so transactions queue here; Kysely's own connection mutex
    // then keeps statements from different async tasks out of each other's transactions.
    const release = await this.txMutex.lock();
    try {
      return await this.db.connection().execute(async (conn) => {
        try {
          this.statements.get('BEGIN IMMEDIATE').run();
        } catch (err) {
          throw translate(err, this.location);
        }
        const ctx = new SqliteTx(conn, this.statements);
        let result: T;
        try {
          result = await fn(ctx);
          this.statements.get('COMMIT').run();
        } catch (err) {
          try {
            this.statements.get('ROLLBACK').run();
          } catch {
            // SQLite rolls back by itself on some errors; a second rollback then fails harmlessly.
          }
          throw translate(err, this.location);
        }
        this.checkpointer?.start();
        ctx.runAfterCommit();
        return result;
      });
    } finally {
      release();
    }
  }

  async migrate() {
    try {
      return await runMigrations(this.db as Kysely<unknown>, 'sqlite', migrations);
    } catch (err) {
      throw translate(err, this.location);
    }
  }

  async health(): Promise<void> {
    try {
      await sql`select 1`.execute(this.db);
    } catch (err) {
      throw translate(err, this.location);
    }
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    await this.db.destroy();
  }
}
