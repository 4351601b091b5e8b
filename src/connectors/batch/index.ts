export {
  type BatchLoadOptions,
  type BatchLoadSummary,
  type BatchRowError,
  batchLoadSummary,
  runBatchLoad,
} from './batch-load.js';
export { CsvParser, type CsvParserOptions, type CsvRecord } from './csv.parser.js';
export { BatchErrors } from './errors.js';
export type { BatchChunkContext, BatchHandler, MappedRow } from './handler.js';
export {
  type BatchLoadType,
  type BatchLoadTypeName,
  BatchLoadTypeNames,
  type BatchRecord,
  defineLoadType,
  type MapContext,
  normalizeColumn,
  type RowOutcome,
  stableId,
} from './load-type.js';
export { batchLoadTypes } from './load-types.js';
export { type BatchProgress, renderProgress } from './progress.js';
export type { BatchLoadTable, BatchRowErrorTable, BatchTables } from './tables.js';
