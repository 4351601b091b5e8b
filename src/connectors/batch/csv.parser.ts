import { BatchErrors } from './errors.js';

/** One CSV record (RFC 4180 §2) with where it sits in the file. */
export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on (a quoted field may span lines). */
  line: number;
  /** The line the next record starts on. */
  nextLine: number;
  /** Byte offset just past this record's line break: where a resumed parse starts. */
  end: number;
  /** The record as written, cut to 1,000 characters, for error reports. */
  raw: string;
  /** Set when the record is malformed; its fields are then a best effort. */
  error?: string;
}

export interface CsvParserOptions {
  /** Byte offset of the first byte pushed (a resumed parse starts mid-file). */
  startOffset?: number;
  /** Line number of the first byte pushed. */
  startLine?: number;
  /** A single ASCII character; `,` by default. */
  delimiter?: string;
  /** A record larger than this ends the parse (a missing closing quote would otherwise swallow the file). */
  maxRecordBytes?: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const RAW_LIMIT = 1000;

type Scan = { fields: string[]; next: number; contentEnd: number; lines: number; error?: string } | undefined;

/**
 * A streaming RFC 4180 parser over UTF-8 bytes. It scans bytes, not decoded text: the delimiter,
 * quote and line breaks are ASCII and never occur inside a multi-byte UTF-8 sequence, so fields are
 * decoded whole and byte offsets (for checkpoints) are exact. Accepts CRLF, LF or lone CR line breaks,
 * a UTF-8 byte order mark at offset 0, `""` inside quoted fields, and line breaks inside quoted fields.
 * A quote inside an unquoted field is kept as text (`12" pipe`), a common deviation from §2.5.
 * Blank lines are skipped.
 */
export class CsvParser {
  private buf: Buffer = Buffer.alloc(0);
  private offset: number;
  private line: number;
  private readonly delimiter: number;
  private readonly maxRecordBytes: number;

  constructor(options: CsvParserOptions = {}) {
    this.offset = options.startOffset ?? 0;
    this.line = options.startLine ?? 1;
    const delimiter = options.delimiter ?? ',';
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || delimiter === '"') {
      throw BatchErrors.config(`the CSV delimiter must be one ASCII character other than a quote, not ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter.charCodeAt(0);
    this.maxRecordBytes = options.maxRecordBytes ?? 1024 * 1024;
  }

  /** Bytes consumed so far, as a file offset. */
  get position(): number {
    return this.offset;
  }

  push(chunk: Buffer): CsvRecord[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return this.drain(false);
  }

  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    if (this.offset === 0) {
      if (this.buf.length < 3 && !final) return [];
      if (this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) {
        this.buf = this.buf.subarray(3);
        this.offset = 3;
      }
    }
    const records: CsvRecord[] = [];
    let pos = 0;
    while (pos < this.buf.length) {
      const scan = this.scan(pos, final);
      if (scan === undefined) {
        if (this.buf.length - pos > this.maxRecordBytes) {
          throw BatchErrors.recordTooLarge(
            `the record starting on line ${this.line} is longer than ${this.maxRecordBytes} bytes (a quote left open?)`,
            {
              line: this.line,
            },
          );
        }
        break;
      }
      const blank = scan.fields.length === 1 && scan.fields[0] === '' && scan.contentEnd === pos;
      if (!blank) {
        const record: CsvRecord = {
          fields: scan.fields,
          line: this.line,
          nextLine: this.line + scan.lines,
          end: this.offset + scan.next,
          raw: this.buf.toString('utf8', pos, Math.min(scan.contentEnd, pos + RAW_LIMIT * 4)).slice(0, RAW_LIMIT),
        };
        if (scan.error !== undefined) record.error = scan.error;
        records.push(record);
      }
      this.line += scan.lines;
      pos = scan.next;
    }
    this.buf = this.buf.subarray(pos);
    this.offset += pos;
    return records;
  }

  /** Scans one record from `start`; undefined when the bytes so far do not complete it. */
  private scan(start: number, final: boolean): Scan {
    const buf = this.buf;
    const len = buf.length;
    const fields: string[] = [];
    let lines = 0;
    let error: string | undefined;
    let i = start;
    for (;;) {
      let field: string;
      if (i < len && buf[i] === QUOTE) {
        const pieces: string[] = [];
        let j = i + 1;
        let from = j;
        let closed = false;
        while (j < len) {
          const b = buf[j];
          if (b === QUOTE) {
            if (j + 1 >= len && !final) return undefined;
            if (buf[j + 1] === QUOTE) {
              pieces.push(buf.toString('utf8', from, j + 1));
              j += 2;
              from = j;
              continue;
            }
            closed = true;
            break;
          }
          if (b === LF || (b === CR && buf[j + 1] !== LF)) {
            if (b === CR && j + 1 >= len && !final) return undefined;
            lines += 1;
          }
          j += 1;
        }
        if (!closed) {
          if (!final) return undefined;
          pieces.push(buf.toString('utf8', from, len));
          fields.push(pieces.join(''));
          return { fields, next: len, contentEnd: len, lines, error: 'a quoted field is not closed before the end of the file' };
        }
        pieces.push(buf.toString('utf8', from, j));
        field = pieces.join('');
        i = j + 1;
        if (i < len && buf[i] !== this.delimiter && buf[i] !== CR && buf[i] !== LF) {
          let k = i;
          while (k < len && buf[k] !== this.delimiter && buf[k] !== CR && buf[k] !== LF) k += 1;
          if (k >= len && !final) return undefined;
          error ??= `text after the closing quote of field ${fields.length + 1}`;
          field += buf.toString('utf8', i, k);
          i = k;
        }
      } else {
        let j = i;
        while (j < len && buf[j] !== this.delimiter && buf[j] !== CR && buf[j] !== LF) j += 1;
        if (j >= len && !final) return undefined;
        field = buf.toString('utf8', i, j);
        i = j;
      }
      fields.push(field);
      if (i >= len) {
        return error === undefined ? { fields, next: len, contentEnd: len, lines } : { fields, next: len, contentEnd: len, lines, error };
      }
      const b = buf[i];
      if (b === this.delimiter) {
        i += 1;
        continue;
      }
      let next: number;
      if (b === CR) {
        if (i + 1 >= len && !final) return undefined;
        next = buf[i + 1] === LF ? i + 2 : i + 1;
      } else {
        next = i + 1;
      }
      lines += 1;
      return error === undefined ? { fields, next, contentEnd: i, lines } : { fields, next, contentEnd: i, lines, error };
    }
  }
}
