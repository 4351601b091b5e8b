import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import { decimalAt, type EdifactEvent, EdifactStreamParser, parseEdifact, parseEdifactStream, parseNumeric } from './index.js';

const errorOf = (fn: () => unknown): CrossdockError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CrossdockError) return e;
    throw e;
  }
  throw new Error('expected an error');
};

const body = "UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'UNT+3+1'";

describe('separators', () => {
  it("uses the defaults without UNA and releases ?+ ?: ?' ??", () => {
    const doc = parseEdifact(`UNB+UNOA:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++a?+b?:c?'d??e:f'UNT+3+1'UNZ+1+1'`);
    const ftx = doc.interchanges[0]!.messages[0]!.segments[1]!;
    expect(ftx.elements).toEqual([['AAI'], [''], [''], ["a+b:c'd?e", 'f']]);
  });

  it('reads every UNA position, including a space release meaning "none"', () => {
    const doc = parseEdifact(`UNA=*,! ~UNB*UNOC=3*S*R*200101=1200*7~UNH*1*ORDERS=D=96A=UN~MOA*203=12,5~UNT*3*1~UNZ*1*7~`);
    const ic = doc.interchanges[0]!;
    expect(ic.separators).toEqual({ component: '=', element: '*', decimal: ',', release: '!', segment: '~' });
    const moa = ic.messages[0]!.segments[1]!;
    expect(moa.elements).toEqual([['203', '12,5']]);
    expect(decimalAt(moa, 1, 2, ic.separators.decimal)).toBe('12.5');
    const noRelease = parseEdifact(`UNA:+.  'UNB+UNOA:3+S+R+1:1+1'UNZ+0+1'`);
    expect(noRelease.interchanges[0]!.separators.release).toBeUndefined();
  });

  it('rejects a UNA that gives one character two roles', () => {
    const err = errorOf(() => parseEdifact("UNA++.? 'UNB+UNOA:3'"));
    expect(err.code).toBe('CD_ERR_EDIFACT_UNA');
    expect(err.details.syntaxError).toBe('20');
    expect(err.details.line).toBe(1);
  });

  it('activates the repetition separator only in syntax version 4', () => {
    const v4 = parseEdifact(`UNB+UNOC:4+S+R+20200101:1200+1'UNH+1+ORDERS:D:96A:UN'RFF+ON:1*ON:2+X'UNT+3+1'UNZ+1+1'`);
    const rff = v4.interchanges[0]!.messages[0]!.segments[1]!;
    expect(rff.elements).toEqual([['ON', '1'], ['X']]);
    expect(rff.repetitions).toEqual([
      [
        ['ON', '1'],
        ['ON', '2'],
      ],
      [['X']],
    ]);
    const v3 = parseEdifact(`UNA:+.?*'UNB+UNOC:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'RFF+ON:1*ON:2'UNT+3+1'UNZ+1+1'`);
    const rff3 = v3.interchanges[0]!.messages[0]!.segments[1]!;
    expect(rff3.elements).toEqual([['ON', '1*ON', '2']]);
    expect(rff3.repetitions).toBeUndefined();
  });
});

describe('numbers', () => {
  it('normalises decimal comma and checks numeric syntax with 0085 codes', () => {
    expect(parseNumeric('19,9', ',')).toEqual({ ok: true, value: '19.9', digits: 3 });
    expect(parseNumeric('-0.5', '.')).toEqual({ ok: true, value: '-0.5', digits: 2 });
    expect(parseNumeric('68,54', '.')).toMatchObject({ ok: true, value: '68.54' });
    expect(parseNumeric('68,54', '.', true)).toMatchObject({ ok: false, syntaxError: '19' });
    expect(parseNumeric(',5', ',')).toMatchObject({ ok: false, syntaxError: '38' });
    expect(parseNumeric('1020A', '.')).toMatchObject({ ok: false, syntaxError: '37' });
    expect(parseNumeric('1.2.3', '.')).toMatchObject({ ok: false, syntaxError: '19' });
  });
});

describe('positions and tree', () => {
  it('numbers segments within messages from UNH = 1 and records line and byte offset', () => {
    const text =
      "UNA:+.? '\nUNB+UNOA:3+S+R+200101:1200+REF1'\nUNG+ORDERS+S+R+200101:1200+G1+UN+D:96A'\nUNH+M1+ORDERS:D:96A:UN'\nBGM+220+PO1+9'\nUNT+3+M1'\nUNE+1+G1'\nUNZ+1+REF1'\n";
    const doc = parseEdifact(Buffer.from(text));
    const bgm = doc.interchanges[0]!.groups[0]!.messages[0]!.segments[1]!;
    expect(bgm.position).toEqual({
      index: 3,
      interchange: 0,
      group: 0,
      message: 0,
      segmentInMessage: 2,
      interchangeRef: 'REF1',
      groupRef: 'G1',
      messageRef: 'M1',
      line: 5,
      byteOffset: text.indexOf('BGM'),
    });
  });

  it('counts byte offsets in bytes for multi-byte UTF-8', () => {
    const text = "UNB+UNOW:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++Ünïcödé'BGM+220'UNT+4+1'UNZ+1+1'";
    const doc = parseEdifact(Buffer.from(text, 'utf8'));
    const bgm = doc.interchanges[0]!.messages[0]!.segments[2]!;
    expect(bgm.position.byteOffset).toBe(Buffer.from(text.slice(0, text.indexOf('BGM')), 'utf8').length);
  });

  it('closes a message without UNT when the next UNH arrives', () => {
    const doc = parseEdifact("UNB+UNOA:3+S+R+1:1+1'UNH+1+ORDERS:D:96A:UN'BGM+220'UNH+2+ORDERS:D:96A:UN'UNT+2+2'UNZ+2+1'");
    expect(doc.interchanges[0]!.messages.map((m) => [m.ref, m.segments.length, m.trailer?.tag])).toEqual([
      ['1', 2, undefined],
      ['2', 2, 'UNT'],
    ]);
  });
});

describe('errors', () => {
  it('names interchange, message, segment position and line for a bad segment tag', () => {
    const err = errorOf(() => parseEdifact("UNB+UNOA:3+S+R+1:1+IC9'UNH+M7+ORDERS:D:96A:UN'BGM+220'\nbgm+1'UNT+4+M7'UNZ+1+IC9'"));
    expect(err.code).toBe('CD_ERR_EDIFACT_SYNTAX');
    expect(err.errorClass).toBe('permanent');
    expect(err.details).toMatchObject({ interchangeRef: 'IC9', messageRef: 'M7', segmentPosition: 3, line: 2, syntaxError: '12' });
    expect(err.message).toContain('invalid segment tag "bgm"');
  });

  it('rejects input that ends on a dangling release character', () => {
    const err = errorOf(() => parseEdifact("UNB+UNOA:3+S+R+1:1+1'UNH+1+X:D:96A:UN'FTX+AAA+++abc?"));
    expect(err.details.syntaxError).toBe('22');
  });

  it('bounds segment length', () => {
    const err = errorOf(() => parseEdifact(`UNB+UNOA:3+${'x'.repeat(5000)}`, { maxSegmentLength: 1000 }));
    expect(err.code).toBe('CD_ERR_EDIFACT_SEGMENT_TOO_LONG');
  });

  it('rejects empty input', () => {
    expect(errorOf(() => parseEdifact('  \n')).code).toBe('CD_ERR_EDIFACT_SYNTAX');
  });

  it('accepts a missing final terminator with a warning', () => {
    const doc = parseEdifact("UNB+UNOA:3+S+R+1:1+1'UNZ+0+1");
    expect(doc.interchanges[0]!.trailer!.elements).toEqual([['0'], ['1']]);
    expect(doc.warnings.map((w) => w.code)).toEqual(['CD_WARN_EDIFACT_UNTERMINATED_LAST_SEGMENT']);
  });
});

describe('character sets', () => {
  const withName = (syntaxId: string, name: Uint8Array) =>
    Buffer.concat([
      Buffer.from(`UNB+${syntaxId}:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'NAD+BY+++`),
      name,
      Buffer.from("'UNT+3+1'UNZ+1+1'"),
    ]);
  const nameOf = (buf: Buffer) => parseEdifact(buf).interchanges[0]!.messages[0]!.segments[1]!.elements[3]![0];

  it.each([
    ['UNOC', 'BÜTTNER Ÿ€', 'latin1'],
    ['UNOD', 'Łódź', 'iso-8859-2'],
    ['UNOE', 'Москва', 'iso-8859-5'],
    ['UNOF', 'Αθήνα', 'iso-8859-7'],
    ['UNOG', 'Ħamrun', 'iso-8859-3'],
    ['UNOH', 'Ŗīga', 'iso-8859-4'],
    ['UNOI', 'عمان', 'iso-8859-6'],
    ['UNOJ', 'חיפה', 'iso-8859-8'],
    ['UNOK', 'İstanbul', 'iso-8859-9'],
    ['UNOL', 'Œuvre €', 'iso-8859-15'],
    ['UNOW', 'Zürich 東京', 'utf-8'],
    ['UNOY', 'Zürich 東京', 'utf-8'],
  ])('%s decodes %s', (syntaxId, name, encoding) => {
    const bytes =
      encoding === 'latin1'
        ? // U+0178 and € are not in ISO 8859-1: bytes 0x9F/0x80 are C1 controls there, not windows-1252 letters.
          Buffer.from([0x42, 0xdc, 0x54, 0x54, 0x4e, 0x45, 0x52, 0x20, 0x9f, 0x80])
        : encoding === 'utf-8'
          ? Buffer.from(name, 'utf8')
          : encodeSingleByte(name, encoding);
    const expected = encoding === 'latin1' ? 'BÜTTNER \u009f\u0080' : name;
    expect(nameOf(withName(syntaxId, bytes))).toBe(expected);
  });

  it('UNOA with bytes that are not UTF-8 falls back to ISO 8859-1 and says so', () => {
    const doc = parseEdifact(withName('UNOA', Buffer.from([0x42, 0xdc, 0x54])));
    expect(doc.interchanges[0]!.messages[0]!.segments[1]!.elements[3]![0]).toBe('BÜT');
    expect(doc.warnings[0]!.message).toContain('not UTF-8; decoded as ISO 8859-1');
    const prefix = "UNB+UNOA:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'NAD+BY+++";
    expect(doc.warnings[0]!.location.byteOffset).toBe(prefix.length + 1);
  });

  it('UNOW with invalid UTF-8 is a precise encoding error', () => {
    const err = errorOf(() => parseEdifact(withName('UNOW', Buffer.from([0x42, 0xff, 0x54]))));
    expect(err.code).toBe('CD_ERR_EDIFACT_ENCODING');
    expect(err.details.syntaxError).toBe('21');
  });

  it('UNOX decodes ISO-2022-JP as best effort, with a warning', () => {
    const jp = Buffer.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42]);
    const doc = parseEdifact(withName('UNOX', jp));
    expect(doc.interchanges[0]!.messages[0]!.segments[1]!.elements[3]![0]).toBe('日本');
    expect(doc.warnings[0]!.message).toContain('ISO-2022-JP on a best-effort basis');
  });

  it('an unknown syntax identifier is decoded as ASCII/UTF-8 with a warning', () => {
    const doc = parseEdifact(withName('ZZZZ', Buffer.from('ok')));
    expect(doc.warnings.map((w) => w.code)).toEqual(['CD_WARN_EDIFACT_UNKNOWN_CHARSET']);
  });
});

function encodeSingleByte(text: string, encoding: string): Buffer {
  // Build the byte table by decoding every byte once; tests only need the inverse mapping.
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from([...text].map((ch) => table.get(ch) ?? 0x3f));
}

describe('streaming', () => {
  const text = `UNA:+.? '\n${"UNB+UNOA:3+S+R+200101:1200+1'\n"}${body.replaceAll("'", "'\n")}UNZ+1+1'\n`;

  it('gives the same events whatever the chunking, down to one byte at a time', () => {
    const collect = (chunks: Uint8Array[]) => {
      const events: EdifactEvent[] = [];
      const p = new EdifactStreamParser((e) => events.push(e));
      for (const c of chunks) p.push(c);
      p.end();
      return events;
    };
    const bytes = Buffer.from(`\uFEFF${text.replace('S+R', 'SÜ+R')}`, 'utf8');
    const whole = collect([bytes]);
    const single = collect([...bytes].map((b) => Uint8Array.of(b)));
    // Warnings surface when the bytes that cause them arrive, so compare each kind in order.
    const ofKind = (events: EdifactEvent[], kind: EdifactEvent['kind']) => events.filter((e) => e.kind === kind);
    for (const kind of ['separators', 'segment', 'warning'] as const) expect(ofKind(single, kind)).toEqual(ofKind(whole, kind));
    expect(ofKind(whole, 'warning')).toHaveLength(1);
    const segs = whole.flatMap((e) => (e.kind === 'segment' ? [e.segment] : []));
    expect(segs.map((s) => s.tag)).toEqual(['UNB', 'UNH', 'BGM', 'UNT', 'UNZ']);
    expect(segs[0]!.elements[1]).toEqual(['SÜ']);
    expect(segs[0]!.position.byteOffset).toBe(3 + 10);
  });

  it('reads a Readable-like async iterable', async () => {
    async function* source() {
      yield Buffer.from(text.slice(0, 17));
      yield Buffer.from(text.slice(17));
    }
    const tags: string[] = [];
    for await (const e of parseEdifactStream(source())) if (e.kind === 'segment') tags.push(e.segment.tag);
    expect(tags).toEqual(['UNB', 'UNH', 'BGM', 'UNT', 'UNZ']);
  });
});
