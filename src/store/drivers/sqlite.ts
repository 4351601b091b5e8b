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
import { type SqlValue, type Store, type StoreStats, type Tx, TxContext } from '../store.js';

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

/** A transaction waiting for its turn on the connection. */
interface QueuedTx {
  /** Runs the unit of work; what it returns resolves the caller once the group has committed. */
  run: (tx: Tx) => Promise<() => void>;
  reject: (err: unknown) => void;
}

/**
 * First in, first out, in O(1) per operation: Array.prototype.shift moves every element left, which
 * under load (thousands queued) cost more than the transactions themselves.
 */
class TxQueue {
  private items: Array<QueuedTx | undefined> = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: QueuedTx): void {
    this.items.push(item);
  }

  take(): QueuedTx | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    // Drop the taken prefix once it is most of the array.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * How many queued transactions may share one COMMIT. Each runs in its own savepoint, so the group's
 * cost is one BEGIN and one COMMIT; the bound keeps the first one's wait for its commit short.
 */
const MAX_GROUP = 64;
/** How many turns of the event loop a group may wait for more transactions before it commits. */
const MAX_LINGER = 4;
/** A group that starts this soon after the last one ended finds the store busy (ms). */
const BUSY_GAP_MS = 1;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly db: Kysely<Database>;
  readonly location: string;
  /** Transactions not yet started, in arrival order; a running group takes them from the front. */
  private readonly txQueue = new TxQueue();
  private draining = false;
  private lastGroupEnd = Number.NEGATIVE_INFINITY;
  private groupStart = 0;
  private readonly statements: StatementCache;
  private readonly checkpointer: Checkpointer | undefined;
  // Run around every transaction of a group: prepared once, outside the cache's lookup.
  private readonly savepoint: BetterSqlite3.Statement;
  private readonly release: BetterSqlite3.Statement;
  private readonly counts: StoreStats = { transactions: 0, commits: 0 };

  private constructor(
    private readonly raw: BetterSqlite3.Database,
    file: string,
    checkpointer: boolean,
  ) {
    this.location = file;
    this.statements = new StatementCache(raw);
    this.savepoint = raw.prepare('SAVEPOINT cd_tx');
    this.release = raw.prepare('RELEASE cd_tx');
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
        // Savepoints and multi-row statements keep their undo pages in a statement journal, a temp
        // file past 64 KiB: measured, a busy event log made ~2 pwrite calls per event there. They
        // only ever undo part of a live transaction, so memory loses nothing on a crash.
        raw.pragma('temp_store = MEMORY');
      }
    } catch (err) {
      raw.close();
      throw translate(err, file);
    }
    return new SqliteStore(raw, file, file !== ':memory:' && !options.readonly);
  }

  /**
   * Runs `fn` in a transaction. One connection serves the process, so transactions queue; those
   * that queued while another ran share its COMMIT (group commit, ADR 8). Each runs in its own
   * savepoint: one that throws is rolled back alone and rejected at once, the others resolve only
   * when the group has committed. The group is equivalent to running them one after another.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T> {
    if (outer) return fn(outer);
    return new Promise<T>((resolve, reject) => {
      this.txQueue.push({
        run: async (tx) => {
          const result = await fn(tx);
          return () => resolve(result);
        },
        reject,
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.txQueue.size > 0) {
        // Kysely's connection mutex keeps statements outside a transaction (store.db) from running
        // inside the group.
        await this.db.connection().execute((conn) => this.runGroup(conn));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runGroup(conn: Tx['db']): Promise<void> {
    const first = this.txQueue.take();
    if (!first) return;
    this.groupStart = performance.now();
    try {
      this.statements.get('BEGIN IMMEDIATE').run();
    } catch (err) {
      first.reject(translate(err, this.location));
      return;
    }
    const committed: Array<{ job: QueuedTx; ctx: SqliteTx; settle: () => void }> = [];
    let job: QueuedTx | undefined = first;
    let ran = 0;
    let lingered = 0;
    while (job) {
      ran++;
      const ctx = new SqliteTx(conn, this.statements);
      this.savepoint.run();
      try {
        const settle = await job.run(ctx);
        this.release.run();
        committed.push({ job, ctx, settle });
      } catch (err) {
        const cause = translate(err, this.location);
        if (!this.undoSavepoint()) {
          // SQLite rolled the whole transaction back (a full disk, an I/O error): the others in
          // the group went with it.
          for (const done of committed) done.job.reject(cause);
          job.reject(cause);
          return;
        }
        job.reject(cause);
      }
      if (ran >= MAX_GROUP) break;
      job = this.txQueue.take();
      if (job === undefined && lingered < MAX_LINGER && this.busy()) {
        // Requests already read from their sockets reach their transaction in the next turn of the
        // event loop; waiting one turn lets them share this COMMIT instead of queueing behind it.
        lingered++;
        await nextTurn();
        job = this.txQueue.take();
      }
    }
    this.lastGroupEnd = performance.now();
    if (committed.length === 0) {
      this.statements.get('ROLLBACK').run();
      return;
    }
    try {
      this.statements.get('COMMIT').run();
    } catch (err) {
      const cause = translate(err, this.location);
      try {
        this.statements.get('ROLLBACK').run();
      } catch {
        // SQLite rolls back by itself on some errors; a second rollback then fails harmlessly.
      }
      for (const done of committed) done.job.reject(cause);
      return;
    }
    this.checkpointer?.start();
    this.counts.commits++;
    this.counts.transactions += committed.length;
    for (const done of committed) {
      done.ctx.runAfterCommit();
      done.settle();
    }
  }

  /**
   * Whether transactions are arriving back to back, so that waiting for the next one is worth a
   * turn of the event loop; a lone transaction on a quiet store commits at once.
   */
  private busy(): boolean {
    return this.groupStart - this.lastGroupEnd < BUSY_GAP_MS;
  }

  /** Undoes the current transaction's savepoint; false when SQLite has already ended the whole transaction. */
  private undoSavepoint(): boolean {
    if (!this.raw.inTransaction) return false;
    try {
      this.statements.get('ROLLBACK TO cd_tx').run();
      this.statements.get('RELEASE cd_tx').run();
      return true;
    } catch {
      if (this.raw.inTransaction) {
        try {
          this.statements.get('ROLLBACK').run();
        } catch {
          // Nothing more can be undone.
        }
      }
      return false;
    }
  }

  async migrate() {
    try {
      return await runMigrations(this.db as Kysely<unknown>, 'sqlite', migrations);
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
    await this.checkpointer?.stop();
    await this.db.destroy();
  }
}
