import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from './csv.parser.js';

function parseAll(input: Buffer | string, chunkSize = Number.POSITIVE_INFINITY): CsvRecord[] {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const parser = new CsvParser();
  const out: CsvRecord[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length)) out.push(...parser.push(bytes.subarray(i, i + chunkSize)));
  out.push(...parser.end());
  return out;
}

const fieldsOf = (records: CsvRecord[]) => records.map((r) => r.fields);

describe('CsvParser (RFC 4180)', () => {
  it('reads quoted commas, escaped quotes and line breaks inside quotes, with their line numbers', () => {
    const text = 'sku,name,note\r\nA-1,"Widget, large","He said ""hi"""\r\nA-2,"two\r\nlines\nthree",x\r\nA-3,plain,\r\n';
    const records = parseAll(text);
    expect(fieldsOf(records)).toEqual([
      ['sku', 'name', 'note'],
      ['A-1', 'Widget, large', 'He said "hi"'],
      ['A-2', 'two\r\nlines\nthree', 'x'],
      ['A-3', 'plain', ''],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 6]);
    expect(records.every((r) => r.error === undefined)).toBe(true);
  });

  it('strips a UTF-8 byte order mark and keeps multi-byte text whole across chunk boundaries', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('sku,name\nB-1,Käse – 200 g 🧀\n')]);
    for (const size of [1, 2, 3, 5, 64]) {
      expect(fieldsOf(parseAll(bytes, size))).toEqual([
        ['sku', 'name'],
        ['B-1', 'Käse – 200 g 🧀'],
      ]);
    }
  });

  it('accepts LF, CRLF and lone CR, a last record without a line break, and skips blank lines', () => {
    expect(fieldsOf(parseAll('a,b\n1,2\r\n\r\n3,4\r5,6'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('gives each record the byte offset a resumed parse starts from', () => {
    const text = 'h1,h2\n"x\ny",1\nz,2\n';
    const records = parseAll(text);
    const second = records[1];
    expect(second?.end).toBe(Buffer.byteLength('h1,h2\n"x\ny",1\n'));
    const resumed = new CsvParser({ startOffset: second?.end, startLine: second?.nextLine });
    const rest = [...resumed.push(Buffer.from(text).subarray(second?.end)), ...resumed.end()];
    expect(rest.map((r) => [r.fields, r.line])).toEqual([[['z', '2'], 4]]);
  });

  it('flags malformed records instead of guessing silently', () => {
    const records = parseAll('a,b\n"x"y,1\n2,"open\n');
    expect(records[1]?.error).toMatch(/after the closing quote/);
    expect(records[1]?.fields).toEqual(['xy', '1']);
    expect(records[2]?.error).toMatch(/not closed/);
  });

  it('keeps a bare quote inside an unquoted field as text', () => {
    expect(fieldsOf(parseAll('size\n12" pipe\n'))).toEqual([['size'], ['12" pipe']]);
  });

  it('yields the same records however the input is split (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r\n', ' ', '🧀'), maxLength: 6 });
    const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 17 }),
        (rows, chunk) => {
          const text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
          expect(fieldsOf(parseAll(text, chunk))).toEqual(rows);
        },
      ),
      { numRuns: 200 },
    );
  });
});
