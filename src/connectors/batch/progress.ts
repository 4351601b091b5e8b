export interface BatchProgress {
  loadId: string;
  rowsOk: number;
  rowsFailed: number;
  /** Rows committed so far, good and bad (counting rows committed by an earlier, interrupted run). */
  rowsDone: number;
  /** Bytes of the file consumed through the last committed row. */
  bytesRead: number;
  totalBytes: number;
}

const count = new Intl.NumberFormat('en-US');

/** One status line for a terminal: `  42% 12,000 rows, 3 errors`. */
export function renderProgress(p: BatchProgress): string {
  const percent = p.totalBytes === 0 ? 100 : Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100));
  const errors = p.rowsFailed === 1 ? '1 error' : `${count.format(p.rowsFailed)} errors`;
  return `${String(percent).padStart(4)}% ${count.format(p.rowsDone)} rows, ${errors}`;
}
