import { describe, expect, it } from 'vitest';
import type { X12Segment } from './segment.js';
import { syntheticInterchange } from './synthetic.js';
import { X12Tokenizer } from './tokenizer.js';

/**
 * The tokenizer reads its input in windows of 64 KiB and keeps only an unfinished segment between writes; these
 * tests put segments, BIN data and comment lines across window and chunk boundaries.
 */
const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240115*1200*^*00501*000000101*0*P*:~\n';

function tokenize(input: Buffer, chunkSize = input.length): X12Segment[] {
  const segments: X12Segment[] = [];
  const tokenizer = new X12Tokenizer({ segment: (s) => segments.push(s) });
  for (let i = 0; i < input.length; i += chunkSize) tokenizer.write(input.subarray(i, i + chunkSize));
  tokenizer.end();
  return segments;
}

function lineAt(input: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (input[i] === 10) line++;
  return line;
}

async function synthetic(bytes: number, lineEnding: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of syntheticInterchange({ bytes, lineEnding })) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('X12 tokenizer across windows and writes', () => {
  it('gives every segment of a multi-window input its true offset and line, whatever the chunking', async () => {
    const input = await synthetic(300_000, '\n');
    const whole = tokenize(input);
    expect(whole.length).toBeGreaterThan(10_000);
    for (const seg of whole) {
      expect(input.toString('latin1', seg.position.offset, seg.position.offset + seg.tag.length)).toBe(seg.tag);
    }
    // Lines checked on a sample: counting from the start for all of them would be quadratic.
    for (let k = 0; k < whole.length; k += 97) {
      const seg = whole[k];
      if (seg) expect(seg.position.line).toBe(lineAt(input, seg.position.offset));
    }
    const plain = whole.map((s) => [s.tag, s.elements, s.position]);
    for (const size of [65_535, 65_537, 4_093, 1_000_003]) {
      expect(tokenize(input, size).map((s) => [s.tag, s.elements, s.position])).toEqual(plain);
    }
  });

  it('reads a BIN segment longer than a window, with delimiters and line breaks in its data', () => {
    const data = Array.from({ length: 150_000 }, (_, i) => '*~:^\nAB'[i % 7]).join('');
    const body = `GS*PO*S*R*20240115*1200*7*X*005010~\nST*850*0001~\nBIN*${data.length}*${data}~\nREF*ZZ*A^B:C~\nSE*4*0001~\nGE*1*7~\nIEA*1*000000101~\n`;
    const input = Buffer.from(ISA + body, 'latin1');
    for (const size of [input.length, 65_536, 9_999]) {
      const segs = tokenize(input, size);
      expect(segs.map((s) => s.tag)).toEqual(['ISA', 'GS', 'ST', 'BIN', 'REF', 'SE', 'GE', 'IEA']);
      const bin = segs[3];
      expect(bin?.elements[0]).toEqual([[String(data.length)]]);
      expect(bin?.elements[1]).toEqual([[data]]);
      const ref = segs[4];
      expect(ref?.elements[1]).toEqual([['A'], ['B', 'C']]);
      expect(ref?.position.line).toBe(5 + data.split('\n').length - 1);
      expect(ref?.position.offset).toBe(input.indexOf('REF*'));
    }
  });

  it('counts the lines before a comment only once when the comment runs past a write', () => {
    const input = Buffer.from(`\n\n// exported by a partner portal\n${ISA}GS*PO*S*R*20240115*1200*7*X*005010~\n`, 'latin1');
    const cut = input.indexOf('portal');
    const tokenizer = new X12Tokenizer({ segment: (s) => segments.push(s) });
    const segments: X12Segment[] = [];
    tokenizer.write(input.subarray(0, cut));
    tokenizer.write(input.subarray(cut));
    tokenizer.end();
    expect(segments.map((s) => [s.tag, s.position.line])).toEqual([
      ['ISA', 4],
      ['GS', 5],
    ]);
  });

  it('hands out segments that later input does not change, with exactly the fields of X12Segment', async () => {
    const input = await synthetic(200_000, '\r\n');
    const kept: X12Segment[] = [];
    const snapshots: string[] = [];
    const tokenizer = new X12Tokenizer({
      segment: (s) => {
        kept.push(s);
        snapshots.push(JSON.stringify(s));
      },
    });
    for (let i = 0; i < input.length; i += 10_000) tokenizer.write(Buffer.from(input.subarray(i, i + 10_000)));
    tokenizer.end();
    expect(kept.map((s) => JSON.stringify(s))).toEqual(snapshots);
    const seg = kept[5];
    expect(Object.keys(seg ?? {})).toEqual(['tag', 'elements', 'position']);
    expect(Object.keys(seg?.position ?? {})).toEqual(['interchange', 'group', 'transaction', 'segment', 'offset', 'line']);
  });
});
