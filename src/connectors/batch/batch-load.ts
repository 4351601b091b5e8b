import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { type Clock, type Logger, systemClock } from '../../kernel/index.js';
import { type FileTransport, LocalFileTransport, type Store } from '../sdk/index.js';
import { CsvParser, type CsvRecord } from './csv.parser.js';
import { BatchErrors } from './errors.js';
import type { BatchHandler, MappedRow } from './handler.js';
import { type BatchLoadTypeName, BatchLoadTypeNames, type MapContext, normalizeColumn } from './load-type.js';
import { batchLoadTypes } from './load-types.js';
import type { BatchProgress } from './progress.js';
import { type BatchLoadTable, batchDb } from './tables.js';

export interface BatchLoadOptions {
  store: Store;
  type: BatchLoadTypeName;
  handler: BatchHandler;
  /** A file on this machine; or `transport` and `path` for a remote one. */
  file?: string;
  transport?: FileTransport;
  path?: string;
  /**
   * Identifies the load for resuming. Default: derived from type, transport, path, size and mtime,
   * so re-running the same command on the same file resumes it (or reports it done).
   */
  loadId?: string;
  /** Rows per transaction (default 500). */
  chunkRows?: number;
  /** The source system key for `refs`/`ext` (default `batch`). */
  system?: string;
  delimiter?: string;
  onProgress?: (progress: BatchProgress) => void;
  clock?: Clock;
  logger?: Logger;
}

export interface BatchRowError {
  line: number;
  field: string | null;
  code: string;
  message: string;
  raw: string;
}

export interface BatchLoadSummary {
  loadId: string;
  type: BatchLoadTypeName;
  source: string;
  rowsOk: number;
  rowsFailed: number;
  /** Failed rows counted by `<field>: <message>`. */
  byError: Record<string, number>;
  /** The first 100 row errors, by line. */
  errors: BatchRowError[];
  /** This run continued a load an earlier run had started. */
  resumed: boolean;
  /** The load had already finished; nothing was applied. */
  alreadyDone: boolean;
}

type Load = BatchLoadTable;

function defaultLoadId(type: string, transport: string, path: string, size: number, mtime: number): string {
  const digest = createHash('sha256').update([type, transport, path, size, mtime].join('\u0000')).digest('hex');
  return `${type}.${digest.slice(0, 24)}`;
}

function pickSource(o: BatchLoadOptions): { transport: FileTransport; path: string } {
  if (o.file !== undefined) {
    if (o.transport !== undefined) throw BatchErrors.config('give either a file or a transport and path, not both');
    return { transport: new LocalFileTransport('file'), path: resolve(o.file) };
  }
  if (o.transport === undefined || o.path === undefined) throw BatchErrors.config('give a file, or a transport and a path');
  return { transport: o.transport, path: o.path };
}

/**
 * Loads a CSV file of items, prices or inventory positions, resumably. Rows are applied in chunks;
 * each chunk's effects, its row errors and the checkpoint (byte offset and line of the next row)
 * commit in one transaction. A run that stops anywhere (crash, handler failure) is resumed by running
 * it again: it starts at the first uncommitted row, so no row is applied twice and none is skipped.
 */
export async function runBatchLoad(options: BatchLoadOptions): Promise<BatchLoadSummary> {
  const { store, type, handler } = options;
  const loadType = batchLoadTypes[type];
  if (loadType === undefined) throw BatchErrors.config(`unknown batch load type ${String(type)}`);
  const clock = options.clock ?? systemClock;
  const chunkRows = options.chunkRows ?? 500;
  const { transport, path } = pickSource(options);
  const info = await transport.stat(path);
  const source = `${transport.id}:${path}`;
  const loadId = options.loadId ?? defaultLoadId(type, transport.id, path, info.size, info.mtime);
  const db = () => batchDb(store.db);

  let load = await db().selectFrom('batch_loads').selectAll().where('load_id', '=', loadId).executeTakeFirst();
  if (load?.status === 'done') return summarize(store, load, false, true);
  if (load && (load.size !== info.size || load.type !== type)) {
    throw BatchErrors.fileChanged(
      `load ${loadId} started on a ${load.size}-byte ${load.type} file; ${path} is a ${info.size}-byte ${type} file`,
      {
        loadId,
      },
    );
  }
  const resumed = load !== undefined;
  let header: string[] | undefined = load ? parseHeader(load.header) : undefined;
  let chunk = 0;
  let pending: CsvRecord[] = [];

  const begin = async (record: CsvRecord): Promise<Load> => {
    const columns = record.fields.map(normalizeColumn);
    const missing = loadType.required.filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      throw BatchErrors.header(`${path}: missing column(s) ${missing.join(', ')}; the header has ${columns.join(', ')}`, { missing });
    }
    const duplicated = columns.filter((c, i) => columns.indexOf(c) !== i);
    if (duplicated.length > 0) throw BatchErrors.header(`${path}: column(s) ${duplicated.join(', ')} appear twice`, { duplicated });
    const now = clock.now();
    const row: Load = {
      load_id: loadId,
      type,
      source,
      size: info.size,
      status: 'running',
      header: JSON.stringify(columns),
      next_offset: record.end,
      next_line: record.nextLine,
      rows_ok: 0,
      rows_failed: 0,
      started_at: now,
      updated_at: now,
      finished_at: null,
    };
    const inserted = await db()
      .insertInto('batch_loads')
      .values(row)
      .onConflict((oc) => oc.column('load_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1)
      throw BatchErrors.concurrent(`load ${loadId} was started by another run`, { loadId });
    header = columns;
    return row;
  };

  const commit = async (current: Load, records: CsvRecord[], columns: string[]): Promise<Load> => {
    const ctx: MapContext = { system: options.system ?? 'batch', loadTime: new Date(current.started_at).toISOString() };
    const known = new Set(loadType.columns);
    const ok: MappedRow[] = [];
    const bad: BatchRowError[] = [];
    for (const record of records) {
      if (record.error !== undefined) {
        bad.push({ line: record.line, field: null, code: 'malformed', message: record.error, raw: record.raw });
        continue;
      }
      if (record.fields.length !== columns.length) {
        const message = `expected ${columns.length} fields, found ${record.fields.length}`;
        bad.push({ line: record.line, field: null, code: 'field_count', message, raw: record.raw });
        continue;
      }
      const cells: Record<string, string> = {};
      const extra: Record<string, string> = {};
      columns.forEach((column, i) => {
        const value = (record.fields[i] ?? '').trim();
        if (known.has(column)) cells[column] = value;
        else if (value !== '') extra[column] = value;
      });
      const outcome = loadType.map(cells, extra, ctx);
      if (outcome.ok) ok.push({ line: record.line, record: outcome.record });
      else bad.push({ line: record.line, field: outcome.field, code: outcome.code, message: outcome.message, raw: record.raw });
    }
    const last = records[records.length - 1];
    if (last === undefined) return current;
    chunk += 1;
    const next: Load = {
      ...current,
      next_offset: last.end,
      next_line: last.nextLine,
      rows_ok: current.rows_ok + ok.length,
      rows_failed: current.rows_failed + bad.length,
      updated_at: clock.now(),
    };
    await store.transaction(async (tx) => {
      const t = batchDb(tx.db);
      // Guarded by the offset this run read: a second run on the same load cannot commit the same rows.
      const moved = await t
        .updateTable('batch_loads')
        .set({
          next_offset: next.next_offset,
          next_line: next.next_line,
          rows_ok: next.rows_ok,
          rows_failed: next.rows_failed,
          updated_at: next.updated_at,
        })
        .where('load_id', '=', loadId)
        .where('next_offset', '=', current.next_offset)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw BatchErrors.concurrent(`load ${loadId} moved on under another run`, { loadId });
      if (ok.length > 0) await handler.apply(ok, tx, { loadId, type, source, chunk });
      if (bad.length > 0) {
        await t
          .insertInto('batch_row_errors')
          .values(bad.map((e) => ({ load_id: loadId, ...e })))
          .onConflict((oc) => oc.columns(['load_id', 'line']).doNothing())
          .execute();
      }
    });
    options.onProgress?.({
      loadId,
      rowsOk: next.rows_ok,
      rowsFailed: next.rows_failed,
      rowsDone: next.rows_ok + next.rows_failed,
      bytesRead: next.next_offset,
      totalBytes: info.size,
    });
    return next;
  };

  const take = async (records: CsvRecord[]): Promise<void> => {
    for (const record of records) {
      if (header === undefined || load === undefined) {
        load = await begin(record);
        continue;
      }
      pending.push(record);
      if (pending.length >= chunkRows) {
        load = await commit(load, pending, header);
        pending = [];
      }
    }
  };

  const start = load?.next_offset ?? 0;
  const parser = new CsvParser({ startOffset: start, startLine: load?.next_line ?? 1, delimiter: options.delimiter });
  const stream = await transport.read(path, { start });
  try {
    for await (const data of stream) {
      await take(parser.push(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array)));
    }
    await take(parser.end());
  } finally {
    stream.destroy();
  }
  if (header === undefined || load === undefined) throw BatchErrors.header(`${path} is empty: no header row`);
  if (pending.length > 0) load = await commit(load, pending, header);
  const finishedAt = clock.now();
  await db()
    .updateTable('batch_loads')
    .set({ status: 'done', finished_at: finishedAt, updated_at: finishedAt })
    .where('load_id', '=', loadId)
    .execute();
  options.logger?.info({ loadId, rowsOk: load.rows_ok, rowsFailed: load.rows_failed }, 'batch load finished');
  return summarize(store, load, resumed, false);
}

function parseHeader(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((c) => typeof c === 'string'))
    throw BatchErrors.config('stored header is not a list of columns');
  return parsed;
}

/** The outcome of a load, from the store (works for a finished load, an interrupted one, or another process's). */
export async function batchLoadSummary(store: Store, loadId: string): Promise<BatchLoadSummary | undefined> {
  const load = await batchDb(store.db).selectFrom('batch_loads').selectAll().where('load_id', '=', loadId).executeTakeFirst();
  return load ? summarize(store, load, false, load.status === 'done') : undefined;
}

async function summarize(store: Store, load: Load, resumed: boolean, alreadyDone: boolean): Promise<BatchLoadSummary> {
  const db = batchDb(store.db);
  const groups = await db
    .selectFrom('batch_row_errors')
    .select(['field', 'message', (eb) => eb.fn.countAll<number>().as('n')])
    .where('load_id', '=', load.load_id)
    .groupBy(['field', 'message'])
    .execute();
  const byError: Record<string, number> = {};
  for (const g of groups) byError[`${g.field ?? 'row'}: ${g.message}`] = Number(g.n);
  const errors = await db
    .selectFrom('batch_row_errors')
    .select(['line', 'field', 'code', 'message', 'raw'])
    .where('load_id', '=', load.load_id)
    .orderBy('line')
    .limit(100)
    .execute();
  return {
    loadId: load.load_id,
    type: BatchLoadTypeNames.parse(load.type),
    source: load.source,
    rowsOk: load.rows_ok,
    rowsFailed: load.rows_failed,
    byError,
    errors,
    resumed,
    alreadyDone,
  };
}
