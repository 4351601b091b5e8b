import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import {
  DEFAULT_SEPARATORS,
  formatSegment,
  parseEdifact,
  segment,
  serializeDocument,
  serializeInterchange,
  serializeSegments,
} from './index.js';

describe('serializer', () => {
  it('release-escapes every service character in data', () => {
    expect(formatSegment(segment('FTX', 'AAI', undefined, undefined, ["a+b:c'd?e", 'f']), DEFAULT_SEPARATORS)).toBe(
      "FTX+AAI+++a?+b?:c?'d??e:f",
    );
  });

  it('escapes the repetition separator only in syntax 4 and writes repetitions', () => {
    const seg = {
      tag: 'RFF',
      elements: [['ON', '1*2']],
      repetitions: [
        [
          ['ON', '1*2'],
          ['ON', '3'],
        ],
      ],
    };
    expect(formatSegment(seg, DEFAULT_SEPARATORS, true)).toBe('RFF+ON:1?*2*ON:3');
    expect(formatSegment(seg, DEFAULT_SEPARATORS, false)).toBe('RFF+ON:1*2');
  });

  it('drops trailing empty components and elements when building segments', () => {
    expect(formatSegment(segment('UCI', '1', ['S', ''], ['R'], '7', undefined, ''), DEFAULT_SEPARATORS)).toBe('UCI+1+S+R+7');
  });

  it('refuses data holding a service character when no release character is declared', () => {
    const seps = { ...DEFAULT_SEPARATORS, release: undefined };
    expect(() => formatSegment(segment('FTX', 'a+b'), seps)).toThrow(CrossdockError);
  });

  it('writes one segment per line or a single line, with other separators and a UNA', () => {
    const doc = parseEdifact("UNB+UNOA:3+S+R+1:1+1'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++x?'y'UNT+3+1'UNZ+1+1'");
    const ic = doc.interchanges[0]!;
    expect(serializeInterchange(ic, { lineBreak: 'lf' })).toBe(
      "UNB+UNOA:3+S+R+1:1+1'\nUNH+1+ORDERS:D:96A:UN'\nFTX+AAI+++x?'y'\nUNT+3+1'\nUNZ+1+1'\n",
    );
    const other = { component: '=', element: '*', decimal: '.', release: '?', segment: '~' };
    const text = serializeInterchange(ic, { separators: other, lineBreak: 'crlf' });
    expect(text.split('\r\n')[0]).toBe('UNA=*.? ~');
    expect(text).toContain("FTX*AAI***x'y~\r\n");
    const again = parseEdifact(text);
    expect(serializeDocument(again)).toBe(serializeDocument(doc, { separators: other, una: 'always' }));
  });

  it('serializes bare segments', () => {
    expect(serializeSegments([segment('BGM', '220', 'PO1')])).toBe("BGM+220+PO1'");
  });
});
