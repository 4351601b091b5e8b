import { createHash } from 'node:crypto';
import { type Clock, classify, errorMessage, type Logger, newId, sleep, systemClock } from '../../../kernel/index.js';
import type { Store, Tx } from '../../../store/index.js';
import { ConnectorErrors } from '../errors.js';
import { FileErrors } from './errors.js';
import { type FileReceiptTable, filesDb } from './tables.js';
import { baseName, dirName, type FileTransport, joinPath, type RemoteFile, readAll } from './transport.js';

export interface InboundFile {
  /** The receipt's id; also the prefix of the archived file's name. */
  receiptId: string;
  transport: string;
  path: string;
  name: string;
  size: number;
  mtime: number;
  sha256: string;
  content: Buffer;
}

export interface InboundFilePollerOptions {
  store: Store;
  transport: FileTransport;
  /** The directory to poll. */
  dir: string;
  /** Names to take (default: all). Names starting with `.` are never taken: writers upload under them. */
  pattern?: RegExp;
  /** Processed files move here, renamed `<receiptId>_<name>` (partners reuse names such as `stock.csv`). */
  archiveDir: string;
  /** Files whose handler failed permanently move here, content untouched. */
  failedDir: string;
  /**
   * Applies a file inside the transaction that records its receipt: both commit or neither does.
   * A permanent error sends the file to `failedDir`; a retryable one leaves it for the next poll,
   * up to `maxAttempts`.
   */
  handle(file: InboundFile, tx: Tx): Promise<void>;
  /** Files larger than this are refused to `failedDir` unread (default 100 MiB). */
  maxBytes?: number;
  /** Retryable failures before a file is given up as failed (default 5). */
  maxAttempts?: number;
  /** Skip a file whose exact bytes were already processed under another name (default true). */
  dedupeByContent?: boolean;
  intervalMs?: number;
  logger?: Logger;
  clock?: Clock;
}

export interface PollResult {
  processed: string[];
  failed: string[];
  duplicates: string[];
  /** Failed with a retryable error; left in place for the next poll. */
  retrying: string[];
  /** Files moved to their archive or failed directory during this poll (including earlier leftovers). */
  moved: string[];
  /** Moves that did not succeed; the receipt keeps the file from being processed again. */
  moveErrors: Array<{ path: string; error: string }>;
}

type Receipt = FileReceiptTable;

/**
 * Takes files from a directory exactly once, across restarts and crashes:
 * 1. a file is known by (transport, path, size, mtime); one already receipted is never handled again;
 * 2. the receipt (`done`, with the archive path chosen up front) and the handler's effects commit in
 *    one transaction;
 * 3. the file is moved afterwards; if the move fails or the process dies before it, the next poll
 *    finds the receipt and only re-attempts the move.
 */
export class InboundFilePoller {
  private readonly clock: Clock;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly options: InboundFilePollerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async pollOnce(): Promise<PollResult> {
    const { transport, dir, pattern } = this.options;
    const result: PollResult = { processed: [], failed: [], duplicates: [], retrying: [], moved: [], moveErrors: [] };
    const files = (await transport.list(dir))
      .filter((f) => f.isFile && !f.name.startsWith('.') && (pattern === undefined || pattern.test(f.name)))
      .sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
    for (const file of files) {
      await this.take(file, result);
    }
    return result;
  }

  /** The receipts of files taken from this transport, newest first. */
  async receipts(limit = 100): Promise<Receipt[]> {
    return filesDb(this.options.store.db)
      .selectFrom('file_receipts')
      .selectAll()
      .where('transport', '=', this.options.transport.id)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          await this.pollOnce();
        } catch (err) {
          this.options.logger?.warn({ err, transport: this.options.transport.id, dir: this.options.dir }, 'file poll failed');
        }
        await sleep(this.options.intervalMs ?? 30_000, this.abort.signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  private async take(file: RemoteFile, result: PollResult): Promise<void> {
    const o = this.options;
    const known = await this.findByIdentity(file);
    if (known && known.status !== 'pending') {
      // Handled before: at most the move is left to do.
      await this.move(known, file.path, result);
      return;
    }
    const maxBytes = o.maxBytes ?? 100 * 1024 * 1024;
    const id = known?.id ?? newId(this.clock.now());
    if (file.size > maxBytes) {
      const err = FileErrors.tooLarge(`${file.path} is ${file.size} bytes; the limit is ${maxBytes}`, { path: file.path });
      await this.record(id, file, '', 'failed', (known?.attempts ?? 0) + 1, errorMessage(err), o.failedDir);
      result.failed.push(file.path);
      await this.moveById(id, file.path, result);
      return;
    }
    let content: Buffer;
    try {
      content = await readAll(await o.transport.read(file.path), maxBytes);
    } catch (err) {
      // Not readable yet (a writer still holds it, the connection dropped): try again next poll.
      o.logger?.warn({ err, path: file.path }, 'inbound file not readable; will retry');
      result.retrying.push(file.path);
      return;
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (!known && (o.dedupeByContent ?? true) && (await this.seenContent(sha256))) {
      await this.record(id, file, sha256, 'duplicate', 1, `same content as a file already processed`, o.archiveDir);
      result.duplicates.push(file.path);
      await this.moveById(id, file.path, result);
      return;
    }
    const attempts = (known?.attempts ?? 0) + 1;
    const inbound: InboundFile = {
      receiptId: id,
      transport: o.transport.id,
      path: file.path,
      name: file.name,
      size: file.size,
      mtime: file.mtime,
      sha256,
      content,
    };
    try {
      const taken = await o.store.transaction(async (tx) => {
        if (!(await this.claim(tx, id, file, sha256, attempts, known !== undefined))) return false;
        await o.handle(inbound, tx);
        return true;
      });
      if (!taken) return;
      result.processed.push(file.path);
    } catch (err) {
      const permanent = classify(err) !== 'retryable';
      if (!permanent && attempts < (o.maxAttempts ?? 5)) {
        o.logger?.warn({ err, path: file.path, attempts }, 'inbound file handler failed; will retry');
        await this.record(id, file, sha256, 'pending', attempts, errorMessage(err), null);
        result.retrying.push(file.path);
        return;
      }
      o.logger?.error({ err, path: file.path, attempts }, 'inbound file failed; moving it to the failed directory');
      await this.record(id, file, sha256, 'failed', attempts, errorMessage(err), o.failedDir);
      result.failed.push(file.path);
    }
    await this.moveById(id, file.path, result);
  }

  /**
   * Writes the `done` receipt inside the handler's transaction. Returns false when another process
   * took the file first (its receipt exists and is no longer pending).
   */
  private async claim(tx: Tx, id: string, file: RemoteFile, sha256: string, attempts: number, known: boolean): Promise<boolean> {
    const db = filesDb(tx.db);
    const movedTo = joinPath(this.options.archiveDir, `${id}_${file.name}`);
    if (known) {
      const updated = await db
        .updateTable('file_receipts')
        .set({ status: 'done', attempts, error: null, sha256, moved_to: movedTo })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    }
    const inserted = await db
      .insertInto('file_receipts')
      .values(this.row(id, file, sha256, 'done', attempts, null, movedTo))
      .onConflict((oc) => oc.columns(['transport', 'path', 'size', 'mtime']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  private row(
    id: string,
    file: RemoteFile,
    sha256: string,
    status: string,
    attempts: number,
    error: string | null,
    movedTo: string | null,
  ): Receipt {
    return {
      id,
      transport: this.options.transport.id,
      path: file.path,
      size: file.size,
      mtime: file.mtime,
      sha256,
      status,
      attempts,
      error,
      received_at: this.clock.now(),
      moved_to: movedTo,
      moved_at: null,
    };
  }

  private async record(
    id: string,
    file: RemoteFile,
    sha256: string,
    status: string,
    attempts: number,
    error: string,
    toDir: string | null,
  ): Promise<void> {
    const movedTo = toDir === null ? null : joinPath(toDir, `${id}_${file.name}`);
    await filesDb(this.options.store.db)
      .insertInto('file_receipts')
      .values(this.row(id, file, sha256, status, attempts, error, movedTo))
      .onConflict((oc) => oc.column('id').doUpdateSet({ status, attempts, error, sha256, moved_to: movedTo }))
      .execute();
  }

  private async findByIdentity(file: RemoteFile): Promise<Receipt | undefined> {
    return filesDb(this.options.store.db)
      .selectFrom('file_receipts')
      .selectAll()
      .where('transport', '=', this.options.transport.id)
      .where('path', '=', file.path)
      .where('size', '=', file.size)
      .where('mtime', '=', file.mtime)
      .executeTakeFirst();
  }

  private async seenContent(sha256: string): Promise<boolean> {
    const row = await filesDb(this.options.store.db)
      .selectFrom('file_receipts')
      .select('id')
      .where('transport', '=', this.options.transport.id)
      .where('sha256', '=', sha256)
      .where('status', '=', 'done')
      .executeTakeFirst();
    return row !== undefined;
  }

  private async moveById(id: string, path: string, result: PollResult): Promise<void> {
    const receipt = await filesDb(this.options.store.db).selectFrom('file_receipts').selectAll().where('id', '=', id).executeTakeFirst();
    if (receipt) await this.move(receipt, path, result);
  }

  private async move(receipt: Receipt, path: string, result: PollResult): Promise<void> {
    const { transport } = this.options;
    if (receipt.moved_to === null) return;
    // Moved already, yet a file with the same name, size and mtime is back: the partner sent it again.
    const target = receipt.moved_at === null ? receipt.moved_to : `${receipt.moved_to}.again-${newId(this.clock.now())}`;
    try {
      await transport.archive(path, dirName(target), baseName(target));
    } catch (err) {
      const gone = ConnectorErrors.notFound.is(err) && (await this.exists(target));
      if (!gone) {
        this.options.logger?.warn({ err, path, to: target }, 'moving an inbound file failed; will retry at the next poll');
        result.moveErrors.push({ path, error: errorMessage(err) });
        return;
      }
    }
    await filesDb(this.options.store.db)
      .updateTable('file_receipts')
      .set({ moved_at: this.clock.now() })
      .where('id', '=', receipt.id)
      .execute();
    result.moved.push(path);
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await this.options.transport.stat(path);
      return true;
    } catch {
      return false;
    }
  }
}
