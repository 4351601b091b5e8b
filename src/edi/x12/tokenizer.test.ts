import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import { parseX12 } from './document.js';
import { elementValue, type X12Segment } from './segment.js';
import { streamX12 } from './stream.js';
import { X12Tokenizer } from './tokenizer.js';

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240115*1200*U*00401*000000101*0*P*>';
const BODY = [
  'GS*PO*SENDER*RECEIVER*20240115*1200*7*X*004010',
  'ST*850*0001',
  'BEG*00*SA*PO-1**20240115',
  'PO1*1*2*EA*3.5**UP*012345678905',
  'CTT*1',
  'SE*5*0001',
  'GE*1*7',
  'IEA*1*000000101',
];
const doc = (term = '~', sep = '\n'): string => [ISA, ...BODY].map((s) => s + term).join(sep) + sep;

function tags(text: string | Buffer): string[] {
  return parseX12(text).interchanges.flatMap((ix) => ix.segments.map((s) => s.tag));
}

function thrown(fn: () => unknown): CrossdockError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CrossdockError) return e;
    throw e;
  }
  throw new Error('expected a CrossdockError');
}

describe('X12 tokenizer', () => {
  it('reads delimiters from the ISA and splits elements, repetitions and components', () => {
    const isa = ISA.replace('*U*00401*', '*^*00501*').replace('*P*>', '*P*:');
    const d = parseX12(`${isa}~GS*PO*S*R*20240115*1200*7*X*005010~ST*850*0001~REF*ZZ*A^B:C~SE*3*0001~GE*1*7~IEA*1*000000101~`);
    const ix = d.interchanges[0];
    expect(ix?.info.delimiters).toEqual({ element: '*', repetition: '^', component: ':', segment: '~' });
    const ref = ix?.groups[0]?.transactions[0]?.segments[1];
    expect(ref?.elements[1]).toEqual([['A'], ['B', 'C']]);
  });

  it('treats ISA11 as a repetition separator only from version 00402', () => {
    const d = parseX12(
      `${ISA.replace('*U*', '*^*')}~GS*PO*S*R*20240115*1200*7*X*004010~ST*850*0001~REF*ZZ*A^B~SE*3*0001~GE*1*7~IEA*1*000000101~`,
    );
    expect(d.interchanges[0]?.info.delimiters.repetition).toBe('');
    expect(d.interchanges[0]?.groups[0]?.transactions[0]?.segments[1]?.elements[1]).toEqual([['A^B']]);
  });

  it('gives each segment its interchange, group, transaction, 1-based position, offset and line', () => {
    const segs = parseX12(doc()).interchanges[0]?.segments ?? [];
    const po1 = segs.find((s) => s.tag === 'PO1');
    expect(po1?.position).toEqual({ interchange: 0, group: 0, transaction: 0, segment: 3, offset: doc().indexOf('PO1'), line: 5 });
    expect(segs.find((s) => s.tag === 'SE')?.position.segment).toBe(5);
    expect(segs.find((s) => s.tag === 'GE')?.position.segment).toBe(0);
  });

  it('accepts newline-only terminators, CRLF, indentation, a BOM and blank lines', () => {
    const expected = tags(doc());
    expect(tags(doc('', '\n'))).toEqual(expected);
    expect(tags(doc('~', '\r\n'))).toEqual(expected);
    expect(tags(`\uFEFF${[ISA, ...BODY].map((s) => `\t  ${s}~`).join('\n\n')}\n\n`)).toEqual(expected);
    expect(parseX12(doc('~', '\r\n')).interchanges[0]?.info.lineEnding).toBe('\r\n');
  });

  it('reads a collapsed, NBSP-padded ISA and one split across lines', () => {
    const collapsed = ISA.replace(/ +\*/g, '*').replace(/\* +\*/g, '* *');
    expect(tags(`${collapsed}~${BODY.join('~')}~`)).toContain('PO1');
    const nbsp = ISA.replace('*          *00*', '*\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0*00*');
    const parsed = parseX12(`${nbsp}~${BODY.join('~')}~`);
    expect(elementValue(parsed.interchanges[0]?.header ?? { elements: [] }, 2)).toBe('\u00a0'.repeat(10));
    const split = `${ISA.slice(0, 60)}\n${ISA.slice(60)}~\n${BODY.join('~\n')}~\n`;
    expect(elementValue(parseX12(split).interchanges[0]?.header ?? { elements: [] }, 13)).toBe('000000101');
  });

  it('joins segments hard-wrapped at a fixed width when the terminator is not a newline', () => {
    const flat = [ISA, ...BODY].map((s) => `${s}~`).join('');
    const wrapped = flat.replace(/(.{80})/g, '$1\n');
    expect(parseX12(wrapped).interchanges[0]?.segments.map((s) => s.elements)).toEqual(
      parseX12(flat).interchanges[0]?.segments.map((s) => s.elements),
    );
  });

  it('handles an empty ISA16 and a multi-byte terminator', () => {
    const empty = parseX12(`${ISA.slice(0, -1)}~\n${BODY.join('~\n')}~\n`);
    expect(empty.interchanges[0]?.info.delimiters).toMatchObject({ component: '', segment: '~' });
    expect(empty.interchanges[0]?.segments.length).toBe(9);
    const ellipsis = parseX12(`${ISA}\u2026\n${BODY.join('\u2026\n')}\u2026\n`);
    expect(ellipsis.interchanges[0]?.info.delimiters.segment).toBe('\u2026');
    expect(ellipsis.interchanges[0]?.segments.map((s) => s.tag)).toEqual(['ISA', 'GS', 'ST', 'BEG', 'PO1', 'CTT', 'SE', 'GE', 'IEA']);
  });

  it('reads several interchanges back to back and bare transaction sets without an envelope', () => {
    const two = parseX12(doc() + doc().replace(/000000101/g, '000000102'));
    expect(two.interchanges.map((ix) => ix.segments[0]?.position.interchange)).toEqual([0, 1]);
    const bare = parseX12('ST*997*0001~AK1*PO*7~AK9*A*1*1*1~SE*4*0001~ST*997*0002~AK1*SH*8~AK9*A*1*1*1~SE*4*0002~');
    expect(bare.interchanges[0]?.info.envelope).toBe('none');
    expect(bare.interchanges[0]?.groups[0]?.transactions.map((t) => t.control)).toEqual(['0001', '0002']);
  });

  it('reads BIN binary data that contains delimiters', () => {
    const d = parseX12(`${ISA}~GS*PO*S*R*20240115*1200*7*X*004010~ST*850*0001~BIN*7*a*b~c\nd~SE*3*0001~GE*1*7~IEA*1*000000101~`);
    expect(d.interchanges[0]?.groups[0]?.transactions[0]?.segments[1]?.elements).toEqual([[['7']], [['a*b~c\nd']]]);
  });

  it('decodes UTF-8 values', () => {
    const d = parseX12(`${ISA}~GS*PO*S*R*20240115*1200*7*X*004010~ST*850*0001~N1*ST*Müller Straße~SE*3*0001~GE*1*7~IEA*1*000000101~`);
    expect(elementValue(d.interchanges[0]?.groups[0]?.transactions[0]?.segments[1] ?? { elements: [] }, 2)).toBe('Müller Straße');
  });

  it('yields the same segments whatever the chunking', async () => {
    const text = Buffer.from(doc().replace('Straße', 'x'));
    const whole = parseX12(text).interchanges[0]?.segments.map((s) => [s.tag, s.elements, s.position]);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.subarray(i, i + size));
      const got: X12Segment[] = [];
      for await (const s of streamX12(chunks)) got.push(s);
      expect(got.map((s) => [s.tag, s.elements, s.position])).toEqual(whole);
    }
  });

  it('rejects input that is not X12 with a precise code', () => {
    expect(thrown(() => parseX12('GS*PO*A*B~')).code).toBe('CD_ERR_X12_NO_ENVELOPE');
    expect(thrown(() => parseX12(`${ISA}GS*PO*S*R*20240115*1200*7*X*004010ST*850*0001`)).code).toBe('CD_ERR_X12_ISA');
    const bad = thrown(() => parseX12(`${ISA}~GS*PO*S*R*20240115*1200*7*X*004010~ST*850*0001~b@d*1~`));
    expect(bad.code).toBe('CD_ERR_X12_SYNTAX');
    expect(bad.errorClass).toBe('permanent');
    expect(bad.details).toMatchObject({ interchangeControl: '000000101', groupControl: '7', transactionControl: '0001', line: 1 });
    expect(thrown(() => parseX12('ISA*00*')).code).toBe('CD_ERR_X12_ISA');
  });

  it('bounds the buffer when no terminator ever comes', () => {
    const tokenizer = new X12Tokenizer({ segment: () => {} }, { maxSegmentBytes: 1000 });
    tokenizer.write(`${ISA}~GS*`);
    expect(thrown(() => tokenizer.write('A'.repeat(2000))).code).toBe('CD_ERR_X12_SEGMENT_TOO_LONG');
  });
});
